import { sql } from 'kysely';
import type { DB } from './index.ts';
import { notHeldReport } from './reports.ts';
import type { Severity } from './schema.ts';

// What workers/cases/spike.ts reads to see a discussion getting out of hand, and the writes that
// raise the escalate prompt. The thresholds are the worker's.

export async function schoolsWithPolicy(db: DB) {
  return db
    .selectFrom('schools as s')
    .innerJoin('boards as b', 'b.id', 's.board_id')
    .select(['s.id', 's.board_id', 's.region', 'b.policy', 'b.policy_version'])
    .where('s.archived_at', 'is', null)
    .execute();
}

// Negative or risky first copies of stories per school and 24-hour window back from `now`
// (w = 0: the last 24 hours), published after `since`.
export async function negativeCountsPerDay(db: DB, q: { classifier: string; now: Date; since: Date }) {
  return (
    db
      .selectFrom('mention_schools as ms')
      .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
      .innerJoin('classifications as c', (j) =>
        j.onRef('c.mention_id', '=', 'm.id').on('c.classifier', '=', q.classifier),
      )
      .select([
        'ms.school_id',
        sql<number>`floor(extract(epoch from (${q.now}::timestamptz - m.published_at)) / 86400)::int`.as('w'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('ms.active', '=', true)
      .where('m.story_id', 'is', null)
      .where('m.published_at', '>', q.since)
      .where('m.published_at', '<=', q.now)
      // the index on first copies' Dutch day (sql/0031): 29 days of posts, not the table
      .where(sql<boolean>`dutch_day(m.published_at) >= dutch_day(${q.since}::timestamptz)`)
      .where((eb) => eb.or([eb('c.sentiment', '=', 'negative'), sql<boolean>`jsonb_array_length(c.risks) > 0`]))
      .where(notHeldReport)
      .groupBy(['ms.school_id', 'w'])
      .execute()
  );
}

const dates = [
  sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'),
  sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on'),
] as const;

// Each school's calendar entries and the boards' holiday schedules (for all schools or one region)
// that end on or after `sinceDay` (YYYY-MM-DD).
export async function calendarsSince(db: DB, sinceDay: string) {
  const school = await db
    .selectFrom('school_calendar')
    .select(['school_id', 'kind', ...dates])
    .where('ends_on', '>=', sql<string>`${sinceDay}::date`)
    .execute();
  const board = await db
    .selectFrom('board_calendar')
    .select(['board_id', 'region', 'kind', ...dates])
    .where('ends_on', '>=', sql<string>`${sinceDay}::date`)
    .execute();
  return { school, board };
}

// The school's open case that carries `key` among its thread keys.
export async function openCaseWithKey(db: DB, schoolId: string, key: string) {
  return db
    .selectFrom('cases')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('state', 'in', ['nieuw', 'in_behandeling'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('case_thread_keys as k')
          .select('k.key')
          .whereRef('k.case_id', '=', 'cases.id')
          .where('k.key', '=', key),
      ),
    )
    .executeTakeFirst();
}

// The school's negative or risky mentions published in (from, to] join the case.
export async function linkNegativeMentions(
  db: DB,
  q: { caseId: string; schoolId: string; classifier: string; from: Date; to: Date },
) {
  await db
    .insertInto('case_mentions')
    .columns(['case_id', 'mention_id'])
    .expression((eb) =>
      eb
        .selectFrom('mention_schools as ms')
        .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
        .innerJoin('classifications as cl', (j) =>
          j.onRef('cl.mention_id', '=', 'm.id').on('cl.classifier', '=', q.classifier),
        )
        .select([sql<string>`${q.caseId}::bigint`.as('case_id'), 'm.id'])
        .where('ms.school_id', '=', q.schoolId)
        .where('m.published_at', '>', q.from)
        .where('m.published_at', '<=', q.to)
        .where((eb2) => eb2.or([eb2('cl.sentiment', '=', 'negative'), sql<boolean>`jsonb_array_length(cl.risks) > 0`]))
        .where(notHeldReport),
    )
    .execute();
}

// Open concern cases with at least `minPosts` posts published after `since` and no escalate prompt yet.
export async function busyConcernCases(db: DB, q: { since: Date; minPosts: number }) {
  return db
    .selectFrom('case_mentions as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select(['c.id', 'c.school_id', 'c.board_id', 'c.policy', 'c.policy_version'])
    .where('c.kind', '=', 'concern')
    .where('c.state', 'in', ['nieuw', 'in_behandeling'])
    .where('m.published_at', '>', q.since)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_actions as a')
            .select(sql`1`.as('one'))
            .whereRef('a.case_id', '=', 'c.id')
            .where('a.type', '=', 'escalate'),
        ),
      ),
    )
    .groupBy(['c.id', 'c.school_id', 'c.board_id', 'c.policy', 'c.policy_version'])
    .having(sql<number>`count(*)`, '>=', q.minPosts)
    .execute();
}

// Raises the case's severity and brings its due date forward to `dueBy` (never later than it was).
export async function escalateCase(db: DB, caseId: string, u: { severity: Severity; dueBy: Date; now: Date }) {
  await db
    .updateTable('cases')
    .set({ severity: u.severity, due_at: sql<Date>`least(due_at, ${u.dueBy})`, updated_at: u.now })
    .where('id', '=', caseId)
    .execute();
}
