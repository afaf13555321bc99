import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { buckets, ids, unit, type Bucket, type Period } from './period.ts';

// Small multiples for the board: each school's mentions and negatives per bucket, on one scale.
export async function schoolTrends(db: DB, schoolIds: string[], p: Period, b: Bucket) {
  if (!schoolIds.length) return [];
  const r = await sql<{ school_id: string; bucket: string; mentions: number; negative: number }>`
    with agg as (
      select school_id, date_trunc(${unit(b)}, day)::date as bucket, sum(mentions)::int as mentions,
        coalesce(sum(mentions) filter (where sentiment = 'negative'), 0)::int as negative
      from stats_daily
      where school_id = any(${ids(schoolIds)}) and day between ${p.from}::date and ${p.to}::date
      group by 1, 2
    )
    select s.id as school_id, to_char(b.bucket, 'YYYY-MM-DD') as bucket,
      coalesce(a.mentions, 0) as mentions, coalesce(a.negative, 0) as negative
    from unnest(${ids(schoolIds)}) s(id) cross join (${buckets(p, b)}) b
    left join agg a on a.school_id = s.id and a.bucket = b.bucket
    order by 1, 2`.execute(db);
  return schoolIds.map((id) => ({
    schoolId: id,
    rows: r.rows
      .filter((x) => String(x.school_id) === id)
      .map((x) => ({ bucket: x.bucket, mentions: x.mentions, negative: x.negative })),
  }));
}
