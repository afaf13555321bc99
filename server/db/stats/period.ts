import { sql } from 'kysely';

// A chart's period: Dutch calendar days, both ends included, and its time buckets. Shorter periods
// are shown per day, longer ones per week (weeks start on Monday).
export type Period = { from: string; to: string };
export type Bucket = 'day' | 'week';

export const bucketOf = (p: Period): Bucket => (days(p) <= 62 ? 'day' : 'week');

export function days(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000) + 1;
}

// The period of the same length just before.
export function previous(p: Period): Period {
  const n = days(p);
  const to = new Date(Date.parse(`${p.from}T00:00:00Z`) - 86_400_000);
  const from = new Date(to.getTime() - (n - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

export const unit = (b: Bucket) => sql.raw(b === 'week' ? "'week'" : "'day'");
export const step = (b: Bucket) => sql.raw(b === 'week' ? "interval '7 days'" : "interval '1 day'");
// Every bucket of the period, so empty days and weeks are there with zeros.
export const buckets = (p: Period, b: Bucket) =>
  sql`select g::date as bucket from generate_series(date_trunc(${unit(b)}, ${p.from}::date), ${p.to}::date, ${step(b)}) g`;
export const ids = (schoolIds: string[]) => sql`${schoolIds}::bigint[]`;
