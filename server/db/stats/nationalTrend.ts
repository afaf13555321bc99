import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { buckets, unit, type Bucket, type Period } from './period.ts';

// The nation's mentions per day or week by sentiment, over every board, from its own daily rollup
// (sql/0032_stats_board_daily.sql); rows shaped as sentimentTrend's.
export async function nationalTrend(db: DB, p: Period, b: Bucket) {
  const r = await sql<{ bucket: string; positive: number; neutral: number; negative: number; corrected: number }>`
    with agg as (
      select date_trunc(${unit(b)}, day)::date as bucket,
        sum(mentions) filter (where sentiment = 'positive') as positive,
        sum(mentions) filter (where sentiment = 'neutral') as neutral,
        sum(mentions) filter (where sentiment = 'negative') as negative,
        sum(corrected) as corrected
      from stats_national_daily
      where day between ${p.from}::date and ${p.to}::date
      group by 1
    )
    select to_char(b.bucket, 'YYYY-MM-DD') as bucket, coalesce(a.positive, 0)::int as positive,
      coalesce(a.neutral, 0)::int as neutral, coalesce(a.negative, 0)::int as negative,
      coalesce(a.corrected, 0)::int as corrected
    from (${buckets(p, b)}) b left join agg a on a.bucket = b.bucket
    order by b.bucket`.execute(db);
  return r.rows;
}
