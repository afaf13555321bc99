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

test(
  'a PostgreSQL that dies under a running app is started again on the same address',
  { timeout: 90_000 },
  async () => {
    const restartDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-embedded-restart-'));
    const server = await startEmbedded(restartDir);
    try {
      const pid = Number(fs.readFileSync(path.join(restartDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      await expect
        .poll(async () => (await query(server.url, 'select 1 as ok').catch(() => []))[0]?.ok, {
          timeout: 60_000,
          interval: 300,
        })
        .toBe(1);
    } finally {
      await server.stop();
      fs.rmSync(restartDir, { recursive: true, force: true });
    }
  },
);

test('a postmaster.pid naming a live process that is not PostgreSQL is stale, and is removed', async () => {
  const { runningPort } = await import('../../server/db/embedded.ts');
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-stale-pid-'));
  try {
    // this test process is alive, and it is not PostgreSQL
    fs.writeFileSync(path.join(pgDir, 'postmaster.pid'), `${process.pid}\n${pgDir}\n0\n54321\n`);
    expect(runningPort(pgDir)).toBeUndefined();
    expect(fs.existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
  } finally {
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
});
