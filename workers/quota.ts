import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from '../server/db/index.ts';

// Spends `units` of a daily API quota if that keeps the day's total within `limit`; false means
// "stop for today". Shared by every source and worker process that uses the same key.
export type QuotaSpender = (key: string, units: number, limit: number, day: string) => Promise<boolean>;

export const keyHash = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);

export function dbQuota(db: DB): QuotaSpender {
  return async (key, units, limit, day) => {
    const row = await sql<{ units: number }>`
      insert into api_quota (key_hash, day, units) select ${keyHash(key)}, ${day}::date, ${units} where ${units} <= ${limit}
      on conflict (key_hash, day) do update set units = api_quota.units + excluded.units
        where api_quota.units + excluded.units <= ${limit}
      returning units`.execute(db);
    return row.rows.length > 0;
  };
}

export async function quotaUsed(db: DB, key: string, day: string): Promise<number> {
  const row = await db.selectFrom('api_quota').select('units').where('key_hash', '=', keyHash(key)).where('day', '=', day).executeTakeFirst();
  return row?.units ?? 0;
}

// YouTube's quota day starts at midnight Pacific time.
export const pacificDay = (now = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
