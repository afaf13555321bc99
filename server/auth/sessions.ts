import crypto from 'node:crypto';
import type { DB } from '../db/index.ts';
import { deleteSessionByHash, insertSession, userIdOfSession } from '../db/sessions.ts';

export const SESSION_COOKIE = 'kb_session';
export const SESSION_HOURS = 12;

export const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

// The cookie holds a random token; the database holds only its hash, so a leaked database
// backup does not contain usable sessions.
export async function createSession(db: DB, userId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await insertSession(db, userId, digest(token), new Date(Date.now() + SESSION_HOURS * 3600_000));
  return token;
}

export async function sessionUserId(db: DB, token: string): Promise<string | undefined> {
  return userIdOfSession(db, digest(token));
}

export async function deleteSession(db: DB, token: string) {
  await deleteSessionByHash(db, digest(token));
}
