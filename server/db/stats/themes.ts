import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { ids, type Period } from './period.ts';

// Term counts of the negative or positive posts in a range of weeks (whole weeks that overlap the
// period), summed over the schools: what the themes are scored from.
export async function termCounts(db: DB, schoolIds: string[], p: Period, sentiment: 'negative' | 'positive') {
  const terms = await sql<{ term: string; label: string; mentions: number }>`
    select term, (array_agg(label order by mentions desc))[1] as label, sum(mentions)::int as mentions
    from stats_terms_weekly
    where school_id = any(${ids(schoolIds)}) and sentiment = ${sentiment}
      and week between date_trunc('week', ${p.from}::date)::date and ${p.to}::date
    group by term`.execute(db);
  return terms.rows;
}
