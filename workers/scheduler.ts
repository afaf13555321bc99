import { sql } from 'kysely';
import type { DB } from '../server/db/index.ts';
import type { Source } from '../server/db/schema.ts';
import { pushKinds } from './collectors/registry.ts';
import type { CollectResult } from './collectors/types.ts';

export const LEASE_SECONDS = 300;
const MAX_BACKOFF_SECONDS = 24 * 3600;

// The database is the queue. A worker leases due sources with FOR UPDATE SKIP LOCKED, so any number
// of workers on any number of hosts never take the same source; a lease that is not finished (the
// worker died) simply expires and the source becomes due for someone else.
export async function claimSources(db: DB, owner: string, limit: number, opts: { all?: boolean; leaseSeconds?: number } = {}): Promise<Source[]> {
  const due = opts.all ? sql`true` : sql`next_check_at <= now()`;
  const { rows } = await sql<Source>`
    update sources set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${opts.leaseSeconds ?? LEASE_SECONDS})
    where id in (
      select id from sources
      where enabled and ${due} and (lease_until is null or lease_until < now()) and kind <> all(${pushKinds()}::text[])
      order by next_check_at
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  return rows;
}

// Exponential with ±10% jitter, so sources that failed together do not all retry together.
// A permanent error waits the maximum at once.
export function backoffSeconds(interval: number, errorCount: number, retryAfter?: number, permanent = false, random = Math.random): number {
  if (permanent) return MAX_BACKOFF_SECONDS;
  const exp = Math.min(interval * 2 ** Math.min(errorCount, 8), MAX_BACKOFF_SECONDS) * (0.9 + 0.2 * random());
  return Math.round(Math.max(exp, Math.min(retryAfter ?? 0, MAX_BACKOFF_SECONDS)));
}

// Active sources are checked more often, idle ones less, within a quarter and four times the
// interval the school set (never under a minute). New items halve the wait; a run with nothing
// new lengthens it by half.
export function adaptInterval(base: number, current: number | null, newItems: number): number {
  const now = current ?? base;
  const lo = Math.max(60, Math.round(base / 4));
  const hi = base * 4;
  return Math.min(hi, Math.max(lo, newItems > 0 ? Math.round(now / 2) : Math.round(now * 1.5)));
}

export async function finishSuccess(db: DB, source: Source, owner: string, result: CollectResult, newItems = 0) {
  const interval = adaptInterval(source.interval_seconds, source.current_interval_seconds, newItems);
  await db
    .updateTable('sources')
    .set({
      lease_owner: null,
      lease_until: null,
      error_count: 0,
      last_error: null,
      error_permanent: false,
      notice: result.notice ?? null,
      last_checked_at: new Date(),
      last_success_at: new Date(),
      current_interval_seconds: interval,
      next_check_at: new Date(Date.now() + Math.max(interval, result.retryAfterSeconds ?? 0) * 1000),
      ...(result.notModified ? {} : { etag: result.etag ?? null, last_modified: result.lastModified ?? null }),
      ...(result.state ? { state: JSON.stringify(result.state) } : {}),
    })
    .where('id', '=', source.id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function finishFailure(db: DB, source: Source, owner: string, message: string, retryAfter?: number, permanent = false, state?: Record<string, unknown>) {
  const errors = source.error_count + 1;
  await db
    .updateTable('sources')
    .set({
      lease_owner: null,
      lease_until: null,
      error_count: errors,
      last_error: message.slice(0, 1000),
      error_permanent: permanent,
      ...(state ? { state: JSON.stringify(state) } : {}),
      last_checked_at: new Date(),
      next_check_at: new Date(Date.now() + backoffSeconds(source.interval_seconds, errors - 1, retryAfter, permanent) * 1000),
    })
    .where('id', '=', source.id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function releaseLeases(db: DB, owner: string) {
  await db.updateTable('sources').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).execute();
}
