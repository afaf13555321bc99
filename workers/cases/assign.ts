import { sql } from 'kysely';
import type { DB } from '../../server/db/index.ts';
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

export type CaseChange = { caseId: string; schoolId: string; created: boolean; reopened: boolean; newActions: ActionType[]; severity: Severity };

export async function assignCases(db: DB, input: CaseInput): Promise<CaseChange[]> {
  const kind = caseKind(input.actions);
  const now = input.now ?? new Date();
  if (!kind || !input.schoolIds.length) return [];
  if (!input.by && input.at.getTime() < now.getTime() - RECENT_DAYS * 86_400_000) return [];
  const actions = input.actions.filter((a) => a.type !== 'monitor');
  const severity = kind === 'good_news' ? 'low' : severityOf(input.risks, actions);
  const keys = threadKeys({ id: input.mentionId, externalId: input.externalId, threadId: input.threadId, replyTo: input.replyTo, storyId: input.storyId });
  const schools = await db.selectFrom('schools').select(['id', 'name', 'aliases']).where('id', 'in', input.schoolIds).execute();
  const actor = input.by?.email ?? 'klankbord';
  const out: CaseChange[] = [];
  for (const school of schools) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`case|${school.id}`}, 0))`.execute(db);
    const words = topicWords(input.text, [school.name, ...school.aliases], input.risks);
    const mine = await db
      .selectFrom('case_mentions as cm')
      .innerJoin('cases as c', 'c.id', 'cm.case_id')
      .select(['c.id', 'c.state', 'c.severity'])
      .where('cm.mention_id', '=', input.mentionId)
      .where('c.school_id', '=', school.id)
      .orderBy('c.id', 'desc')
      .executeTakeFirst();
    let target = mine;
    if (!target) {
      const open = await db
        .selectFrom('cases')
        .select(['id', 'state', 'severity', 'topic_words', 'thread_keys', 'last_mention_at', 'created_at'])
        .where('school_id', '=', school.id)
        .where('kind', '=', kind)
        .where('state', 'in', OPEN_STATES)
        .orderBy('last_mention_at', 'desc')
        .limit(50)
        .execute();
      const windowStart = input.at.getTime() - DISCUSSION_HOURS * 3_600_000;
      target =
        open.find((c) => c.thread_keys.some((k) => keys.includes(k))) ??
        (kind === 'good_news'
          ? open.find((c) => c.created_at.getTime() >= now.getTime() - GOOD_NEWS_DAYS * 86_400_000)
          : open.find((c) => c.last_mention_at.getTime() >= windowStart && sameTopic(c.topic_words, words)));
    }
    const created = !target;
    const caseId =
      target?.id ??
      (
        await db
          .insertInto('cases')
          .values({ board_id: input.boardId, school_id: school.id, kind, severity, policy: input.policy.id, policy_version: input.policy.version, due_at: now, last_mention_at: input.at, topic_words: words, thread_keys: keys, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await db.insertInto('case_mentions').values({ case_id: caseId, mention_id: input.mentionId }).onConflict((oc) => oc.doNothing()).execute();
    const added = actions.length
      ? await db
          .insertInto('case_actions')
          .values(
            actions.map((a) => ({
              case_id: caseId,
              type: a.type,
              article: a.article,
              basis: a.basis,
              rule: a.rule,
              roles: a.roles,
              guidance: a.guidance,
              parts: JSON.stringify(a.parts),
              points: JSON.stringify(a.points ?? []),
              facts: JSON.stringify(a.facts ?? []),
              due_at: new Date(Math.max(endOfDutchDay(now).getTime(), Date.parse(a.due))),
            })),
          )
          // A later post can bring a contradicted fact or talking point the first did not have.
          .onConflict((oc) =>
            oc.columns(['case_id', 'type']).doUpdateSet({
              facts: sql`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(case_actions.facts || excluded.facts) x)`,
              points: sql`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(case_actions.points || excluded.points) x)`,
            }),
          )
          .returning(['type', sql<boolean>`(xmax = 0)`.as('inserted')])
          .execute()
      : [];
    const newActions = added.filter((a) => a.inserted).map((a) => a.type as ActionType);
    // A person's correction that asks for more reopens a closed case; a collected post never does
    // (it only joins open ones).
    const reopened = !!target && !OPEN_STATES.includes(target.state as never) && newActions.length > 0;
    const sev = target ? maxSeverity(target.severity, severity) : severity;
    await db
      .updateTable('cases')
      .set((eb) => ({
        severity: sev,
        due_at: sql<Date>`coalesce((select min(due_at) from case_actions where case_id = ${caseId} and status = 'open'), ${now})`,
        last_mention_at: sql<Date>`greatest(last_mention_at, ${input.at})`,
        topic_words: created ? words : sql<string[]>`(select coalesce(array_agg(distinct w), '{}') from unnest(topic_words || ${words}::text[]) w)`,
        thread_keys: created ? keys : sql<string[]>`(select coalesce(array_agg(distinct k), '{}') from unnest(thread_keys || ${keys}::text[]) k)`,
        updated_at: now,
        ...(reopened ? { state: 'in_behandeling' as const, closed_at: null } : {}),
      }))
      .where('id', '=', caseId)
      .execute();
    if (created || newActions.length || !mine) {
      await db
        .insertInto('case_events')
        .values({ case_id: caseId, user_id: input.by?.userId ?? null, actor, kind: created ? 'created' : reopened ? 'reopened' : 'mention_added', details: JSON.stringify({ mentionId: input.mentionId, actions: newActions }), created_at: now })
        .execute();
    }
    if (created) {
      await db
        .insertInto('audit_log')
        .values({ board_id: input.boardId, user_id: input.by?.userId ?? null, actor, action: 'case.create', target_type: 'case', target_id: caseId, details: JSON.stringify({ mentionId: input.mentionId, kind, severity }) })
        .execute();
    }
    // Urgent prompts alert the responsible people now (queued in this transaction).
    if (newActions.length) await queueAlert(db, { boardId: input.boardId, caseId, schoolId: school.id, newActions }, now);
    out.push({ caseId, schoolId: school.id, created, reopened, newActions, severity: sev });
  }
  return out;
}
