import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { buckets, ids, unit, type Bucket, type Period } from './period.ts';

// Mentions per day or week by sentiment, for a stacked bar chart (and the share of negatives).
export async function sentimentTrend(db: DB, schoolIds: string[], p: Period, b: Bucket) {
  const r = await sql<{ bucket: string; positive: number; neutral: number; negative: number; corrected: number }>`
    with agg as (
      select date_trunc(${unit(b)}, day)::date as bucket,
        sum(mentions) filter (where sentiment = 'positive') as positive,
        sum(mentions) filter (where sentiment = 'neutral') as neutral,
        sum(mentions) filter (where sentiment = 'negative') as negative,
        sum(mentions) filter (where corrected) as corrected
      from stats_daily
      where school_id = any(${ids(schoolIds)}) and day between ${p.from}::date and ${p.to}::date
      group by 1
    )
    select to_char(b.bucket, 'YYYY-MM-DD') as bucket, coalesce(a.positive, 0)::int as positive,
      coalesce(a.neutral, 0)::int as neutral, coalesce(a.negative, 0)::int as negative,
      coalesce(a.corrected, 0)::int as corrected
    from (${buckets(p, b)}) b left join agg a on a.bucket = b.bucket
    order by b.bucket`.execute(db);
  return r.rows;
}

// Totals of a period per school: volume, negatives (for shares and the comparison table).
export async function sentimentTotals(db: DB, schoolIds: string[], p: Period) {
  const r = await sql<{ school_id: string; mentions: number; negative: number; positive: number }>`
    select school_id, sum(mentions)::int as mentions,
      coalesce(sum(mentions) filter (where sentiment = 'negative'), 0)::int as negative,
      coalesce(sum(mentions) filter (where sentiment = 'positive'), 0)::int as positive
    from stats_daily
    where school_id = any(${ids(schoolIds)}) and day between ${p.from}::date and ${p.to}::date
    group by school_id`.execute(db);
  return r.rows;
}
