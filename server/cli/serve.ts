import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { buildApp } from '../app.ts';
import { parseConfig } from '../config.ts';
import type { DB } from '../db/index.ts';
import { demoBoardId, isEmpty, registerDemoFeed } from '../db/demo.ts';
import { demoAccounts, seedDemo } from '../demo/seed.ts';
import { startDemoFeedServer } from '../demo/feedServer.ts';
import { log } from '../log.ts';
import { ensureWebBuilt, WEB_DIST } from '../web/build.ts';
import type { FetchOptions } from '../../workers/http/guardedFetch.ts';
import { startWorker } from '../../workers/runner.ts';
import { parse, type Command } from './args.ts';
import { println, type Io } from './io.ts';
import { fetchOptions, jetstreamSettings, onShutdown, openReady } from './runtime.ts';
import { lockDataDir } from './instanceLock.ts';

export function listen(
  db: DB,
  port: number,
  host: string,
  fetchOpts: FetchOptions,
): Promise<{ server: Server; url: string }> {
  const app = buildApp(db, { webDir: WEB_DIST, fetchOptions: fetchOpts });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({ server: server as Server, url: `http://${shown}:${info.port}/` });
    }) as Server;
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`Poort ${port} is al in gebruik. Kies een andere met PORT=…`) : err),
    );
  });
}

async function run(mode: 'start' | 'server', argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, mode === 'start' ? { demo: { type: 'boolean' } } : {});
  if (values.help) {
    println(io.stdout, mode === 'start' ? startCmd.usage : serverCmd.usage);
    return 0;
  }
  const cfg = parseConfig(io.env);
  // With the embedded database, one instance per data directory; with DATABASE_URL, as many as needed.
  const lock = cfg.DATABASE_URL ? undefined : lockDataDir(cfg.dataDir);
  if (lock && 'heldBy' in lock) {
    println(
      io.stderr,
      `Klankbord draait al met datamap ${cfg.dataDir} (proces ${lock.heldBy}). Stop dat eerst, of kies een andere KLANKBORD_DATA_DIR.`,
    );
    return 1;
  }
  const conn = await openReady(io);
  const stops: (() => Promise<void>)[] = [];
  if (lock) stops.push(async () => lock.release());
  onShutdown(io, async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await conn.close();
  });
  const db = conn.db;
  let demoPassword: string | undefined;
  let fetchOpts = fetchOptions(io);
  if (mode === 'start') {
    const wantsDemo = Boolean(values.demo) || (await isEmpty(db)) || Boolean(await demoBoardId(db));
    if (wantsDemo) {
      const seeded = await seedDemo(db, cfg.KLANKBORD_DEMO_PASSWORD);
      demoPassword = seeded.password;
      const feed = await startDemoFeedServer();
      stops.push(feed.close);
      await registerDemoFeed(db, seeded.boardId, feed.url);
      fetchOpts = fetchOptions(io, [feed.hostPort]);
    }
  }
  if (await ensureWebBuilt()) log.info({ dir: WEB_DIST }, 'dashboard built');
  const { server, url } = await listen(db, cfg.PORT, cfg.HOST, fetchOpts);
  stops.push(() => new Promise((resolve) => server.close(() => resolve())));
  if (mode === 'start') {
    const worker = startWorker(db, { fetchOptions: fetchOpts }, { jetstream: jetstreamSettings(io) });
    stops.push(worker.stop);
  }
  const lines = [
    ``,
    `Klankbord draait op ${url}`,
    `Database: ${conn.embedded ? `ingebouwde PostgreSQL (${cfg.dataDir})` : 'DATABASE_URL'}`,
  ];
  if (demoPassword) {
    lines.push(`Demo-accounts (wachtwoord: ${demoPassword}):`);
    for (const a of demoAccounts)
      lines.push(`  ${a.email.padEnd(28)} ${a.role}${a.schools ? ` (alleen ${a.schools.join(', ')})` : ''}`);
    if (!cfg.KLANKBORD_DEMO_PASSWORD) lines.push(`(Vast wachtwoord? Zet KLANKBORD_DEMO_PASSWORD.)`);
  }
  lines.push(`Stoppen: Ctrl-C`, ``);
  println(io.stdout, lines.join('\n'));
  return new Promise<number>(() => {}); // runs until a signal
}

export const startCmd: Command = {
  summary: 'alles in één proces: database, migraties, workers, dashboard',
  usage: `klankbord start [--demo]

Start de database (ingebouwd, of DATABASE_URL), voert migraties uit, start de workers en het
dashboard. Een lege database krijgt het demobestuur Edu-Ley; --demo doet dat altijd.
Omgeving: PORT (8080), HOST (127.0.0.1), KLANKBORD_DATA_DIR (./data), KLANKBORD_DEMO_PASSWORD.`,
  run: (argv, io) => run('start', argv, io),
};

export const serverCmd: Command = {
  summary: 'alleen de HTTP-server en het dashboard (workers apart met `klankbord worker`)',
  usage: `klankbord server

Start alleen de HTTP-server met het dashboard. Gebruik samen met één of meer
\`klankbord worker\`-processen tegen dezelfde DATABASE_URL.`,
  run: (argv, io) => run('server', argv, io),
};
