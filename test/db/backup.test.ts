import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createBackup, restoreBackup } from '../../server/actions/backup.ts';
import { BackupFileError } from '../../server/actions/backupFile.ts';
import { audit } from '../../server/db/audit.ts';
import { connect, type DB } from '../../server/db/index.ts';
import { migrationFiles } from '../../server/db/migrate.ts';
import { runCliInProcess } from '../support/cli.ts';
import { freshDatabase } from '../support/db.ts';
import { APP_ROLE, grantAppRole } from '../../server/db/roles.ts';
import { seedTwoBoards } from '../support/seed.ts';

const source = await freshDatabase();
const target = await freshDatabase();
// a restore replaces tables, so the database's owner runs it; the app role then gets its rights back
// (the CLI does this through the same migrate step as start-up)
const targetOwner = connect(target.adminUrl, 2);
afterAll(() => targetOwner.close());
const restoreAsOwner = async (f: string, opts: { replace: boolean; actor: string }) => {
  const r = await restoreBackup(targetOwner, f, opts);
  await grantAppRole(targetOwner.db, APP_ROLE);
  return r;
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-backup-'));
const file = path.join(dir, 'full.kbbackup');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Every table's rows as one digest per table (a partitioned table's through its parent); the backup's own audit entries are left out, since
// the source gets "backup.created" after the snapshot and the target "backup.restored".
async function digests(db: DB): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`select relname::text as name from pg_class
    where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p') and not relispartition
      and relname <> 'schema_migrations'
    order by 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const where = name === 'audit_log' ? sql`where t.action not like 'backup.%'` : sql``;
    const { rows } = await sql<{ n: string; d: string | null }>`select count(*) as n,
      md5(string_agg(t::text, ',' order by t::text)) as d from ${sql.table(name)} t ${where}`.execute(db);
    out[name] = `${rows[0].n}:${rows[0].d}`;
  }
  return out;
}

let before: Record<string, string>;
beforeAll(async () => {
  const { mention } = await seedTwoBoards(source.db);
  // rows COPY must escape: tabs, newlines, backslashes, quotes, non-ASCII, NULLs and JSON
  await audit(source.db, {
    actor: 'test\twith\ttabs',
    action: 'test.odd_text',
    targetId: 'a\\b\nc "d" \'e\' — ë ✓ \\.',
    details: { nested: { text: 'line1\nline2\\.\n\\.', emoji: '🎒' }, n: null },
  });
  // a story pointing at a mention that comes later in the table: a foreign key to its own table
  await source.db
    .updateTable('mentions')
    .set({ story_id: await mention('ab') })
    .where('id', '=', await mention('a1'))
    .execute();
  // an update writes a new row version at the end of the table: now the story comes after a1
  await source.db
    .updateTable('mentions')
    .set((eb) => ({ title: eb.ref('title') }))
    .where('id', '=', await mention('ab'))
    .execute();
  before = await digests(source.db);
});

test('a backup restored into an empty migrated database has every table with the same rows', async () => {
  const header = await createBackup(source, file, 'test');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.readdirSync(dir)).toEqual(['full.kbbackup']); // the temporary name is gone
  expect(header.migrations).toEqual(migrationFiles());
  expect(header.tables.find((t) => t.name === 'mentions')!.rows).toBeGreaterThan(4);
  // parents before children
  const order = header.tables.map((t) => t.name);
  expect(order.indexOf('boards')).toBeLessThan(order.indexOf('schools'));
  expect(order.indexOf('schools')).toBeLessThan(order.indexOf('mention_schools'));

  const restored = await restoreAsOwner(file, { replace: false, actor: 'test' });
  expect(restored.migrated).toEqual([]);
  const after = await digests(target.db);
  expect(Object.keys(after)).toEqual(Object.keys(before));
  expect(after).toEqual(before);
  expect(Number(before.mentions.split(':')[0])).toBeGreaterThan(4);

  const actions = async (db: DB) =>
    (await db.selectFrom('audit_log').select('action').where('action', 'like', 'backup.%').execute()).map(
      (r) => r.action,
    );
  expect(await actions(source.db)).toEqual(['backup.created']);
  expect(await actions(target.db)).toEqual(['backup.restored']);
});

test('identity sequences continue after the highest restored id', async () => {
  const max = await target.db
    .selectFrom('boards')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirstOrThrow();
  const board = await target.db
    .insertInto('boards')
    .values({ slug: 'na-herstel', name: 'Na herstel' })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(Number(board.id)).toBeGreaterThan(Number(max.m));
  const log = await target.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  await audit(target.db, { actor: 'test', action: 'test.after_restore' });
  const next = await target.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(Number(next.id)).toBeGreaterThan(Number(log.id));
});

test('refuses a database that holds data unless told to replace it', async () => {
  await expect(restoreBackup(targetOwner, file, { replace: false, actor: 'test' })).rejects.toThrow(/--yes/);
  expect(await target.db.selectFrom('boards').select('id').where('slug', '=', 'na-herstel').execute()).toHaveLength(1);

  await restoreAsOwner(file, { replace: true, actor: 'test' });
  expect(await target.db.selectFrom('boards').select('id').where('slug', '=', 'na-herstel').execute()).toHaveLength(0);
  expect(await digests(target.db)).toEqual(before);
});

const gzipLines = (...lines: string[]) => zlib.gzipSync(lines.map((l) => l + '\n').join(''));
const header = (over: Record<string, unknown>) =>
  JSON.stringify({
    format: 'klankbord-backup',
    formatVersion: 1,
    appVersion: '9.9.9',
    createdAt: new Date().toISOString(),
    migrations: migrationFiles(),
    tables: [],
    ...over,
  });

test('refuses a truncated, damaged, foreign or newer file and changes nothing', async () => {
  const bytes = fs.readFileSync(file);
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)] ^= 0xff;
  const cases: [string, Buffer, RegExp][] = [
    ['truncated', bytes.subarray(0, Math.floor(bytes.length * 0.7)), /beschadigd of afgekapt/],
    ['flipped', flipped, /beschadigd of afgekapt/],
    [
      'missing-table-end',
      gzipLines(header({ tables: [{ name: 'boards', columns: ['id'], rows: 1 }] }), '1'),
      /afgekapt/,
    ],
    ['text', Buffer.from('board: { slug: x }\n'), /geen Klankbord-back-up/],
    ['other-gzip', zlib.gzipSync('{"hello": 1}\n'), /geen Klankbord-back-up/],
    ['newer-format', gzipLines(header({ formatVersion: 2 })), /nieuwer back-upformaat/],
    [
      'newer-app',
      gzipLines(
        header({ migrations: [...migrationFiles(), '9999_future.sql'] }),
        '{"end":"klankbord-backup","tables":0}',
      ),
      /nieuwere Klankbord \(9\.9\.9\).*9999_future\.sql/,
    ],
  ];
  const now = await digests(target.db);
  for (const [name, content, message] of cases) {
    const bad = path.join(dir, `${name}.kbbackup`);
    fs.writeFileSync(bad, content);
    const attempt = restoreBackup(targetOwner, bad, { replace: true, actor: 'test' });
    await expect(attempt, name).rejects.toBeInstanceOf(BackupFileError);
    await expect(restoreBackup(targetOwner, bad, { replace: true, actor: 'test' }), name).rejects.toThrow(message);
  }
  expect(await digests(target.db)).toEqual(now);
});

test('klankbord backup and restore on the command line, into a database without any tables', async () => {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = connect(inject('adminUrl'), 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const u = new URL(inject('adminUrl'));
  u.pathname = `/${name}`;
  try {
    for (const cmd of ['backup', 'restore'])
      expect((await runCliInProcess([cmd, '--help'])).stdout).toContain(`klankbord ${cmd}`);
    const out = path.join(dir, 'cli.kbbackup');
    const made = await runCliInProcess(['backup', '--out', out], { databaseUrl: source.url });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`Back-up geschreven: ${out}`);
    expect(made.stdout).toMatch(/níet in de back-up \(KLANKBORD_SECRET_KEY\)/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);

    const restored = await runCliInProcess(['restore', out], { databaseUrl: u.toString() });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Hersteld: /);
    const copy = connect(u.toString(), 2);
    try {
      expect(await digests(copy.db)).toEqual(before);
    } finally {
      await copy.close();
    }

    const again = await runCliInProcess(['restore', out], { databaseUrl: u.toString() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/bevat al gegevens.*--yes/);
  } finally {
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
  }
});
