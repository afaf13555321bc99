import { sql } from 'kysely';
import { HTTPException } from 'hono/http-exception';
import type { Viewer } from './access.ts';
import type { DB } from './db/index.ts';
import type { ActionStatus, BreachStatus, CaseState, OutcomeKind } from './db/schema.ts';
import { assignable } from './db/cases.ts';
import type { MentionDetail } from './db/mentions.ts';
import { assignCases } from '../workers/cases/assign.ts';
import { classifiedText } from '../workers/classifications.ts';

// Changes to a case: state, assignee, due date, outcome, notes, the checklist, points and the
// data-breach clock. Each one is a case event (the dossier) and an audit-log entry.

type CaseRef = { id: string; school_id: string; state: CaseState; types: string[] };
const conflict = (message: string): never => {
  throw new HTTPException(409, { message });
};

export async function recordEvent(db: DB, v: Pick<Viewer, 'id' | 'email' | 'boardId'>, caseId: string, kind: string, details: Record<string, unknown>, ip?: string) {
  await db.insertInto('case_events').values({ case_id: caseId, user_id: v.id, actor: v.email, kind, details: JSON.stringify(details) }).execute();
  await db.insertInto('audit_log').values({ board_id: v.boardId, user_id: v.id, actor: v.email, action: `case.${kind}`, target_type: 'case', target_id: caseId, ip: ip ?? null, details: JSON.stringify(details) }).execute();
}

export type CasePatch = { state?: CaseState; assigneeId?: string | null; dueAt?: Date; outcomeKind?: OutcomeKind; outcome?: string };

export async function updateCase(db: DB, v: Viewer, c: CaseRef, p: CasePatch, ip?: string) {
  const closing = p.state === 'afgerond' || p.state === 'geen_actie';
  if (closing) {
    if (!p.outcome?.trim()) throw new HTTPException(400, { message: 'Schrijf in een zin of twee wat er is gebeurd voordat je de zaak sluit' });
    if (p.state === 'afgerond' && (!p.outcomeKind || p.outcomeKind === 'geen_actie_nodig')) throw new HTTPException(400, { message: 'Kies wat er is gedaan (bijvoorbeeld "gesprek gevoerd")' });
  }
  if (p.assigneeId) {
    const people = await assignable(db, v.boardId, c.school_id);
    if (!people.some((u) => u.id === p.assigneeId)) throw new HTTPException(400, { message: 'Deze persoon kan deze school niet zien en kan de zaak dus niet oppakken' });
  }
  await db.transaction().execute(async (trx) => {
    const now = new Date();
    const set: Record<string, unknown> = { updated_at: now };
    const changes: [string, Record<string, unknown>][] = [];
    if (p.state && p.state !== c.state) {
      set.state = p.state;
      set.closed_at = closing ? now : null;
      if (closing) {
        set.outcome = p.outcome!.trim();
        set.outcome_kind = p.state === 'geen_actie' ? (p.outcomeKind ?? 'geen_actie_nodig') : p.outcomeKind;
      }
      changes.push(['state', { from: c.state, to: p.state, ...(closing ? { outcomeKind: set.outcome_kind, outcome: set.outcome } : {}) }]);
    }
    if (p.assigneeId !== undefined) {
      set.assignee_id = p.assigneeId;
      const who = p.assigneeId ? await trx.selectFrom('users').select(['name', 'email']).where('id', '=', p.assigneeId).executeTakeFirst() : undefined;
      changes.push(['assigned', { to: who ? who.name || who.email : null }]);
    }
    if (p.dueAt) {
      set.due_at = p.dueAt;
      changes.push(['due', { to: p.dueAt.toISOString() }]);
    }
    await trx.updateTable('cases').set(set).where('id', '=', c.id).execute();
    for (const [kind, details] of changes) await recordEvent(trx, v, c.id, kind, details, ip);
  });
}

export async function addNote(db: DB, v: Viewer, c: CaseRef, text: string, ip?: string) {
  await db.transaction().execute(async (trx) => {
    await recordEvent(trx, v, c.id, 'note', { text }, ip);
    await trx.updateTable('cases').set({ updated_at: new Date() }).where('id', '=', c.id).execute();
  });
}

// Ticking off a prompt on the checklist; the case is due when its earliest open prompt is.
export async function setActionStatus(db: DB, v: Viewer, c: CaseRef, type: string, status: ActionStatus, ip?: string) {
  if (!c.types.includes(type)) throw new HTTPException(404, { message: 'Deze actie hoort niet bij deze zaak' });
  await db.transaction().execute(async (trx) => {
    const done = status !== 'open';
    await trx
      .updateTable('case_actions')
      .set({ status, done_by: done ? v.email : null, done_at: done ? new Date() : null })
      .where('case_id', '=', c.id)
      .where('type', '=', type)
      .execute();
    await trx
      .updateTable('cases')
      .set({ updated_at: new Date(), due_at: sql<Date>`coalesce((select min(due_at) from case_actions where case_id = ${c.id} and status = 'open'), due_at)` })
      .where('id', '=', c.id)
      .execute();
    await recordEvent(trx, v, c.id, 'action', { type, status }, ip);
  });
}

export async function addPoint(db: DB, v: Viewer, c: CaseRef, kind: 'sterk' | 'verbeter', text: string, ip?: string) {
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('school_points').values({ school_id: c.school_id, case_id: c.id, kind, text, created_by: v.email }).returning('id').executeTakeFirstOrThrow();
    await recordEvent(trx, v, c.id, 'point', { kind, text }, ip);
    return row.id;
  });
}

export async function removePoint(db: DB, v: Viewer, c: CaseRef, pointId: string, ip?: string) {
  await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('school_points').where('id', '=', pointId).where('case_id', '=', c.id).returning(['kind', 'text']).executeTakeFirst();
    if (!gone) throw new HTTPException(404, { message: 'Punt niet gevonden' });
    await recordEvent(trx, v, c.id, 'point_removed', { kind: gone.kind, text: gone.text }, ip);
  });
}

// Only the privacy officer (FG) and the directie decide whether a leak is a data breach.
export const BREACH_DECIDERS = ['privacy', 'directie'] as const;

export async function setBreach(db: DB, v: Viewer, c: CaseRef, status: BreachStatus, reportedAt: Date | undefined, ip?: string) {
  if (!(BREACH_DECIDERS as readonly string[]).includes(v.role)) throw new HTTPException(403, { message: 'Alleen de privacy officer (FG) of de directie beoordeelt een mogelijk datalek' });
  if (!c.types.includes('remove_personal_data')) conflict('In deze zaak staan geen persoonsgegevens');
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cases')
      .set({ breach_status: status, breach_reported_at: status === 'gemeld' ? (reportedAt ?? new Date()) : null, updated_at: new Date() })
      .where('id', '=', c.id)
      .execute();
    await recordEvent(trx, v, c.id, 'breach', { status, ...(status === 'gemeld' ? { reportedAt: (reportedAt ?? new Date()).toISOString() } : {}) }, ip);
  });
}

// A person corrected a label: the mention's case gains the prompts the shown labels now ask for
// (a case is opened, or a closed one reopened, when needed). Prompts already on the checklist stay;
// staff tick off what no longer applies.
export async function refileMention(db: DB, v: Viewer, detail: MentionDetail) {
  const m = await db.selectFrom('mentions').select(['external_id', 'thread_id', 'reply_to', 'story_id', 'title', 'body', 'published_at']).where('id', '=', detail.id).executeTakeFirstOrThrow();
  const board = await db.selectFrom('boards').select(['policy', 'policy_version']).where('id', '=', v.boardId).executeTakeFirstOrThrow();
  return db.transaction().execute((trx) =>
    assignCases(trx, {
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
    }),
  );
}
