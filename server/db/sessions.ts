import { sql } from 'kysely';
import type { DB } from './index.ts';

// Sessions are stored by the hash of their token (server/auth/sessions.ts makes both).

export async function insertSession(db: DB, userId: string, tokenHash: string, expiresAt: Date, now: Date) {
  await db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt, created_at: now, last_seen_at: now })
    .execute();
}

// A session that has not expired and was used since `idleSince`.
export async function userIdOfSession(db: DB, tokenHash: string, now: Date, idleSince: Date) {
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'last_seen_at', 'created_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .where(sql<Date>`coalesce(last_seen_at, created_at)`, '>', idleSince)
    .executeTakeFirst();
  return row && { id: row.id, userId: row.user_id, lastSeenAt: row.last_seen_at ?? row.created_at };
}

export async function touchSession(db: DB, id: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSessionByHash(db: DB, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

// A wrong password and a wrong second-factor code count alike.
const LOGIN_FAILURES = ['login.failed', 'login.totp_failed'];

// Failed logins counted from the audit log, so every server process shares the count: for one
// account from one address, for one account from anywhere, and for one address. An account's count
// starts again after a successful login or an unlock by an administrator ("login.unlock").
// `known`: the account logged in from this address in the last 90 days; the per-account limit does not
// hold there, so guesses from many other addresses cannot lock the user out of their usual place.
export async function loginFailures(db: DB, account: string, ip: string, minutes: number) {
  const since = sql<Date>`greatest(now() - make_interval(mins => ${minutes}), coalesce((select max(created_at) from audit_log where (actor = ${account} and action = 'login.ok') or (action = 'login.unlock' and details->>'email' = ${account})), '-infinity'))`;
  const row = await db
    .selectFrom('audit_log')
    .select([
      sql<string>`count(*) filter (where actor = ${account} and ip = ${ip} and created_at > ${since})`.as('pair'),
      sql<string>`count(*) filter (where actor = ${account} and created_at > ${since})`.as('account'),
      sql<string>`count(*) filter (where ip = ${ip})`.as('ip'),
    ])
    .where('action', 'in', LOGIN_FAILURES)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .where((eb) => eb.or([eb('actor', '=', account), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  const known = await db
    .selectFrom('audit_log')
    .select('id')
    .where('actor', '=', account)
    .where('action', '=', 'login.ok')
    .where('ip', '=', ip)
    .where('created_at', '>', sql<Date>`now() - interval '90 days'`)
    .limit(1)
    .executeTakeFirst();
  return { pair: Number(row.pair), account: Number(row.account), ip: Number(row.ip), known: !!known };
}

// Attempts for one account, and for one address, take turns: counting, checking the password and
// recording a failure happen under these locks, so parallel guesses cannot all pass the check.
export async function lockLoginAttempt(trx: DB, account: string, ip: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${'login:' + account}))`.execute(trx);
  await sql`select pg_advisory_xact_lock(hashtext(${'login-ip:' + ip}))`.execute(trx);
}

// Expired sessions are removed, not only refused; and "log out everywhere" ends them all at once.
export async function deleteExpiredSessions(db: DB, now = new Date()): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
export async function deleteSessionsOfUser(db: DB, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// After a password change: every other session of the user ends, this one stays.
export async function deleteOtherSessions(db: DB, userId: string, keepTokenHash: string): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('token_hash', '!=', keepTokenHash)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
