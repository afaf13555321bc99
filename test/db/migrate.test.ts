import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { migrate, migrationFiles } from '../../server/db/migrate.ts';
import { freshDatabase } from '../support/db.ts';

const app = await freshDatabase();
const conn = connect(app.adminUrl, 4); // migrations run as the database's owner
afterAll(() => conn.close());

test('records every migration and applies nothing twice', async () => {
  expect(await migrate(conn.db)).toEqual([]);
  const { rows } = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(conn.db);
  expect(rows.map((r) => r.name)).toEqual(migrationFiles());
});

test('runs concurrent migrators safely', async () => {
  const results = await Promise.all([migrate(conn.db), migrate(conn.db), migrate(conn.db)]);
  expect(results.flat()).toEqual([]);
});

test('keeps the audit log append-only', async () => {
  await conn.db.insertInto('audit_log').values({ actor: 'test', action: 'x', details: '{}' }).execute();
  await expect(conn.db.updateTable('audit_log').set({ actor: 'changed' }).execute()).rejects.toThrow('append-only');
  await expect(conn.db.deleteFrom('audit_log').execute()).rejects.toThrow('append-only');
});
