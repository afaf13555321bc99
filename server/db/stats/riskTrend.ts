import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { RISK_TYPES } from '../../../workers/classify/types.ts';
import { buckets, ids, type Period } from './period.ts';

// Risk events per week by type (a post with two risks counts for each), every week of the period.
export async function riskTrend(db: DB, schoolIds: string[], p: Period) {
  const r = await sql<{ bucket: string; risk: string | null; mentions: number }>`
    with agg as (
      select date_trunc('week', day)::date as bucket, risk, sum(mentions)::int as mentions
      from stats_risks_daily
      where school_id = any(${ids(schoolIds)}) and day between ${p.from}::date and ${p.to}::date
      group by 1, 2
    )
    select to_char(b.bucket, 'YYYY-MM-DD') as bucket, a.risk, coalesce(a.mentions, 0) as mentions
    from (${buckets(p, 'week')}) b left join agg a on a.bucket = b.bucket
    order by b.bucket`.execute(db);
  const out = new Map<string, Record<string, number>>();
  for (const row of r.rows) {
    const w = out.get(row.bucket) ?? Object.fromEntries(RISK_TYPES.map((t) => [t, 0]));
    if (row.risk) w[row.risk] = row.mentions;
    out.set(row.bucket, w);
  }
  return [...out].map(([bucket, counts]) => ({ bucket, ...counts }) as { bucket: string } & Record<string, number>);
}
