import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { Role } from './schema.ts';

export const DEMO_BOARD = 'edu-ley';
export const DEMO_FEED_NAME = 'Demo-feed (lokaal)';

export async function isEmpty(db: DB) {
  return !(await db.selectFrom('boards').select('id').limit(1).executeTakeFirst());
}

export async function demoBoardId(db: DB): Promise<string | undefined> {
  return (
    await db
      .selectFrom('boards')
      .select('id')
      .where('slug', '=', DEMO_BOARD)
      .where('is_demo', '=', true)
      .executeTakeFirst()
  )?.id;
}

// The stored password hash of each demo account that exists already.
export async function demoPasswordHashes(db: DB, emails: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['email', 'password_hash']).where('email', 'in', emails).execute();
  return new Map(rows.map((r) => [r.email, r.password_hash]));
}

// A demo account, created or (when it exists) given the new password; `inserted` tells which.
export async function upsertDemoUser(
  db: DB,
  boardId: string,
  a: { email: string; name: string; role: Role; allSchools: boolean },
  passwordHash: string,
) {
  return (
    db
      .insertInto('users')
      .values({
        board_id: boardId,
        email: a.email,
        name: a.name,
        role: a.role,
        password_hash: passwordHash,
        all_schools: a.allSchools,
      })
      .onConflict((oc) => oc.column('email').doUpdateSet({ password_hash: passwordHash }))
      // why: xmax is 0 only for a row this statement inserted, so it tells create from update
      .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
      .executeTakeFirstOrThrow()
  );
}

// Adds the schools the account does not have yet (a refreshed demo keeps what it had).
export async function addDemoUserSchools(db: DB, userId: string, schoolIds: string[]) {
  await db
    .insertInto('user_schools')
    .values(schoolIds.map((id) => ({ user_id: userId, school_id: id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

// The demo feed's port is new on every start; point the demo source at it.
export async function registerDemoFeed(db: DB, boardId: string, url: string) {
  const existing = await db
    .selectFrom('sources')
    .select('id')
    .where('board_id', '=', boardId)
    .where('name', '=', DEMO_FEED_NAME)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('sources')
      .set({ url, next_check_at: new Date(), error_count: 0, etag: null, last_modified: null })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await db
      .insertInto('sources')
      .values({ board_id: boardId, kind: 'rss', name: DEMO_FEED_NAME, url, interval_seconds: 300 })
      .execute();
  }
}
