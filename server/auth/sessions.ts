import crypto from 'node:crypto';
import type { DB } from '../db/index.ts';
import { deleteSessionByHash, insertSession, touchSession, userIdOfSession } from '../db/sessions.ts';

export const SESSION_COOKIE = 'kb_session';
export const SESSION_HOURS = 12;
// A session also ends after this long without a request; its last use is written at most every 5 minutes.
export const SESSION_IDLE_MINUTES = 120;
const TOUCH_MINUTES = 5;

export const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

// The cookie holds a random token; the database holds only its hash, so a leaked database
// backup does not contain usable sessions.
export async function createSession(db: DB, userId: string, now = new Date()): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await insertSession(db, userId, digest(token), new Date(now.getTime() + SESSION_HOURS * 3600_000), now);
  return token;
}

export async function sessionUserId(db: DB, token: string, now = new Date()): Promise<string | undefined> {
  const s = await userIdOfSession(db, digest(token), now, new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000));
  if (s && s.lastSeenAt.getTime() < now.getTime() - TOUCH_MINUTES * 60_000) await touchSession(db, s.id, now);
  return s?.userId;
}

export async function deleteSession(db: DB, token: string) {
  await deleteSessionByHash(db, digest(token));
}
