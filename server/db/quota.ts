import { sql } from 'kysely';
import type { DB } from './index.ts';

// Daily API quota per key (stored as a hash, never the key itself), shared by every process.

// Adds `units` to the day's total only if the total stays within `limit`, in one statement so two
// processes spending at once cannot both pass; false means the day's quota would be exceeded.
export async function spendQuota(db: DB, keyHash: string, day: string, units: number, limit: number): Promise<boolean> {
  const row = await sql<{ units: number }>`
    insert into api_quota (key_hash, day, units) select ${keyHash}, ${day}::date, ${units} where ${units} <= ${limit}
    on conflict (key_hash, day) do update set units = api_quota.units + excluded.units
      where api_quota.units + excluded.units <= ${limit}
    returning units`.execute(db);
  return row.rows.length > 0;
}

export async function quotaUnits(db: DB, keyHash: string, day: string): Promise<number> {
  const row = await db
    .selectFrom('api_quota')
    .select('units')
    .where('key_hash', '=', keyHash)
    .where('day', '=', day)
    .executeTakeFirst();
  return row?.units ?? 0;
}
