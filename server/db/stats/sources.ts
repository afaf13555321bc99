import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { ids, type Period } from './period.ts';

// Mentions by source kind, and the platforms (sites and networks) that carried most and reached most
// people (engagement where the platform reports it: likes, reposts, replies).
export async function sourceKinds(db: DB, schoolIds: string[], p: Period) {
  const r = await sql<{ kind: string; mentions: number; negative: number }>`
    select source_kind as kind, sum(mentions)::int as mentions,
      coalesce(sum(mentions) filter (where sentiment = 'negative'), 0)::int as negative
    from stats_daily
    where school_id = any(${ids(schoolIds)}) and day between ${p.from}::date and ${p.to}::date
    group by source_kind order by mentions desc, kind`.execute(db);
  return r.rows;
}

export async function platforms(db: DB, schoolIds: string[], p: Period, limit = 10) {
  const r = await sql<{ platform: string; kind: string; mentions: number; reach: number }>`
    select platform, min(source_kind) as kind, sum(mentions)::int as mentions, sum(reach)::bigint::float8 as reach
    from stats_daily
    where school_id = any(${ids(schoolIds)}) and day between ${p.from}::date and ${p.to}::date
    group by platform order by reach desc, mentions desc, platform limit ${limit}`.execute(db);
  return r.rows;
}
