import type { DB } from './index.ts';
import type { Role } from './schema.ts';

export async function userById(db: DB, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'board_id', 'all_schools'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// The schools of the user's board that the user sees: all of them, or those assigned to them.
export async function schoolIdsOfUser(
  db: DB,
  user: { id: string; board_id: string; all_schools: boolean },
): Promise<string[]> {
  const schools = user.all_schools
    ? await db.selectFrom('schools').select('id').where('board_id', '=', user.board_id).execute()
    : await db
        .selectFrom('user_schools')
        .innerJoin('schools', 'schools.id', 'user_schools.school_id')
        .select('schools.id')
        .where('user_schools.user_id', '=', user.id)
        .where('schools.board_id', '=', user.board_id)
        .execute();
  return schools.map((s) => s.id);
}

// What a login checks: the password hash, and the board for the audit entry.
export async function loginUserByEmail(db: DB, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'board_id', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function userExists(db: DB, email: string): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
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
