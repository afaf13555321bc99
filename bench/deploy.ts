import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { importBoard } from '../server/actions/boardConfig.ts';
import { parseBoardFile } from '../server/actions/boardFile.ts';
import { parseConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { record } from './results.ts';

// Issue 18: how many mentions one `klankbord worker` process stores per second, and what a second
// process adds, against local feeds (50 feeds × 200 items, every item about a school). The workers
// are real processes on the app role, as in README → "Op grotere schaal"; the clock runs from the
// moment the board's sources exist until the last item is stored (from the workers' own logs).
// Each process first stores WARM_FEEDS feeds of a board of its own, untimed: a worker runs for days, and
// a cold one spends seconds of CPU compiling the pipeline and the classifiers, which two cold processes
// each pay (bench/ingestLane.ts warms up the same way). Their sources are then not due again within the
// timed run (a checked source waits at least a minute).
const FEEDS = 50;
const WARM_FEEDS = 15;
const ITEMS = 200;
const TOTAL = FEEDS * ITEMS;
// A national rollout's busiest hour, roughly: ~7,000 schools × 100 posts on a bad day, a tenth of
// it in one hour, is ~200 mentions/s; two workers per 100/s keep that within four processes.
const PER_WORKER_TARGET = 50;
const SCALING_TARGET = 1.5;

const SCHOOLS = ['De Meander', 'Jozefschool', 'De Pontonnier', 'Het Kompas'];
const TEXTS = [
  (s: string) => `Ouders boos over pesten op het schoolplein van ${s}`,
  (s: string) => `Wat een mooie musical van groep 8 van ${s}, trots op iedereen`,
  (s: string) => `${s} zoekt een nieuwe leerkracht voor groep 5, solliciteren kan tot vrijdag`,
  (s: string) => `Verkeersdrukte bij ${s}: de gemeente kijkt naar een veiliger oversteekplaats`,
  (s: string) => `De leerlingen van ${s} haalden geld op voor het goede doel met een sponsorloop`,
];
const feedXml = (run: string, f: number) => {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const text = `${TEXTS[(f + i) % TEXTS.length](SCHOOLS[i % SCHOOLS.length])} (${run}-${f}-${i})`;
    const at = new Date(Date.now() - (f * ITEMS + i) * 20_000).toUTCString();
    return `<item><guid>r${run}-f${f}-i${i}</guid><link>https://nieuws.example/${run}/${f}/${i}</link><pubDate>${at}</pubDate><title>${text}</title><description>${text}. Meer op de website.</description></item>`;
  });
  return `<rss version="2.0"><channel><title>feed ${f}</title>${items.join('')}</channel></rss>`;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-bench-deploy-'));
fs.chmodSync(dir, 0o711);
const env: NodeJS.ProcessEnv = { ...process.env, KLANKBORD_DATA_DIR: path.join(dir, 'data') };
delete env.DATABASE_URL;
delete env.DATABASE_ADMIN_URL;
const conn = await openDatabase(parseConfig(env));
await conn.migrate();

const feedBodies = new Map<string, string>();
const server = http.createServer((req, res) => {
  const body = feedBodies.get(req.url ?? '');
  if (body) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  else res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;

type Line = { time: string; msg: string; newMentions?: number };
function startWorker() {
  const child = spawn(process.execPath, ['bin/klankbord.js', 'worker', '--poll-ms', '100'], {
    env: { ...env, DATABASE_URL: conn.url, KLANKBORD_FETCH_ALLOW: hostPort, KLANKBORD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const w = { child, lines: [] as Line[], rest: '' };
  child.stderr!.on('data', (d) => {
    const parts = (w.rest + d).split('\n');
    w.rest = parts.pop()!;
    for (const p of parts) if (p.startsWith('{')) w.lines.push(JSON.parse(p));
  });
  return w;
}
const stored = (lines: Line[]) => lines.reduce((n, l) => n + (l.msg === 'collected' ? (l.newMentions ?? 0) : 0), 0);
// CPU seconds a process has used (Linux): on a shared machine the wall clock also measures the
// neighbours, so the figure per CPU second is given alongside.
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const statOf = (pid: number | string) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
const cpuSeconds = (pid: number) => {
  const fields = statOf(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICK;
};
// PostgreSQL's CPU seconds: the postmaster, its live processes (backends, autovacuum, writers) and those
// that ended (reaped by the postmaster, counted in its children's times).
const postmaster = Number(
  fs.readFileSync(path.join(env.KLANKBORD_DATA_DIR!, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
);
function postgresCpuSeconds() {
  const own = statOf(postmaster);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
    try {
      const f = statOf(pid);
      if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // ended while listed
    }
  return ticks / TICK;
}
const stop = (c: ChildProcess) => new Promise((r) => (c.kill('SIGTERM'), c.once('exit', r)));

// Serves `feeds` new feeds under /run/ and gives their lines for a board file.
const sourcesOf = (run: string, feeds: number) =>
  Array.from({ length: feeds }, (_, f) => {
    feedBodies.set(`/${run}/feed${f}.xml`, feedXml(run, f));
    return `  - { kind: rss, url: "http://${hostPort}/${run}/feed${f}.xml", name: feed${f} }`;
  });
const schools = SCHOOLS.map((s, i) => `  - { slug: s${i}, name: "obs ${s}", aliases: ["${s}"] }`);
const boardYaml = (slug: string, sources: string[]) =>
  `board: { slug: ${slug}, name: Bench }\nschools:\n${schools.join('\n')}\nsources:\n${sources.join('\n')}\n`;
const storedSince = (workers: ReturnType<typeof startWorker>[], from: number[]) =>
  workers.reduce((n, w, i) => n + stored(w.lines.slice(from[i])), 0);
async function until(done: () => boolean, what: string, ms: number) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// One run: `processes` workers, started and warm, then a fresh board with its 50 sources due at once.
async function run(processes: number) {
  const workers = Array.from({ length: processes }, startWorker);
  await until(
    () => workers.every((w) => w.lines.some((l) => l.msg === 'worker started')),
    'workers did not start',
    60_000,
  );
  const warm = WARM_FEEDS * processes * ITEMS;
  await importBoard(
    conn.db,
    parseBoardFile(boardYaml(`warm-${processes}`, sourcesOf(`w${processes}`, WARM_FEEDS * processes))),
    'bench',
  );
  const none = workers.map(() => 0);
  await until(
    () => storedSince(workers, none) >= warm,
    `warm-up: only ${storedSince(workers, none)} of ${warm} stored`,
    600_000,
  );
  // the warm-up's last filing and periodic jobs settle before the clock starts
  await new Promise((r) => setTimeout(r, 2000));
  const from = workers.map((w) => w.lines.length);
  const sources = sourcesOf(`r${processes}`, FEEDS);
  const cpu0 = workers.reduce((n, w) => n + cpuSeconds(w.child.pid!), 0);
  const pg0 = postgresCpuSeconds();
  const started = Date.now();
  await importBoard(conn.db, parseBoardFile(boardYaml(`bench-${processes}`, sources)), 'bench');
  await until(
    () => storedSince(workers, from) >= TOTAL,
    `only ${storedSince(workers, from)} of ${TOTAL} stored`,
    600_000,
  );
  const last = Math.max(
    ...workers.flatMap((w, i) =>
      w.lines
        .slice(from[i])
        .filter((l) => l.msg === 'collected')
        .map((l) => Date.parse(l.time)),
    ),
  );
  const cpu = workers.reduce((n, w) => n + cpuSeconds(w.child.pid!), 0) - cpu0;
  const pgCpu = postgresCpuSeconds() - pg0;
  await Promise.all(workers.map((w) => stop(w.child)));
  const seconds = (last - started) / 1000;
  return {
    seconds,
    perWorker: TOTAL / seconds / processes,
    perCpuSecond: Math.round(TOTAL / cpu),
    // per CPU second of the workers and PostgreSQL together, over the timed run
    perAllCpuSecond: Math.round(TOTAL / (cpu + pgCpu)),
    cpuCores: Math.round(((cpu + pgCpu) / seconds) * 100) / 100,
    split: workers.map((w, i) => stored(w.lines.slice(from[i]))),
  };
}

let one, two;
try {
  one = await run(1);
  two = await run(2);
} finally {
  server.close();
  await conn.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
const round = (n: number) => Math.round(n * 10) / 10;
const scaling = (two.perWorker * 2) / one.perWorker;
export const deployBench = {
  feeds: FEEDS,
  items: ITEMS,
  one: { ...one, perWorker: round(one.perWorker) },
  two: { ...two, perWorker: round(two.perWorker) },
  scaling: Math.round(scaling * 100) / 100,
  // mentions per CPU second (workers and PostgreSQL) with two processes, against one: below 1, two cost
  // more CPU per mention; on a machine whose cores one process already keeps busy, this is what decides
  // whether a second process can add anything
  cpuEfficiency2: Math.round((two.perAllCpuSecond / one.perAllCpuSecond) * 100) / 100,
  targets: {
    perWorker1: one.perWorker >= PER_WORKER_TARGET,
    perWorker2: two.perWorker >= PER_WORKER_TARGET,
    scaling: scaling >= SCALING_TARGET,
  },
};
record({
  id: 'ingest.perWorkerPerSecond1',
  value: deployBench.one.perWorker,
  unit: 'mentions/s per worker process',
  target: PER_WORKER_TARGET,
  met: deployBench.targets.perWorker1,
});
record({
  id: 'ingest.perWorkerPerSecond2',
  value: deployBench.two.perWorker,
  unit: 'mentions/s per worker process',
  target: PER_WORKER_TARGET,
  met: deployBench.targets.perWorker2,
});
record({
  id: 'ingest.cpuEfficiency2',
  value: deployBench.cpuEfficiency2,
  unit: '× one worker, mentions per CPU second (workers and PostgreSQL)',
  target: null,
  met: null,
});
record({
  id: 'ingest.scaling2',
  value: deployBench.scaling,
  unit: '× one worker',
  target: SCALING_TARGET,
  met: deployBench.targets.scaling,
});

const ok = (v: boolean) => (v ? 'OK' : 'GEMIST');
const nl = (n: number) => n.toLocaleString('nl-NL');
console.log(`
Workers (issue 18): ${FEEDS} feeds × ${ITEMS} berichten = ${nl(TOTAL)} vermeldingen per run, lokale feeds, ${os.cpus().length} kernen (belasting ${nl(round(os.loadavg()[0]))})
  1 worker:   ${nl(deployBench.one.perWorker)} vermeldingen/s per worker (${nl(round(one.seconds))} s; ${nl(one.perCpuSecond)} per CPU-seconde van de worker, ${nl(one.perAllCpuSecond)} met PostgreSQL, ${nl(one.cpuCores)} kernen bezig)  (doel ≥ ${PER_WORKER_TARGET})  ${ok(deployBench.targets.perWorker1)}
  2 workers:  ${nl(deployBench.two.perWorker)} vermeldingen/s per worker (${nl(round(two.seconds))} s; ${nl(two.perCpuSecond)} per CPU-seconde, ${nl(two.perAllCpuSecond)} met PostgreSQL, ${nl(two.cpuCores)} kernen bezig; verdeling ${two.split.join(' / ')})  (doel ≥ ${PER_WORKER_TARGET})  ${ok(deployBench.targets.perWorker2)}
  schaling:   ${nl(deployBench.scaling)}× één worker  (doel ≥ ${nl(SCALING_TARGET)}×)  ${ok(deployBench.targets.scaling)}; CPU per vermelding: ${nl(deployBench.cpuEfficiency2)}× zo zuinig als één worker (workers opgewarmd op ${WARM_FEEDS} feeds elk)`);
console.log(JSON.stringify({ deploy: deployBench }));
