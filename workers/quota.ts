import { createHash } from 'node:crypto';
import type { DB } from '../server/db/index.ts';
import { quotaUnits, spendQuota } from '../server/db/quota.ts';

// Spends `units` of a daily API quota if that keeps the day's total within `limit`; false means
// "stop for today". Shared by every source and worker process that uses the same key.
export type QuotaSpender = (key: string, units: number, limit: number, day: string) => Promise<boolean>;

export const keyHash = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);

export function dbQuota(db: DB): QuotaSpender {
  return (key, units, limit, day) => spendQuota(db, keyHash(key), day, units, limit);
}

export const quotaUsed = (db: DB, key: string, day: string): Promise<number> => quotaUnits(db, keyHash(key), day);

// YouTube's quota day starts at midnight Pacific time.
export const pacificDay = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Los_Angeles',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
