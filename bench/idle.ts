import fs from 'node:fs';
import { connect, type DB } from '../server/db/index.ts';
import { backendPids, parkSources } from '../server/db/benchData.ts';
import { JOBS } from '../workers/jobs.ts';
import { startWorker } from '../workers/runner.ts';
import type { Result } from './results.ts';

// What an idle worker costs PostgreSQL (issue 18): on the inbox benchmark's database (1M mentions),
// with no source due, one worker runs its background jobs as in production. First every job is run
// until it has nothing left (a fresh database has reclassify and masking passes to finish); then the
// worker's own connections are watched for STEADY_S seconds and the CPU time of the server processes
// behind them is read from /proc. Jobs that run every 10 minutes or less often are timed once each and
// added pro rata, so the figure is the long-run share of a core. Needs the server on this host.

const STEADY_S = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const APP = 'klankbord-idle-bench';
const TARGET_PCT = 1;
const TICK = 100; // USER_HZ on Linux

function cpuTicks(pids: number[]): number {
  let t = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      t += Number(f[11]) + Number(f[12]); // utime, stime
    } catch {
      // the connection closed meanwhile
    }
  }
  return t;
}

export type IdleFigures = {
  steadyPct: number;
  periodicPct: number;
  totalPct: number;
  perJobMs: Record<string, number>;
} | null;

export async function idleBench(admin: DB, url: string, board: string): Promise<IdleFigures> {
  if (!fs.existsSync('/proc/self/stat')) return null;
  await parkSources(admin, board);
  const u = new URL(url);
  u.searchParams.set('application_name', APP);
  const conn = connect(u.toString(), 2);
  const db = conn.db;
  try {
    // Finish the one-off passes and the charts' recount of the fill first: they are work, not idle cost.
    for (const job of JOBS.filter((j) => j.idle || j.every === 0))
      for (let i = 0; i < 100_000 && (await job.run(db)); i++);
    await backendPids(db, APP); // opens the worker pool's connection
    const pids = await backendPids(admin, APP);
    if (!pids.length || !fs.existsSync(`/proc/${pids[0]}/stat`)) return null;
    // Periodic jobs (every ≥ 10 min), each once, as a share of its own period.
    const perJobMs: Record<string, number> = {};
    let periodic = 0;
    for (const job of JOBS.filter((j) => j.every >= 10 * 60_000)) {
      const before = cpuTicks(await backendPids(admin, APP));
      const t = Date.now();
      await job.run(db);
      perJobMs[job.name] = Date.now() - t;
      const cpuMs = ((cpuTicks(await backendPids(admin, APP)) - before) / TICK) * 1000;
      periodic += cpuMs / job.every;
    }
    // What those passes left is work too, not idle cost: retention purges in bounded batches (a year of
    // bench posts collected over a year has a backlog older than the term), and what it deletes is
    // counted again in the charts. Both are finished before the watch.
    for (const job of JOBS.filter((j) => j.every >= 10 * 60_000))
      for (let i = 0; i < 10_000 && (await job.run(db)); i++);
    for (const job of JOBS.filter((j) => j.idle || j.every === 0))
      for (let i = 0; i < 100_000 && (await job.run(db)); i++);
    // Steady state: a real worker, its first pass done, watched for STEADY_S seconds.
    const worker = startWorker(db, { fetchOptions: {} } as never, { concurrency: 1 });
    await new Promise((r) => setTimeout(r, 3000));
    const watched = await backendPids(admin, APP);
    const before = cpuTicks(watched);
    await new Promise((r) => setTimeout(r, STEADY_S * 1000));
    const after = cpuTicks(await backendPids(admin, APP));
    await worker.stop();
    const steadyPct = (((after - before) / TICK) * 100) / STEADY_S;
    const periodicPct = periodic * 100;
    return {
      steadyPct: Number(steadyPct.toFixed(3)),
      periodicPct: Number(periodicPct.toFixed(3)),
      totalPct: Number((steadyPct + periodicPct).toFixed(3)),
      perJobMs,
    };
  } finally {
    await conn.close();
  }
}

export function idleResults(f: IdleFigures, mentions: number): Result[] {
  if (!f) return [];
  return [
    {
      id: 'idle.pgCorePct',
      value: f.totalPct,
      unit: `% of a core at ${mentions} mentions`,
      target: TARGET_PCT,
      met: f.totalPct <= TARGET_PCT,
    },
    { id: 'idle.pgCorePct.steady', value: f.steadyPct, unit: '% of a core', target: null, met: null },
    { id: 'idle.pgCorePct.periodicJobs', value: f.periodicPct, unit: '% of a core', target: null, met: null },
  ];
}

export function idleReport(f: IdleFigures, mentions: number): string {
  if (!f)
    return process.env.BENCH_IDLE === '0'
      ? 'Inactieve worker: niet gemeten (BENCH_IDLE=0)'
      : 'Inactieve worker: niet gemeten (de databaseserver draait niet op deze machine)';
  const pct = (n: number) => `${n.toFixed(2).replace('.', ',')}%`;
  const jobs = Object.entries(f.perJobMs)
    .map(([n, ms]) => `${n} ${ms} ms`)
    .join(', ');
  return [
    `Inactieve worker bij ${mentions.toLocaleString('nl-NL')} berichten: PostgreSQL ${pct(f.totalPct)} van een kern (doel ≤ ${TARGET_PCT}%)  ${f.totalPct <= TARGET_PCT ? 'OK' : 'GEMIST'}`,
    `  elke 5 s: ${pct(f.steadyPct)}; taken per 10 min of minder vaak, naar rato: ${pct(f.periodicPct)} (${jobs})`,
  ].join('\n');
}
