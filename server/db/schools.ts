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
    .orderBy('name')
    .execute();
}

// A school of the board by its slug (the slug is unique per board, not across boards). Callers
// check that the viewer may see it.
export async function schoolBySlug(db: DB, boardId: string, slug: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'slug', 'name', 'aliases', 'place', 'query', 'facts', 'region'])
    .where('board_id', '=', boardId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

// The board's schools with everything the schools page shows, by name.
export async function schoolsOfBoard(db: DB, boardId: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'slug', 'name', 'aliases', 'place', 'query', 'facts', 'region'])
    .where('board_id', '=', boardId)
    .orderBy('name')
    .execute();
}

export async function schoolSlugsOfBoard(db: DB, boardId: string) {
  return db.selectFrom('schools').select(['id', 'slug']).where('board_id', '=', boardId).execute();
}

// The schools among `slugs` that the board has (unknown slugs are simply missing).
export async function schoolsBySlugs(db: DB, boardId: string, slugs: string[]) {
  return db
    .selectFrom('schools')
    .select(['id', 'slug'])
    .where('board_id', '=', boardId)
    .where('slug', 'in', slugs)
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
