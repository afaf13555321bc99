import type { DB } from '../server/db/index.ts';
import type { Source } from '../server/db/schema.ts';
import { leaseDueSources, recordFailure, recordSuccess } from '../server/db/sourceQueue.ts';
import { pushKinds } from './collectors/registry.ts';
import type { CollectResult } from './collectors/types.ts';

export const LEASE_SECONDS = 300;
const MAX_BACKOFF_SECONDS = 24 * 3600;

// The database is the queue (server/db/sourceQueue.ts). A worker leases due sources with FOR UPDATE
// SKIP LOCKED, so any number of workers on any number of hosts never take the same source; a lease
// that is not finished (the worker died) simply expires and the source becomes due for someone else.
// Sources whose items are pushed (not fetched) are never leased.
export async function claimSources(
  db: DB,
  owner: string,
  limit: number,
  opts: { all?: boolean; leaseSeconds?: number } = {},
): Promise<Source[]> {
  return leaseDueSources(db, {
    owner,
    limit,
    all: opts.all,
    leaseSeconds: opts.leaseSeconds ?? LEASE_SECONDS,
    skipKinds: pushKinds(),
  });
}

// Exponential with ±10% jitter, so sources that failed together do not all retry together.
// A permanent error waits the maximum at once.
export function backoffSeconds(
  interval: number,
  errorCount: number,
  retryAfter?: number,
  permanent = false,
  random = Math.random,
): number {
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
  await recordSuccess(db, source.id, owner, {
    notice: result.notice ?? null,
    intervalSeconds: interval,
    nextCheckAt: new Date(Date.now() + Math.max(interval, result.retryAfterSeconds ?? 0) * 1000),
    validators: result.notModified
      ? undefined
      : { etag: result.etag ?? null, lastModified: result.lastModified ?? null },
    state: result.state,
  });
}

export async function finishFailure(
  db: DB,
  source: Source,
  owner: string,
  message: string,
  retryAfter?: number,
  permanent = false,
  state?: Record<string, unknown>,
) {
  const errors = source.error_count + 1;
  await recordFailure(db, source.id, owner, {
    errorCount: errors,
    lastError: message.slice(0, 1000),
    permanent,
    state,
    nextCheckAt: new Date(
      Date.now() + backoffSeconds(source.interval_seconds, errors - 1, retryAfter, permanent) * 1000,
    ),
  });
}
