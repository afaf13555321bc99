import type { SchoolQueryRow } from '../../workers/match/board.ts';
import type { DB } from './index.ts';

// The schools of a board (or one school) with what their matcher is built from. An archived school
// matches nothing: it is simply not among them.
export async function loadSchools(db: DB, boardId: string, schoolId?: string | null): Promise<SchoolQueryRow[]> {
  let q = db
    .selectFrom('schools')
    .select(['id', 'name', 'aliases', 'place', 'query'])
    .where('board_id', '=', boardId)
    .where('archived_at', 'is', null);
  if (schoolId) q = q.where('id', '=', schoolId);
  return q.execute();
}
