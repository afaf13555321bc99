import crypto from 'node:crypto';
import type { DB } from '../db/index.ts';

export const SESSION_COOKIE = 'kb_session';
export const SESSION_HOURS = 12;

const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

// The cookie holds a random token; the database holds only its hash, so a leaked database
// backup does not contain usable sessions.
export async function createSession(db: DB, userId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: digest(token), expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000) })
    .execute();
  return token;
}

export async function sessionUserId(db: DB, token: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('user_id')
    .where('token_hash', '=', digest(token))
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row?.user_id;
}

export async function deleteSession(db: DB, token: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute();
}
