import type { DB } from '../../server/db/index.ts';
import { audit } from '../../server/db/audit.ts';
import {
  caseOfMention,
  insertCase,
  insertFilingEvent,
  linkCaseMention,
  lockManySchoolCases,
  recentCases,
  schoolNamesAndAliases,
  updateFiledCase,
} from '../../server/db/caseFiling.ts';
import { mergeCaseActions, type FiledAction } from '../../server/db/casePrompts.ts';
import type { Risk } from '../classify/types.ts';
import type { Action, ActionType } from '../policy/types.ts';
import { queueAlert } from '../mail/outbox.ts';
import { caseKind, maxSeverity, sameTopic, severityOf, threadKeys, topicWords, type Severity } from './discussion.ts';
import { endOfDutchDay } from '../time.ts';

// Puts a mention into its discussion's case at each of its schools, or opens a case: the prompts
// the protocol asks for become the case's checklist. Any number of workers may do this at once:
// one school's cases are changed under one advisory lock, and every insert is idempotent.

export const OPEN_STATES = ['nieuw', 'in_behandeling'] as const;
// A topic joins posts this close in time; a thread or story joins them however far apart.
export const DISCUSSION_HOURS = 72;
// Good news is shared in a bundle: one case per school per week, whatever it is about.
export const GOOD_NEWS_DAYS = 7;
// Collecting a feed's archive must not flood the board with prompts about last year.
export const RECENT_DAYS = 14;

export type CaseInput = {
  boardId: string;
  mentionId: string;
  externalId: string;
  threadId?: string | null;
  replyTo?: string | null;
  storyId?: string | null;
  schoolIds: string[];
  text: string;
  risks: Risk[];
  actions: Action[];
  policy: { id: string; version: number | null }; // the rules the prompts came from
  at: Date; // when the post was published
  now?: Date;
  // a person's correction: old posts too, and a closed case reopens when it gains a prompt
  by?: { userId: string; email: string };
};

export type CaseChange = {
  caseId: string;
  schoolId: string;
  created: boolean;
  reopened: boolean;
  newActions: ActionType[];
  severity: Severity;
};

export type OpenCase = {
  id: string;
  state: string;
  severity: Severity;
  topic_words: string[];
  // Not all the case's keys (case_thread_keys): those of the posts being filed that it holds, and
  // what a batch added in memory. A post joins a case that holds one of its own keys.
  thread_keys: string[];
  last_mention_at: Date;
  created_at: Date;
};

// A list of a case's keys or words as a set, made once per array and topped up with what was appended
// to it since (workers/cases/assignBatch.ts only appends): a post checks its few keys against each open
// case instead of walking every key the case ever collected, for every post of a batch.
const sets = new WeakMap<string[], { seen: number; set: Set<string> }>();
export function setOf(list: string[]): Set<string> {
  let e = sets.get(list);
  if (!e) sets.set(list, (e = { seen: 0, set: new Set() }));
  for (; e.seen < list.length; e.seen++) e.set.add(list[e.seen]!);
  return e.set;
}

// Appends what `list` lacks of `more`, in order (as [...new Set([...list, ...more])], in place), and
// answers what it appended.
export function appendNew(list: string[], more: string[]): string[] {
  const have = setOf(list);
  const added: string[] = [];
  for (const x of more)
    if (!have.has(x)) {
      have.add(x);
      list.push(x);
      added.push(x);
    }
  return added;
}

// Which of the school's open cases (most recently active first) a post joins: its thread or story's,
// else good news of this week, else a discussion of the same topic in the last DISCUSSION_HOURS.
export function openCaseFor<C extends OpenCase>(
  open: C[],
  p: { kind: string; keys: string[]; words: string[]; at: Date; now: Date },
): C | undefined {
  const windowStart = p.at.getTime() - DISCUSSION_HOURS * 3_600_000;
  return (
    open.find((c) => {
      const have = setOf(c.thread_keys);
      return p.keys.some((k) => have.has(k));
    }) ??
    (p.kind === 'good_news'
      ? open.find((c) => c.created_at.getTime() >= p.now.getTime() - GOOD_NEWS_DAYS * 86_400_000)
      : open.find((c) => c.last_mention_at.getTime() >= windowStart && sameTopic(c.topic_words, p.words)))
  );
}

// The prompts as a case stores them: due no earlier than the end of today.
export const filedActions = (actions: Action[], now: Date): FiledAction[] =>
  actions.map((a) => ({
    type: a.type,
    article: a.article,
    basis: a.basis,
    rule: a.rule,
    roles: a.roles,
    guidance: a.guidance,
    parts: a.parts,
    points: a.points ?? [],
    facts: a.facts ?? [],
    dueAt: new Date(Math.max(endOfDutchDay(now).getTime(), Date.parse(a.due))),
  }));

export async function assignCases(db: DB, input: CaseInput): Promise<CaseChange[]> {
  const kind = caseKind(input.actions);
  const now = input.now ?? new Date();
  if (!kind || !input.schoolIds.length) return [];
  if (!input.by && input.at.getTime() < now.getTime() - RECENT_DAYS * 86_400_000) return [];
  const actions = input.actions.filter((a) => a.type !== 'monitor');
  const severity = kind === 'good_news' ? 'low' : severityOf(input.risks, actions);
  const keys = threadKeys({
    id: input.mentionId,
    externalId: input.externalId,
    threadId: input.threadId,
    replyTo: input.replyTo,
    storyId: input.storyId,
  });
  const schools = await schoolNamesAndAliases(db, input.schoolIds);
  const actor = input.by?.email ?? 'klankbord';
  const out: CaseChange[] = [];
  // all at once, in the order every filing takes them, so two filings never wait for each other in a circle
  await lockManySchoolCases(
    db,
    schools.map((s) => s.id),
  );
  for (const school of schools) {
    const words = topicWords(input.text, [school.name, ...school.aliases], input.risks);
    const mine = await caseOfMention(db, input.mentionId, school.id);
    const target =
      mine ??
      openCaseFor(await recentCases(db, school.id, kind, OPEN_STATES, keys), { kind, keys, words, at: input.at, now });
    const created = !target;
    const caseId =
      target?.id ??
      (await insertCase(db, {
        board_id: input.boardId,
        school_id: school.id,
        kind,
        severity,
        policy: input.policy.id,
        policy_version: input.policy.version,
        due_at: now,
        last_mention_at: input.at,
        topic_words: words,
        created_at: now,
        updated_at: now,
      }));
    await linkCaseMention(db, caseId, input.mentionId);
    // A later post can bring a contradicted fact or talking point the first did not have.
    const added = actions.length ? await mergeCaseActions(db, caseId, filedActions(actions, now)) : [];
    const newActions = added.filter((a) => a.inserted).map((a) => a.type as ActionType);
    // A person's correction that asks for more reopens a closed case; a collected post never does
    // (it only joins open ones).
    const reopened = !!target && !OPEN_STATES.includes(target.state as never) && newActions.length > 0;
    const sev = target ? maxSeverity(target.severity, severity) : severity;
    await updateFiledCase(db, caseId, {
      severity: sev,
      mentionAt: input.at,
      words,
      keys,
      merge: !created,
      reopen: reopened,
      now,
    });
    if (created || newActions.length || !mine) {
      await insertFilingEvent(db, {
        caseId,
        userId: input.by?.userId ?? null,
        actor,
        kind: created ? 'created' : reopened ? 'reopened' : 'mention_added',
        details: { mentionId: input.mentionId, actions: newActions },
        at: now,
      });
    }
    if (created) {
      await audit(db, {
        boardId: input.boardId,
        userId: input.by?.userId ?? null,
        actor,
        action: 'case.create',
        targetType: 'case',
        targetId: caseId,
        details: { mentionId: input.mentionId, kind, severity },
        at: now,
      });
    }
    // Urgent prompts alert the responsible people now (queued in this transaction).
    if (newActions.length)
      await queueAlert(db, { boardId: input.boardId, caseId, schoolId: school.id, newActions }, now);
    out.push({ caseId, schoolId: school.id, created, reopened, newActions, severity: sev });
  }
  return out;
}
