import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, ensureDatabase } from '../server/db/index.ts';
import { startEmbedded } from '../server/db/embedded.ts';

// What the database benchmarks share: their own database (on DATABASE_URL's server, or a throwaway
// embedded one), and timing a query as p50/p95 of `runs` runs after three warm-ups.

export async function openBenchDatabase(name: string) {
  let dir: string | undefined;
  let stop = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-bench-'));
    fs.chmodSync(dir, 0o711);
    const server = await startEmbedded(dir);
    adminUrl = server.url;
    stop = server.stop;
  }
  await ensureDatabase(adminUrl, name);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const conn = connect(u.toString(), 4);
  return {
    db: conn.db,
    url: u.toString(),
    close: async () => {
      await conn.close();
      await stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// Timed after 20 untimed runs: each connection of the pool has then run a prepared statement past the
// five runs PostgreSQL plans one by one before it may keep a plan (server/db/prepared.ts), as a
// server's connections have after their first few requests.
export const WARM_RUNS = 20;
export async function timeRuns(run: () => Promise<unknown>, runs: number) {
  for (let i = 0; i < WARM_RUNS; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}
