import type { DB } from './index.ts';

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

export async function getBoard(db: DB, boardId: string) {
  return db.selectFrom('boards').select(['id', 'slug', 'name', 'policy']).where('id', '=', boardId).executeTakeFirstOrThrow();
}
