import type { DB } from './index.ts';

export async function getBoard(db: DB, boardId: string) {
  return db
    .selectFrom('boards')
    .select(['id', 'slug', 'name', 'policy'])
    .where('id', '=', boardId)
    .executeTakeFirstOrThrow();
}

export async function boardBySlug(db: DB, slug: string) {
  return db.selectFrom('boards').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function boardSlugs(db: DB): Promise<string[]> {
  return (await db.selectFrom('boards').select('slug').orderBy('slug').execute()).map((b) => b.slug);
}

export async function boardExclusions(db: DB, boardId: string): Promise<string | null> {
  return (await db.selectFrom('boards').select('exclusions').where('id', '=', boardId).executeTakeFirstOrThrow())
    .exclusions;
}

export async function setBoardExclusions(db: DB, boardId: string, exclusions: string | null) {
  await db.updateTable('boards').set({ exclusions }).where('id', '=', boardId).execute();
}

export async function insertBoard(
  db: DB,
  b: { slug: string; name: string; policy: string; exclusions: string | null; isDemo: boolean },
): Promise<string> {
  const row = await db
    .insertInto('boards')
    .values({ slug: b.slug, name: b.name, policy: b.policy, exclusions: b.exclusions, is_demo: b.isDemo })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// Name and exclusions from a board file; the policy changes only through a new policy version.
export async function updateBoardNameAndExclusions(
  db: DB,
  boardId: string,
  name: string,
  exclusions: string | null,
): Promise<string> {
  const row = await db
    .updateTable('boards')
    .set({ name, exclusions })
    .where('id', '=', boardId)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function renameBoard(db: DB, boardId: string, name: string) {
  await db.updateTable('boards').set({ name }).where('id', '=', boardId).execute();
}

// Holds the board's row until the transaction ends, so two changes to its set of schools (archiving
// the last two, say) take turns.
export async function lockBoard(trx: DB, boardId: string) {
  await trx.selectFrom('boards').select('id').where('id', '=', boardId).forUpdate().execute();
}
