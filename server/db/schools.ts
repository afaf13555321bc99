import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { Region } from './schema.ts';

export async function listSchools(db: DB, boardId: string, schoolIds: string[]) {
  if (!schoolIds.length) return [];
  return db
    .selectFrom('schools')
    .select(['id', 'slug', 'name', 'aliases'])
    .where('board_id', '=', boardId)
    .where('id', 'in', schoolIds)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .execute();
}

// A school of the board by its slug (the slug is unique per board, not across boards). Callers
// check that the viewer may see it.
export async function schoolBySlug(db: DB, boardId: string, slug: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'slug', 'name', 'aliases', 'place', 'query', 'facts', 'region', 'archived_at'])
    .where('board_id', '=', boardId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

// The board's schools (not archived) with everything the schools page shows, by name.
export async function schoolsOfBoard(db: DB, boardId: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'slug', 'name', 'aliases', 'place', 'query', 'facts', 'region'])
    .where('board_id', '=', boardId)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .execute();
}

// The board's archived schools: their history still counts in the board's rollups.
export async function archivedSchoolIds(db: DB, boardId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('schools')
    .select('id')
    .where('board_id', '=', boardId)
    .where('archived_at', 'is not', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function schoolSlugsOfBoard(db: DB, boardId: string) {
  return db.selectFrom('schools').select(['id', 'slug']).where('board_id', '=', boardId).execute();
}

// The schools among `slugs` that the board has (unknown and archived slugs are simply missing).
export async function schoolsBySlugs(db: DB, boardId: string, slugs: string[]) {
  return db
    .selectFrom('schools')
    .select(['id', 'slug'])
    .where('board_id', '=', boardId)
    .where('slug', 'in', slugs)
    .where('archived_at', 'is', null)
    .execute();
}

// Whole rows, by slug: the board file written out.
export async function fullSchoolsOfBoard(db: DB, boardId: string) {
  return db.selectFrom('schools').selectAll().where('board_id', '=', boardId).orderBy('slug').execute();
}

export type SchoolFileValues = {
  name: string;
  aliases: string[];
  query: string | null;
  place: string | null;
  facts: string[];
  region?: Region | null;
};

// Creates the school or updates the one with this slug; `inserted` tells which happened.
export async function upsertSchool(db: DB, boardId: string, slug: string, values: SchoolFileValues) {
  return (
    db
      .insertInto('schools')
      .values({ board_id: boardId, slug, ...values })
      .onConflict((oc) => oc.columns(['board_id', 'slug']).doUpdateSet(values))
      // why: xmax is 0 only for a row this statement inserted, so it tells create from update
      .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
      .executeTakeFirstOrThrow()
  );
}

export async function setSchoolFacts(db: DB, schoolId: string, facts: string[]) {
  await db.updateTable('schools').set({ facts }).where('id', '=', schoolId).execute();
}

export async function setSchoolRegion(db: DB, schoolId: string, region: Region | null) {
  await db.updateTable('schools').set({ region }).where('id', '=', schoolId).execute();
}

export async function setSchoolQuery(db: DB, schoolId: string, query: string | null) {
  await db.updateTable('schools').set({ query }).where('id', '=', schoolId).execute();
}

// Mentions linked to the school (still or once) that were published in the last `days` days.
export async function recentMentionIdsOfSchool(db: DB, schoolId: string, days: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mention_schools as ms')
    .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
    .select('m.id')
    .where('ms.school_id', '=', schoolId)
    .where('m.published_at', '>=', sql<Date>`now() - make_interval(days => ${days})`)
    .execute();
  return rows.map((r) => r.id);
}

// What goes well and what could be better, from the school's discussions, newest first.
export async function schoolPoints(db: DB, schoolId: string) {
  return db
    .selectFrom('school_points')
    .select(['id', 'kind', 'text', 'case_id', 'created_by', 'created_at'])
    .where('school_id', '=', schoolId)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

// Managing schools in the dashboard (beheer): add, edit, archive (a soft delete), restore, purge.

export const SCHOOL_UNDO_DAYS = 30;
export type SchoolDetails = { name: string; aliases: string[]; place: string | null; region: Region | null };

// A new school, or null when the board already has this slug (archived schools included).
export async function insertSchool(
  db: DB,
  boardId: string,
  slug: string,
  values: SchoolDetails,
): Promise<string | null> {
  const row = await db
    .insertInto('schools')
    .values({ board_id: boardId, slug, ...values })
    .onConflict((oc) => oc.columns(['board_id', 'slug']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function updateSchoolDetails(db: DB, schoolId: string, values: SchoolDetails) {
  await db.updateTable('schools').set(values).where('id', '=', schoolId).execute();
}

export async function activeSchoolCount(db: DB, boardId: string): Promise<number> {
  const row = await db
    .selectFrom('schools')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('board_id', '=', boardId)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

// Open cases that are the school's own or hold one of its posts (linked to it, or from its own
// sources): while there are any, the school is not archived, and an archived one is not purged.
// `schoolId` is a value or a column reference; the cases table is `c`.
const openCaseOfSchool = (schoolId: unknown) => sql<boolean>`c.state in ('nieuw', 'in_behandeling') and (
  c.school_id = ${schoolId}
  or exists (select 1 from case_mentions cm join mention_schools ms on ms.mention_id = cm.mention_id
    where cm.case_id = c.id and ms.school_id = ${schoolId})
  or exists (select 1 from case_mentions cm join mentions m on m.id = cm.mention_id
    join sources so on so.id = m.source_id where cm.case_id = c.id and so.school_id = ${schoolId}))`;

export async function openCasesOfSchool(db: DB, schoolId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from cases c
    where ${openCaseOfSchool(schoolId)}`.execute(db);
  return rows[0]!.n;
}

export async function archiveSchool(db: DB, schoolId: string, userId: string, now: Date) {
  await db.updateTable('schools').set({ archived_at: now, archived_by: userId }).where('id', '=', schoolId).execute();
}

export async function restoreSchool(db: DB, schoolId: string) {
  await db.updateTable('schools').set({ archived_at: null, archived_by: null }).where('id', '=', schoolId).execute();
}

// The board's archived schools for the "Gearchiveerd" list, with who archived them and the open cases
// that keep the retention job from removing them.
export async function archivedSchoolsOfBoard(db: DB, boardId: string) {
  const rows = await db
    .selectFrom('schools as s')
    .leftJoin('users as u', 'u.id', 's.archived_by')
    .select(['s.id', 's.slug', 's.name', 's.archived_at', 'u.name as archivedByName', 'u.email as archivedByEmail'])
    .where('s.board_id', '=', boardId)
    .where('s.archived_at', 'is not', null)
    .orderBy('s.archived_at', 'desc')
    .execute();
  return Promise.all(rows.map(async (r) => ({ ...r, openCases: await openCasesOfSchool(db, r.id) })));
}

const PURGE_BATCH = 1000;

// Schools archived more than SCHOOL_UNDO_DAYS before `now` go for good with their posts (those linked
// to no other school; its own sources' posts go with the sources) — not while an open case needs them.
// Bounded: at most PURGE_BATCH posts per school and pass; the school row goes once its posts are gone.
export async function purgeArchivedSchools(
  db: DB,
  boardId: string,
  now: Date,
): Promise<{ schools: number; schoolMentions: number }> {
  const due = await db
    .selectFrom('schools as s')
    .select('s.id')
    .where('s.board_id', '=', boardId)
    .where('s.archived_at', '<', sql<Date>`${now}::timestamptz - make_interval(days => ${SCHOOL_UNDO_DAYS})`)
    .where(sql<boolean>`not exists (select 1 from cases c where ${openCaseOfSchool(sql.ref('s.id'))})`)
    .execute();
  let schools = 0;
  let schoolMentions = 0;
  for (const { id } of due) {
    const own = db
      .selectFrom('mention_schools as ms')
      .select('ms.mention_id')
      .where('ms.school_id', '=', id)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('mention_schools as o')
              .select('o.mention_id')
              .whereRef('o.mention_id', '=', 'ms.mention_id')
              .where('o.school_id', '<>', id),
          ),
        ),
      )
      .limit(PURGE_BATCH);
    const n = Number((await db.deleteFrom('mentions').where('id', 'in', own).executeTakeFirst()).numDeletedRows);
    schoolMentions += n;
    if (n < PURGE_BATCH) {
      // its sources, their posts, its cases (all closed), reports, contacts and calendar cascade
      await db.deleteFrom('schools').where('id', '=', id).where('archived_at', 'is not', null).execute();
      schools++;
    }
  }
  return { schools, schoolMentions };
}
