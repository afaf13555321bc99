import { sql } from 'kysely';
import type { DB } from './index.ts';

// Sessions are stored by the hash of their token (server/auth/sessions.ts makes both).

export async function insertSession(db: DB, userId: string, tokenHash: string, expiresAt: Date) {
  await db.insertInto('sessions').values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt }).execute();
}

export async function userIdOfSession(db: DB, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row?.user_id;
}

export async function deleteSessionByHash(db: DB, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

// Failed logins in the last `minutes` for one account (actor) or one address (ip), counted from
// the audit log so every server process shares the count.
export async function loginFailuresSince(
  db: DB,
  column: 'actor' | 'ip',
  value: string,
  minutes: number,
): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select(sql<string>`count(*)`.as('n'))
    .where('action', '=', 'login.failed')
    .where(column, '=', value)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
