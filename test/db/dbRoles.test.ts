import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, expect, inject, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { migrationFiles } from '../../server/db/migrate.ts';
import { runCliInProcess } from '../support/cli.ts';

// Issue 17: with an external PostgreSQL the app runs as its own role (DATABASE_URL) and migrations
// as the owner (DATABASE_ADMIN_URL); a role without schema rights gets a clear message, not a crash.
const admin = connect(inject('adminUrl'), 1);
const name = `r_${crypto.randomBytes(6).toString('hex')}`;
await sql.raw(`create database ${name}`).execute(admin.db);
afterAll(async () => {
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await admin.close();
});
const owner = new URL(inject('adminUrl'));
owner.pathname = `/${name}`;
const app = new URL(owner);
app.username = inject('appRole').user;
app.password = inject('appRole').password;

test('the app role alone cannot migrate an empty database, and says what to set', async () => {
  const r = await runCliInProcess(['migrate'], { databaseUrl: app.toString() });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Migraties nodig.*DATABASE_ADMIN_URL/s);
});

test('with DATABASE_ADMIN_URL the owner migrates and the app role gets exactly its rights', async () => {
  const r = await runCliInProcess(['migrate'], {
    databaseUrl: app.toString(),
    env: { DATABASE_ADMIN_URL: owner.toString() },
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(migrationFiles().at(-1)!);
  const asApp = connect(app.toString(), 1);
  try {
    const board = await asApp.db
      .insertInto('boards')
      .values({ slug: 'bestuur-b', name: 'Bestuur B' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(board.id).toBeTruthy();
    await asApp.db.insertInto('audit_log').values({ actor: 't', action: 'x', details: '{}' }).execute();
    await expect(sql`truncate audit_log`.execute(asApp.db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from schema_migrations`.execute(asApp.db)).rejects.toThrow(/permission denied/);
    // nothing pending: the app role starts without needing schema rights
    const again = await runCliInProcess(['migrate'], { databaseUrl: app.toString() });
    expect(again.stdout).toContain('De database is al bijgewerkt.');
  } finally {
    await asApp.close();
  }
});
