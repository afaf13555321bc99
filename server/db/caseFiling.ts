import { sql, type Insertable } from 'kysely';
import type { DB } from './index.ts';
import type { CaseKind, CaseState, Database, Severity } from './schema.ts';

// The writes behind filing mentions into cases (workers/cases): which case a mention joins, its
// thread keys and the case's dossier (the prompts it brings: casePrompts.ts). The worker decides;
// these run inside its transaction.

// One school's cases change under one transaction-scoped lock, so two workers filing at once agree.
export async function lockSchoolCases(db: DB, schoolId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`case|${schoolId}`}, 0))`.execute(db);
}

// Several schools' case locks for one batch, each once and in the order of the lock ids, so two
// batches about the same schools never deadlock.
export async function lockManySchoolCases(db: DB, schoolIds: string[]) {
  if (!schoolIds.length) return;
  const names = [...new Set(schoolIds.map((id) => `case|${id}`))];
  await sql`select count(pg_advisory_xact_lock(h)) from (
      select distinct hashtextextended(k, 0) as h from unnest(${names}::text[]) as k order by h
    ) as locks`.execute(db);
}

export async function schoolNamesAndAliases(db: DB, ids: string[]) {
  return db.selectFrom('schools').select(['id', 'name', 'aliases']).where('id', 'in', ids).execute();
}

// The school's newest case that already holds this mention.
export async function caseOfMention(db: DB, mentionId: string, schoolId: string) {
  return db
    .selectFrom('case_mentions as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .select(['c.id', 'c.state', 'c.severity'])
    .where('cm.mention_id', '=', mentionId)
    .where('c.school_id', '=', schoolId)
    .orderBy('c.id', 'desc')
    .executeTakeFirst();
}

// A case's thread keys as the filing of posts with `keys` needs them: only those of `keys` the case
// holds (a post joins a case that holds one of its own keys), read from case_thread_keys.
// `caseId`: the case's id column in the query.
const heldKeys = (caseId: string, keys: string[]) =>
  sql<
    string[]
  >`array(select k.key from case_thread_keys k where k.case_id = ${sql.ref(caseId)} and k.key = any(${keys}::text[]))`;

// The school's 50 most recently active cases of this kind in one of `states`: the ones a new post
// (with thread keys `keys`) may join.
export async function recentCases(
  db: DB,
  schoolId: string,
  kind: CaseKind,
  states: readonly CaseState[],
  keys: string[],
) {
  return db
    .selectFrom('cases')
    .select(['id', 'state', 'severity', 'topic_words', 'last_mention_at', 'created_at'])
    .select(heldKeys('cases.id', keys).as('thread_keys'))
    .where('school_id', '=', schoolId)
    .where('kind', '=', kind)
    .where('state', 'in', states)
    .orderBy('last_mention_at', 'desc')
    .limit(50)
    .execute();
}

// recentCases for several schools and kinds in one query, for the posts of a batch (`keys`: all
// their thread keys).
export async function recentCasesOfSchools(
  db: DB,
  schoolIds: string[],
  kinds: CaseKind[],
  states: readonly CaseState[],
  keys: string[],
) {
  if (!schoolIds.length || !kinds.length) return [];
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('cases')
        .select(['id', 'school_id', 'kind', 'state', 'severity', 'topic_words', 'last_mention_at'])
        .select(['created_at'])
        .select(sql<number>`row_number() over (partition by school_id, kind order by last_mention_at desc)`.as('n'))
        .where('school_id', 'in', schoolIds)
        .where('kind', 'in', kinds)
        .where('state', 'in', states)
        .as('c'),
    )
    .selectAll()
    .select(heldKeys('c.id', keys).as('thread_keys'))
    .where('n', '<=', 50)
    .orderBy('last_mention_at', 'desc')
    .execute();
}

// Thread keys a case gains (a new case's, or a joining post's it lacked); keys it has stay.
export async function addCaseKeys(db: DB, rows: { caseId: string; key: string }[]) {
  if (!rows.length) return;
  await sql`insert into case_thread_keys (case_id, key)
    select * from unnest(${rows.map((r) => r.caseId)}::bigint[], ${rows.map((r) => r.key)}::text[])
    on conflict do nothing`.execute(db);
}

export async function insertCase(db: DB, values: Insertable<Database['cases']>): Promise<string> {
  return (await db.insertInto('cases').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function linkCaseMention(db: DB, caseId: string, mentionId: string) {
  await db
    .insertInto('case_mentions')
    .values({ case_id: caseId, mention_id: mentionId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function linkCaseMentions(db: DB, links: { caseId: string; mentionId: string }[]) {
  if (!links.length) return;
  await db
    .insertInto('case_mentions')
    .values(links.map((l) => ({ case_id: l.caseId, mention_id: l.mentionId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

// After a post joined: due when the earliest open prompt is, active since the latest post, the topic
// words of every post (`merge`) or of the first one, and the post's thread keys added.
export type FiledCaseUpdate = {
  severity: Severity;
  mentionAt: Date;
  words: string[];
  keys: string[];
  merge: boolean;
  reopen: boolean;
  now: Date;
};

export async function updateFiledCase(db: DB, caseId: string, u: FiledCaseUpdate) {
  await db
    .updateTable('cases')
    .set({
      severity: u.severity,
      due_at: sql<Date>`coalesce((select min(due_at) from case_actions where case_id = ${caseId} and status = 'open'), ${u.now})`,
      last_mention_at: sql<Date>`greatest(last_mention_at, ${u.mentionAt})`,
      topic_words: u.merge
        ? sql<string[]>`(select coalesce(array_agg(distinct w), '{}') from unnest(topic_words || ${u.words}::text[]) w)`
        : u.words,
      updated_at: u.now,
      ...(u.reopen ? { state: 'in_behandeling' as const, closed_at: null } : {}),
    })
    .where('id', '=', caseId)
    .execute();
  await addCaseKeys(
    db,
    u.keys.map((key) => ({ caseId, key })),
  );
}

// The cases one pipeline batch touched, in one statement (workers/cases/assignBatch.ts). Each row's
// words are already whole (read under the schools' case locks and merged in memory), so they are set
// as given; due, active since and severity as in updateFiledCase. In id order, as any other writer of
// several cases takes their rows. Their new thread keys are added with addCaseKeys.
export type FiledCasesUpdate = {
  caseId: string;
  severity: Severity;
  mentionAt: Date;
  words: string[];
  now: Date;
};

export async function updateFiledCases(db: DB, updates: FiledCasesUpdate[]) {
  if (!updates.length) return;
  const rows = [...updates]
    .sort((a, b) => Number(BigInt(a.caseId) - BigInt(b.caseId)))
    .map((u) => ({
      id: u.caseId,
      severity: u.severity,
      mention_at: u.mentionAt.toISOString(),
      words: u.words,
      now: u.now.toISOString(),
    }));
  await sql`
    update cases c set
      severity = v.severity,
      due_at = coalesce((select min(a.due_at) from case_actions a where a.case_id = c.id and a.status = 'open'), v.now),
      last_mention_at = greatest(c.last_mention_at, v.mention_at),
      topic_words = v.words,
      updated_at = v.now
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id bigint, severity text, mention_at timestamptz, words text[], now timestamptz)
    where c.id = v.id`.execute(db);
}

export type FilingEvent = {
  caseId: string;
  userId?: string | null;
  actor: string;
  kind: string;
  details: Record<string, unknown>;
  at: Date;
};

export async function insertFilingEvent(db: DB, e: FilingEvent) {
  await insertFilingEvents(db, [e]);
}

export async function insertFilingEvents(db: DB, events: FilingEvent[]) {
  if (!events.length) return;
  await db
    .insertInto('case_events')
    .values(
      events.map((e) => ({
        case_id: e.caseId,
        user_id: e.userId ?? null,
        actor: e.actor,
        kind: e.kind,
        details: JSON.stringify(e.details),
        created_at: e.at,
      })),
    )
    .execute();
}

export async function activeSchoolIds(db: DB, mentionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mention_schools')
    .select('school_id')
    .where('mention_id', '=', mentionId)
    .where('active', '=', true)
    .execute();
  return rows.map((s) => s.school_id);
}
