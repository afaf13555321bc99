import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { ids, type Period } from './period.ts';

// The schools most talked about in a period, with their negatives (for the share): of these boards,
// or of every board (null), which then reads the rollup alone.
export async function topSchools(db: DB, boardIds: string[] | null, p: Period, limit: number) {
  const scope = boardIds
    ? sql`d.school_id in (select s.id from schools s where s.board_id = any(${ids(boardIds)}))`
    : sql`true`;
  const r = await sql<{ school_id: string; mentions: number; negative: number }>`
    select d.school_id, sum(d.mentions)::int as mentions,
      coalesce(sum(d.mentions) filter (where d.sentiment = 'negative'), 0)::int as negative
    from stats_daily d
    where ${scope} and d.day between ${p.from}::date and ${p.to}::date
    group by 1 order by 2 desc, 1 limit ${limit}`.execute(db);
  return r.rows;
}
