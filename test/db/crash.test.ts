import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import { BIN } from '../support/cli.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// Workers that die mid-fetch lose nothing and store nothing twice: three worker processes are
// killed with SIGKILL at random moments and restarted; at the end every item of every feed must
// be stored exactly once, with its school link and classification (no half-written mention).
const SOURCES = 12;
const ITEMS = 8;
const conn = await freshDatabase();
const db = conn.db;
let srv: Awaited<ReturnType<typeof fixtureServer>>;
const workers = new Set<ChildProcess>();

// Deterministic "random" so a failure can be replayed.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const feedXml = (s: number) =>
  `<rss version="2.0"><channel><title>f${s}</title>${Array.from({ length: ITEMS }, (_, i) => `<item><guid>s${s}-i${i}</guid><title>Bericht ${i} over De Meander</title><description>Tekst ${s}/${i}</description></item>`).join('')}</channel></rss>`;

beforeAll(async () => {
  const routes: Record<string, (req: unknown, res: import('node:http').ServerResponse) => void> = {};
  for (let s = 0; s < SOURCES; s++) {
    // Slow answers, so that kills land while requests and transactions are in flight.
    routes[`/feed${s}.xml`] = (_q, r) =>
      setTimeout(() => r.writeHead(200).end(feedXml(s)), 800 + Math.floor(rand() * 1700));
  }
  srv = await fixtureServer(routes);
  const sources = Array.from(
    { length: SOURCES },
    (_, s) => `  - { kind: rss, url: "${srv.base}/feed${s}.xml", name: feed${s} }`,
  ).join('\n');
  await importBoard(
    db,
    parseBoardFile(
      `board: { slug: edu-ley, name: Edu-Ley }\nschools:\n  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }\nsources:\n${sources}\n`,
    ),
    'test',
  );
});

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await srv.close();
});

function startWorkerProcess() {
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--concurrency', '2', '--lease-seconds', '2', '--poll-ms', '100'],
    {
      env: {
        ...process.env,
        DATABASE_URL: conn.url,
        KLANKBORD_FETCH_ALLOW: srv.hostPort,
        KLANKBORD_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    },
  );
  workers.add(child);
  child.once('exit', () => workers.delete(child));
  return child;
}

const storedCount = async () =>
  Number(
    (
      await db
        .selectFrom('mentions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test(
  'three workers killed at random points and restarted store every item exactly once',
  { timeout: 120_000 },
  async () => {
    for (let i = 0; i < 3; i++) startWorkerProcess();
    let kills = 0;
    const chaosUntil = Date.now() + 12_000;
    while (Date.now() < chaosUntil) {
      await new Promise((r) => setTimeout(r, 700 + rand() * 1300));
      const victims = [...workers];
      const victim = victims[Math.floor(rand() * victims.length)];
      if (victim) {
        victim.kill('SIGKILL');
        kills++;
      }
      startWorkerProcess();
    }
    expect(kills).toBeGreaterThanOrEqual(5);
    await expect.poll(storedCount, { timeout: 60_000, interval: 500 }).toBe(SOURCES * ITEMS);
    // A worker killed after storing a feed's last batch but before recording the fetch leaves the source to
    // be fetched again once its lease runs out: wait for that too, so every source ends with a success.
    const unfinished = async () =>
      (await db.selectFrom('sources').select('last_success_at').execute()).filter((s) => s.last_success_at === null)
        .length;
    await expect.poll(unfinished, { timeout: 60_000, interval: 500 }).toBe(0);
    for (const w of workers) w.kill('SIGTERM');
    await expect.poll(() => workers.size, { timeout: 20_000 }).toBe(0);

    // Some feeds were fetched more than once: their first worker died before finishing.
    expect(srv.requests.length).toBeGreaterThan(SOURCES);
    console.log(`crash test: ${kills} kills, ${srv.requests.length} fetches for ${SOURCES} feeds`);
    const ids = await db.selectFrom('mentions').select(['source_id', 'external_id']).execute();
    expect(new Set(ids.map((m) => `${m.source_id}/${m.external_id}`)).size).toBe(SOURCES * ITEMS);
    const links = await db.selectFrom('mention_schools').select('mention_id').execute();
    const labels = await db.selectFrom('classifications').select('mention_id').execute();
    expect(links).toHaveLength(SOURCES * ITEMS);
    expect(labels).toHaveLength(SOURCES * ITEMS);
    const sources = await db.selectFrom('sources').select(['last_success_at', 'lease_owner']).execute();
    expect(sources.every((s) => s.last_success_at !== null)).toBe(true);
    expect(sources.filter((s) => s.lease_owner !== null)).toEqual([]);
  },
);
