import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { Role } from './schema.ts';

// A user who may act: a disabled user is nobody (their sessions stop working at once).
export async function userById(db: DB, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'board_id', 'all_schools'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

// The schools of the user's board that the user sees: all of them, or those assigned to them; never an
// archived school (its assignment comes back when it is restored).
export async function schoolIdsOfUser(
  db: DB,
  user: { id: string; board_id: string; all_schools: boolean },
): Promise<string[]> {
  const schools = user.all_schools
    ? await db
        .selectFrom('schools')
        .select('id')
        .where('board_id', '=', user.board_id)
        .where('archived_at', 'is', null)
        .execute()
    : await db
        .selectFrom('user_schools')
        .innerJoin('schools', 'schools.id', 'user_schools.school_id')
        .select('schools.id')
        .where('user_schools.user_id', '=', user.id)
        .where('schools.board_id', '=', user.board_id)
        .where('schools.archived_at', 'is', null)
        .execute();
  return schools.map((s) => s.id);
}

// What a login checks: the password hash, and the board for the audit entry.
export async function loginUserByEmail(db: DB, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'board_id', 'password_hash'])
    .where('email', '=', email)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function userExists(db: DB, email: string): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
}

// The board of the user with this address, if there is one (addresses are unique across boards).
export async function boardOfEmail(db: DB, email: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('board_id').where('email', '=', email).executeTakeFirst())?.board_id;
}

export type NewUser = {
  boardId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  allSchools: boolean;
};

export async function insertUser(db: DB, u: NewUser): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      board_id: u.boardId,
      email: u.email,
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      all_schools: u.allSchools,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertUserSchools(db: DB, userId: string, schoolIds: string[]) {
  await db
    .insertInto('user_schools')
    .values(schoolIds.map((id) => ({ user_id: userId, school_id: id })))
    .execute();
}

export async function passwordHashOf(db: DB, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst())
    ?.password_hash;
}

export async function setPasswordHash(db: DB, userId: string, hash: string) {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  allSchools: boolean;
  schools: string[];
  disabled: boolean;
  totp: boolean;
};

// The board's users for beheer, with the slugs of the schools they see (none listed: all).
export async function listUsers(db: DB, boardId: string): Promise<UserRow[]> {
  const rows = await db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.all_schools',
      'u.disabled_at',
      sql<
        string[]
      >`(select coalesce(array_agg(s.slug order by s.slug), '{}') from user_schools us join schools s on s.id = us.school_id where us.user_id = u.id and s.archived_at is null)`.as(
        'schools',
      ),
      sql<boolean>`exists (select 1 from user_totp t where t.user_id = u.id and t.confirmed_at is not null)`.as('totp'),
    ])
    .where('u.board_id', '=', boardId)
    .orderBy('u.email')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    allSchools: r.all_schools,
    schools: r.schools,
    disabled: !!r.disabled_at,
    totp: r.totp,
  }));
}

export async function userOfBoard(db: DB, boardId: string, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'all_schools', 'disabled_at'])
    .where('board_id', '=', boardId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setUserAccess(db: DB, userId: string, role: Role, schoolIds: string[]) {
  await db.updateTable('users').set({ role, all_schools: !schoolIds.length }).where('id', '=', userId).execute();
  await db.deleteFrom('user_schools').where('user_id', '=', userId).execute();
  if (schoolIds.length) await insertUserSchools(db, userId, schoolIds);
}

export async function setUserDisabled(db: DB, userId: string, at: Date | null) {
  await db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute();
  if (at) await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

// One-time links to set a password (an invitation or a reset), stored by the hash of their token.
export async function insertPasswordLink(
  db: DB,
  userId: string,
  tokenHash: string,
  purpose: 'invite' | 'reset',
  expiresAt: Date,
) {
  await db
    .updateTable('password_links')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('password_links')
    .values({ user_id: userId, token_hash: tokenHash, purpose, expires_at: expiresAt })
    .execute();
}

// Takes the link (once): the user it is for, if it is unused, unexpired and the user is not disabled.
export async function usePasswordLink(db: DB, tokenHash: string, now: Date) {
  const row = await db
    .updateTable('password_links as l')
    .set({ used_at: now })
    .from('users as u')
    .whereRef('u.id', '=', 'l.user_id')
    .where('l.token_hash', '=', tokenHash)
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .returning(['u.id', 'u.email', 'u.board_id'])
    .executeTakeFirst();
  return row;
}
