import crypto from 'node:crypto';
import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBoard, parseBoardFile } from '../actions/boardConfig.ts';
import { audit } from '../db/audit.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { DB } from '../db/index.ts';
import type { Role } from '../db/schema.ts';

export const DEMO_BOARD = 'edu-ley';
export const DEMO_FEED_NAME = 'Demo-feed (lokaal)';

export const demoAccounts: { email: string; role: Role; name: string; schools?: string[] }[] = [
  { email: 'communicatie@edu-ley.demo', role: 'communicatie', name: 'Communicatieadviseur (demo)' },
  { email: 'directie@edu-ley.demo', role: 'directie', name: 'Directeur De Meander (demo)', schools: ['meander'] },
  { email: 'privacy@edu-ley.demo', role: 'privacy', name: 'Functionaris gegevensbescherming (demo)' },
  { email: 'beheer@edu-ley.demo', role: 'beheer', name: 'Beheerder (demo)' },
];

const boardFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'board.yaml');

export async function isEmpty(db: DB) {
  return !(await db.selectFrom('boards').select('id').limit(1).executeTakeFirst());
}

export async function demoBoardId(db: DB): Promise<string | undefined> {
  return (await db.selectFrom('boards').select('id').where('slug', '=', DEMO_BOARD).where('is_demo', '=', true).executeTakeFirst())?.id;
}

// Creates (or refreshes) the demo board, its schools and one account per role. The accounts'
// password is the configured one, or a fresh random one that the caller prints.
export async function seedDemo(db: DB, password?: string): Promise<{ boardId: string; password: string }> {
  await importBoard(db, parseBoardFile(fs.readFileSync(boardFile, 'utf8')), 'klankbord-demo', { isDemo: true });
  const boardId = (await demoBoardId(db))!;
  const pw = password ?? crypto.randomBytes(9).toString('base64url');
  const hash = await hashPassword(pw);
  const schools = await db.selectFrom('schools').select(['id', 'slug']).where('board_id', '=', boardId).execute();
  for (const a of demoAccounts) {
    const user = await db
      .insertInto('users')
      .values({ board_id: boardId, email: a.email, name: a.name, role: a.role, password_hash: hash, all_schools: !a.schools })
      .onConflict((oc) => oc.column('email').doUpdateSet({ password_hash: hash }))
      .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
      .executeTakeFirstOrThrow();
    await audit(db, { boardId, actor: 'klankbord-demo', action: user.inserted ? 'user.create' : 'user.password_reset', targetType: 'user', targetId: user.id, details: { email: a.email, role: a.role } });
    if (a.schools) {
      const ids = schools.filter((s) => a.schools!.includes(s.slug)).map((s) => ({ user_id: user.id, school_id: s.id }));
      await db.insertInto('user_schools').values(ids).onConflict((oc) => oc.doNothing()).execute();
    }
  }
  return { boardId, password: pw };
}

// The demo feed's port is new on every start; point the demo source at it.
export async function registerDemoFeed(db: DB, boardId: string, url: string) {
  const existing = await db.selectFrom('sources').select('id').where('board_id', '=', boardId).where('name', '=', DEMO_FEED_NAME).executeTakeFirst();
  if (existing) {
    await db.updateTable('sources').set({ url, next_check_at: new Date(), error_count: 0, etag: null, last_modified: null }).where('id', '=', existing.id).execute();
  } else {
    await db.insertInto('sources').values({ board_id: boardId, kind: 'rss', name: DEMO_FEED_NAME, url, interval_seconds: 300 }).execute();
  }
}
