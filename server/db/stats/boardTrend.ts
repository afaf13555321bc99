import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { buckets, ids, unit, type Bucket, type Period } from './period.ts';

// A board's (or several boards', the nation's) mentions per day or week by sentiment, read from the
// boards' own rollup (sql/0032_stats_board_daily.sql) instead of summing every school's rows; rows
// shaped as sentimentTrend's. `leaveOut`: schools whose rows the board total holds but the viewer's
// figures do not (archived ones), subtracted from their own rollup.
export async function boardTrend(db: DB, boardIds: string[], p: Period, b: Bucket, leaveOut: string[] = []) {
  const r = await sql<{ bucket: string; positive: number; neutral: number; negative: number; corrected: number }>`
    with rows as (
      select day, sentiment, mentions, corrected
      from stats_board_daily
      where board_id = any(${ids(boardIds)}) and day between ${p.from}::date and ${p.to}::date
      union all
      select day, sentiment, -mentions, case when corrected then -mentions else 0 end
      from stats_daily
      where school_id = any(${ids(leaveOut)}) and day between ${p.from}::date and ${p.to}::date
    ), agg as (
      select date_trunc(${unit(b)}, day)::date as bucket,
        sum(mentions) filter (where sentiment = 'positive') as positive,
        sum(mentions) filter (where sentiment = 'neutral') as neutral,
        sum(mentions) filter (where sentiment = 'negative') as negative,
        sum(corrected) as corrected
      from rows
      group by 1
    )
    select to_char(b.bucket, 'YYYY-MM-DD') as bucket, coalesce(a.positive, 0)::int as positive,
      coalesce(a.neutral, 0)::int as neutral, coalesce(a.negative, 0)::int as negative,
      coalesce(a.corrected, 0)::int as corrected
    from (${buckets(p, b)}) b left join agg a on a.bucket = b.bucket
    order by b.bucket`.execute(db);
  return r.rows;
}
