import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { startEmbedded } from '../../server/db/embedded.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-embedded-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function query(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

test('starts a real PostgreSQL that keeps its data across restarts', { timeout: 90_000 }, async () => {
  const first = await startEmbedded(dir);
  expect(first.attached).toBe(false);
  expect((await query(first.url, 'select version()'))[0].version).toMatch(/^PostgreSQL \d+/);
  await query(first.url, 'create table kept (v text); insert into kept values ($$bewaard$$)');

  // A second process on the same data directory uses the running server instead of failing.
  const second = await startEmbedded(dir);
  expect(second.attached).toBe(true);
  expect(await query(second.url, 'select v from kept')).toEqual([{ v: 'bewaard' }]);
  await second.stop();
  expect(await query(first.url, 'select count(*)::int as n from kept')).toEqual([{ n: 1 }]);

  await first.stop();
  expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
  const again = await startEmbedded(dir);
  expect(again.attached).toBe(false);
  expect(await query(again.url, 'select v from kept')).toEqual([{ v: 'bewaard' }]);
  await again.stop();
  const creds = fs.statSync(path.join(dir, 'postgres-credentials.json'));
  expect(creds.mode & 0o077).toBe(0);
});
