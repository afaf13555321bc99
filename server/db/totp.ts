import type { DB } from './index.ts';

// The second factor's rows (sql/0021_totp.sql): the sealed secret (pending until confirmed), the
// hashed recovery codes and the login tickets between password and code. server/auth/secondFactor.ts
// seals, hashes and checks; this file only stores.

export async function totpOf(db: DB, userId: string) {
  return db
    .selectFrom('user_totp')
    .select(['secret', 'confirmed_at', 'last_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function hasTotp(db: DB, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_totp')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return !!row;
}

// A new pending secret replaces a pending one; a confirmed one stays until it is turned off.
export async function storePendingTotp(db: DB, userId: string, sealedSecret: string): Promise<boolean> {
  const row = await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret: sealedSecret })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ secret: sealedSecret, last_step: null, created_at: new Date() })
        .where('user_totp.confirmed_at', 'is', null),
    )
    .returning('user_id')
    .executeTakeFirst();
  return !!row;
}

export async function confirmTotp(db: DB, userId: string, step: number, at: Date, recoveryHashes: string[]) {
  await db
    .updateTable('user_totp')
    .set({ confirmed_at: at, last_step: String(step) })
    .where('user_id', '=', userId)
    .execute();
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('totp_recovery_codes')
    .values(recoveryHashes.map((h) => ({ user_id: userId, code_hash: h })))
    .execute();
}

// Takes a time step for the user if it is later than the last one taken: true once per step.
export async function takeTotpStep(db: DB, userId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('user_totp')
    .set({ last_step: String(step) })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', String(step))]))
    .returning('user_id')
    .executeTakeFirst();
  return !!row;
}

// Uses a recovery code (once): true when it was the user's and unused.
export async function takeRecoveryCode(db: DB, userId: string, codeHash: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

export async function recoveryCodesLeft(db: DB, userId: string): Promise<number> {
  const row = await db
    .selectFrom('totp_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Turned off (by the user) or reset (by beheer): the secret, the recovery codes and open tickets go.
export async function removeTotp(db: DB, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('login_tickets').where('user_id', '=', userId).execute();
  return Number(r.numDeletedRows) > 0;
}

export async function insertLoginTicket(db: DB, userId: string, tokenHash: string, expiresAt: Date) {
  await db
    .insertInto('login_tickets')
    .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt })
    .execute();
}

// The user a ticket is for, while it is valid and the user is not disabled; the ticket stays until
// the code is right (deleteLoginTicket), so a mistyped code can be typed again.
export async function loginTicketUser(db: DB, tokenHash: string, now: Date) {
  return db
    .selectFrom('login_tickets as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.email', 'u.board_id'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteLoginTicket(db: DB, tokenHash: string): Promise<boolean> {
  const r = await db.deleteFrom('login_tickets').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteExpiredLoginTickets(db: DB, now = new Date()): Promise<number> {
  const r = await db.deleteFrom('login_tickets').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
