import { sql } from 'kysely';
import type { DB } from './index.ts';

// The app connects as a role that is not a superuser and owns nothing: migrations run as the owner
// (the embedded server's superuser, or DATABASE_ADMIN_URL), and after each run the app role gets
// exactly the rights it needs. It may read and append to the audit log but not change, delete,
// truncate or unprotect it; old entries go only through purge_audit_log() (sql/0019).

export const APP_ROLE = 'klankbord_app';

const ident = (name: string) => sql.id(name);

// Creates the login role if it is missing and (re)sets its password; never a superuser.
export async function ensureAppRole(admin: DB, role: string, password: string) {
  const exists = await sql<{ n: number }>`select 1 as n from pg_roles where rolname = ${role}`.execute(admin);
  // why: CREATE/ALTER ROLE take no bind parameters; the password is quoted as a literal by PostgreSQL.
  const literal = (await sql<{ q: string }>`select quote_literal(${password}) as q`.execute(admin)).rows[0].q;
  const verb = exists.rows.length ? sql`alter role` : sql`create role`;
  await sql`${verb} ${ident(role)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${sql.raw(literal)}`.execute(
    admin,
  );
}

// Rights for the app role on the current database, applied after every migration (idempotent).
export async function grantAppRole(admin: DB, role: string) {
  const r = ident(role);
  const database = (await sql<{ db: string }>`select current_database() as db`.execute(admin)).rows[0].db;
  await sql`grant connect, temporary on database ${ident(database)} to ${r}`.execute(admin);
  await sql`grant usage on schema public to ${r}`.execute(admin);
  await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(admin);
  await sql`grant usage, select on all sequences in schema public to ${r}`.execute(admin);
  await sql`revoke update, delete, truncate, references, trigger on audit_log from ${r}`.execute(admin);
  await sql`revoke insert, update, delete, truncate on schema_migrations from ${r}`.execute(admin);
  await sql`grant execute on function purge_audit_log(bigint, timestamptz, int) to ${r}`.execute(admin);
  // a month's partition is made and dropped with the owner's rights, only through these (sql/0040)
  await sql`grant execute on function ensure_mention_partitions(timestamptz, int) to ${r}`.execute(admin);
  await sql`grant execute on function drop_expired_mention_partition(regclass, timestamptz, int, int) to ${r}`.execute(
    admin,
  );
}

export async function currentRole(db: DB): Promise<{ name: string; superuser: boolean }> {
  const { rows } = await sql<{ name: string; superuser: boolean }>`
    select current_user as name, rolsuper as superuser from pg_roles where rolname = current_user`.execute(db);
  return rows[0];
}
