import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { DB } from './index.ts';

const SQL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sql');

export function migrationFiles(dir = SQL_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

export const readMigration = (file: string, dir = SQL_DIR) => fs.readFileSync(path.join(dir, file), 'utf8');

// Held while migrating, so that several processes (and a restore) never change the schema at once.
export const MIGRATION_LOCK = 72163;
export const MIGRATIONS_TABLE = `create table if not exists schema_migrations (
  name text primary key, applied_at timestamptz not null default now())`;

// Forward-only: each file runs once, in its own transaction, and is recorded by name.
// An advisory lock lets several processes start at once without racing.
export async function migrate(db: DB, dir = SQL_DIR): Promise<string[]> {
  // A role without the right to change the schema (the app role) gets through when nothing is
  // pending, and a clear message when something is.
  if ((await pendingMigrations(db, dir)).length === 0) return [];
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql.raw(MIGRATIONS_TABLE).execute(conn);
      const done = new Set(
        (await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of migrationFiles(dir)) {
        if (done.has(file)) continue;
        const text = readMigration(file, dir);
        await conn.transaction().execute(async (trx) => {
          await sql.raw(text).execute(trx);
          await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
        });
        applied.push(file);
      }
      return applied;
    } catch (err) {
      if ((err as { code?: string }).code === '42501')
        throw new Error(
          `Migraties nodig, maar de databaserol mag het schema niet wijzigen (${(err as Error).message}). ` +
            'Zet DATABASE_ADMIN_URL op de eigenaar van de database; zie README → Configuratie.',
        );
      throw err;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

export async function pendingMigrations(db: DB, dir = SQL_DIR): Promise<string[]> {
  const table = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(db);
  if (!table.rows[0].t) return migrationFiles(dir);
  const done = new Set(
    (await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((r) => r.name),
  );
  return migrationFiles(dir).filter((f) => !done.has(f));
}
