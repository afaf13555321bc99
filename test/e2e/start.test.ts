import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { BIN } from '../support/cli.ts';

// What a newcomer does: `klankbord start` with nothing configured (embedded PostgreSQL in a fresh
// data directory), then logs in as the printed demo account and finds the inbox filled.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-start-'));
fs.chmodSync(dir, 0o711);
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test(
  'start brings up database, demo board, worker and dashboard, and stops cleanly',
  { timeout: 120_000 },
  async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KLANKBORD_DATA_DIR: path.join(dir, 'data'),
      PORT: '0',
      KLANKBORD_LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.KLANKBORD_DEMO_PASSWORD;
    child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await expect.poll(() => out, { timeout: 90_000, interval: 200 }).toContain('Stoppen: Ctrl-C');
    const url = out.match(/Klankbord draait op (http:\/\/\S+)/)![1];
    const password = out.match(/wachtwoord: (\S+)\)/)![1];
    expect(out).toContain('communicatie@edu-ley.demo');

    const html = await (await fetch(url)).text();
    expect(html).toContain('<div id="app">');
    const login = await fetch(new URL('/api/auth/login', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'communicatie@edu-ley.demo', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    await expect
      .poll(
        async () =>
          (await (await fetch(new URL('/api/mentions?limit=100', url), { headers: { cookie } })).json()).items.length,
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(40);

    // a second start on the same data directory says so and exits, and the first keeps its password
    const second = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let secondOut = '';
    second.stdout!.on('data', (d) => (secondOut += d));
    second.stderr!.on('data', (d) => (secondOut += d));
    expect(await new Promise((r) => second.once('exit', r))).toBe(1);
    expect(secondOut).toContain('Klankbord draait al met datamap');
    const again = await fetch(new URL('/api/auth/login', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'communicatie@edu-ley.demo', password }),
    });
    expect(again.status).toBe(200);

    // the running app connects as its least-privilege role, not as the superuser that ran migrations
    const pgDir = path.join(dir, 'data', 'postgres');
    const port = fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[3];
    const creds = JSON.parse(fs.readFileSync(path.join(dir, 'data', 'postgres-credentials.json'), 'utf8'));
    expect((fs.statSync(path.join(dir, 'data', 'postgres-credentials.json')).mode & 0o777).toString(8)).toBe('600');
    const su = new pg.Client({
      connectionString: `postgres://klankbord:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/klankbord`,
    });
    await su.connect();
    const { rows } = await su.query(
      `select distinct usename from pg_stat_activity where datname = 'klankbord' and pid <> pg_backend_pid()`,
    );
    const roles = await su.query(`select rolsuper from pg_roles where rolname = 'klankbord_app'`);
    await su.end();
    expect(rows.map((r) => r.usename)).toEqual(['klankbord_app']);
    expect(roles.rows).toEqual([{ rolsuper: false }]);

    child.kill('SIGTERM');
    const code = await new Promise((r) => child!.once('exit', r));
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'data', 'postgres', 'postmaster.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'data', 'klankbord.pid'))).toBe(false);
  },
);
