import { HTTPException } from 'hono/http-exception';
import { can, type Viewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import { inTransaction, type DB } from '../db/index.ts';
import type { ActionStatus, BreachStatus, CaseState, OutcomeKind } from '../db/schema.ts';
import { assignable } from '../db/cases.ts';
import {
  boardPolicyRef,
  deleteSchoolPoint,
  insertCaseEvent,
  insertSchoolPoint,
  mentionForCases,
  openPromptsOfMentionCases,
  refreshCaseDue,
  setCaseActionStatus,
  setCaseBreach,
  updateCaseRow,
  userNameAndEmail,
  type CaseUpdate,
} from '../db/caseWork.ts';
import type { MentionDetail } from '../db/mentionTypes.ts';
import { assignCases } from '../../workers/cases/assign.ts';
import { linkCaseMentions } from '../db/caseFiling.ts';
import { visibleMentionIds } from '../db/triage.ts';
import { classifiedText } from '../../workers/labelling.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';

// Changes to a case: state, assignee, due date, outcome, notes, the checklist, points and the
// data-breach clock. Each one is a case event (the dossier) and an audit-log entry.

type CaseRef = { id: string; school_id: string; state: CaseState; types: string[] };
const conflict = (message: string): never => {
  throw new HTTPException(409, { message });
};

export async function recordEvent(
  db: DB,
  v: Pick<Viewer, 'id' | 'email' | 'boardId'>,
  caseId: string,
  kind: string,
  details: Record<string, unknown>,
  ip?: string,
  at?: Date,
) {
  await insertCaseEvent(db, { caseId, userId: v.id, actor: v.email, kind, details, at });
  await audit(db, {
    at,
    boardId: v.boardId,
    userId: v.id,
    actor: v.email,
    action: `case.${kind}`,
    targetType: 'case',
    targetId: caseId,
    ip,
    details,
  });
}

export type CasePatch = {
  state?: CaseState;
  assigneeId?: string | null;
  dueAt?: Date;
  outcomeKind?: OutcomeKind;
  outcome?: string;
};

export async function updateCase(db: DB, v: Viewer, c: CaseRef, p: CasePatch, now: Date, ip?: string) {
  const closing = p.state === 'afgerond' || p.state === 'geen_actie';
  if (closing) {
    if (!p.outcome?.trim())
      throw new HTTPException(400, {
        message: 'Schrijf in een zin of twee wat er is gebeurd voordat je de zaak sluit',
      });
    if (p.state === 'afgerond' && (!p.outcomeKind || p.outcomeKind === 'geen_actie_nodig'))
      throw new HTTPException(400, { message: 'Kies wat er is gedaan (bijvoorbeeld "gesprek gevoerd")' });
  }
  if (p.assigneeId) {
    const people = await assignable(db, v.boardId, c.school_id);
    if (!people.some((u) => u.id === p.assigneeId))
      throw new HTTPException(400, {
        message: 'Deze persoon kan deze school niet zien en kan de zaak dus niet oppakken',
      });
  }
  await inTransaction(db, async (trx) => {
    const set: CaseUpdate = { updated_at: now };
    const changes: [string, Record<string, unknown>][] = [];
    if (p.state && p.state !== c.state) {
      set.state = p.state;
      set.closed_at = closing ? now : null;
      if (closing) {
        set.outcome = p.outcome!.trim();
        set.outcome_kind = p.state === 'geen_actie' ? (p.outcomeKind ?? 'geen_actie_nodig') : p.outcomeKind;
      }
      changes.push([
        'state',
        { from: c.state, to: p.state, ...(closing ? { outcomeKind: set.outcome_kind, outcome: set.outcome } : {}) },
      ]);
    }
    if (p.assigneeId !== undefined) {
      set.assignee_id = p.assigneeId;
      const who = p.assigneeId ? await userNameAndEmail(trx, p.assigneeId) : undefined;
      changes.push(['assigned', { to: who ? who.name || who.email : null }]);
    }
    if (p.dueAt) {
      set.due_at = p.dueAt;
      changes.push(['due', { to: p.dueAt.toISOString() }]);
    }
    await updateCaseRow(trx, c.id, set);
    for (const [kind, details] of changes) await recordEvent(trx, v, c.id, kind, details, ip, now);
  });
}

export async function addNote(db: DB, v: Viewer, c: CaseRef, text: string, now: Date, ip?: string) {
  await inTransaction(db, async (trx) => {
    await recordEvent(trx, v, c.id, 'note', { text }, ip, now);
    await updateCaseRow(trx, c.id, { updated_at: now });
  });
}

// Ticking off a prompt on the checklist; the case is due when its earliest open prompt is.
export async function setActionStatus(
  db: DB,
  v: Viewer,
  c: CaseRef,
  type: string,
  status: ActionStatus,
  now: Date,
  ip?: string,
) {
  if (!c.types.includes(type)) throw new HTTPException(404, { message: 'Deze actie hoort niet bij deze zaak' });
  await inTransaction(db, async (trx) => {
    const done = status !== 'open';
    await setCaseActionStatus(trx, c.id, type, {
      status,
      doneBy: done ? v.email : null,
      doneAt: done ? now : null,
    });
    await refreshCaseDue(trx, c.id, now);
    await recordEvent(trx, v, c.id, 'action', { type, status }, ip, now);
  });
}

export async function addPoint(
  db: DB,
  v: Viewer,
  c: CaseRef,
  kind: 'sterk' | 'verbeter',
  text: string,
  now: Date,
  ip?: string,
) {
  return inTransaction(db, async (trx) => {
    const id = await insertSchoolPoint(trx, { schoolId: c.school_id, caseId: c.id, kind, text, createdBy: v.email });
    await recordEvent(trx, v, c.id, 'point', { kind, text }, ip, now);
    return id;
  });
}

export async function removePoint(db: DB, v: Viewer, c: CaseRef, pointId: string, now: Date, ip?: string) {
  await inTransaction(db, async (trx) => {
    const gone = await deleteSchoolPoint(trx, c.id, pointId);
    if (!gone) throw new HTTPException(404, { message: 'Punt niet gevonden' });
    await recordEvent(trx, v, c.id, 'point_removed', { kind: gone.kind, text: gone.text }, ip, now);
  });
}

// Only the privacy officer (FG) and the directie decide whether a leak is a data breach.
export async function setBreach(
  db: DB,
  v: Viewer,
  c: CaseRef,
  status: BreachStatus,
  reportedAt: Date | undefined,
  now: Date,
  ip?: string,
) {
  if (!can(v, 'case.decide_breach', c.school_id))
    throw new HTTPException(403, {
      message: 'Alleen de privacy officer (FG) of de directie beoordeelt een mogelijk datalek',
    });
  if (!c.types.includes('remove_personal_data')) conflict('In deze zaak staan geen persoonsgegevens');
  await inTransaction(db, async (trx) => {
    await setCaseBreach(trx, c.id, status, status === 'gemeld' ? (reportedAt ?? now) : null, now);
    await recordEvent(
      trx,
      v,
      c.id,
      'breach',
      { status, ...(status === 'gemeld' ? { reportedAt: (reportedAt ?? now).toISOString() } : {}) },
      ip,
      now,
    );
  });
}

// A person corrected a label: the mention's case gains the prompts the shown labels now ask for
// (a case is opened, or a closed one reopened, when needed). Prompts already on the checklist stay;
// staff tick off what no longer applies.
// A person's label correction files the post again by its labels as shown, and closes — as no longer
// needed, with an event in the case — the prompts the corrected labels no longer ask for, unless
// another post of the case still does (a "Negatief → Positief" leaves no real-life conversation open).
export async function refileMention(db: DB, v: Viewer, detail: MentionDetail, now = new Date()) {
  const m = await mentionForCases(db, detail.id);
  const board = await boardPolicyRef(db, v.boardId);
  return inTransaction(db, async (trx) => {
    const changes = await assignCases(trx, {
      boardId: v.boardId,
      mentionId: detail.id,
      externalId: m.external_id,
      threadId: m.thread_id,
      replyTo: m.reply_to,
      storyId: m.story_id,
      schoolIds: detail.schools.map((s) => s.id),
      text: classifiedText(m.title, m.body),
      risks: detail.risks,
      actions: detail.actions,
      policy: { id: board.policy, version: board.policy_version },
      at: m.published_at,
      by: { userId: v.id, email: v.email },
      now,
    });
    const wanted = new Set(detail.actions.map((a) => a.type));
    const touched = new Set<string>();
    for (const p of await openPromptsOfMentionCases(trx, detail.id, detail.classifier ?? CLASSIFIER)) {
      if (wanted.has(p.type as never) || p.asked_elsewhere) continue;
      await setCaseActionStatus(trx, p.case_id, p.type, { status: 'niet_nodig', doneBy: v.email, doneAt: now });
      await recordEvent(
        trx,
        v,
        p.case_id,
        'action',
        { type: p.type, status: 'niet_nodig', reason: 'label_correction', mentionId: detail.id },
        undefined,
        now,
      );
      touched.add(p.case_id);
    }
    for (const caseId of touched) await refreshCaseDue(trx, caseId, now);
    return changes;
  });
}

// "Naar zaak": staff put posts of the case's school into its discussion (a post in this school's inbox
// only); each added post is an event in the case and the audit log.
export async function addMentionsToCase(db: DB, v: Viewer, c: CaseRef, ids: string[], now: Date, ip?: string) {
  return inTransaction(db, async (trx) => {
    const mine = await visibleMentionIds(trx, v.boardId, [c.school_id], ids);
    await linkCaseMentions(
      trx,
      mine.map((mentionId) => ({ caseId: c.id, mentionId })),
    );
    if (mine.length) {
      await recordEvent(trx, v, c.id, 'mention_added', { mentions: mine, by: 'person' }, ip, now);
      await updateCaseRow(trx, c.id, { updated_at: now });
    }
    return mine;
  });
}
