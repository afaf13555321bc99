import { afterAll, beforeAll, expect, test } from 'vitest';
import { importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import { startWorker } from '../../workers/runner.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// A running worker keeps `concurrency` sources in hand: as soon as one is stored it takes the next due
// source, also while another (a slow feed) is still being fetched. In rounds it waited for the round's
// slowest source before taking any new one.

const conn = await freshDatabase();
const db = conn.db;
let release: () => void = () => {};
const slowHeld = new Promise<void>((resolve) => (release = resolve));
const rss = (id: string) =>
  `<rss version="2.0"><channel><title>t</title><item><guid>${id}</guid><description>Nieuws over De Meander (${id})</description><pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate></item></channel></rss>`;
// the slow feed on a host of its own: a worker asks one host one thing at a time (workers/http)
let slowSrv: Awaited<ReturnType<typeof fixtureServer>>;
let srv: Awaited<ReturnType<typeof fixtureServer>>;

beforeAll(async () => {
  slowSrv = await fixtureServer({
    '/slow.xml': (_q, r) => void slowHeld.then(() => r.writeHead(200).end(rss('slow'))),
  });
  srv = await fixtureServer({
    '/fast1.xml': (_q, r) => r.writeHead(200).end(rss('fast1')),
    '/fast2.xml': (_q, r) => r.writeHead(200).end(rss('fast2')),
    '/fast3.xml': (_q, r) => r.writeHead(200).end(rss('fast3')),
  });
  await importBoard(
    db,
    parseBoardFile(`board: { slug: edu-ley, name: Edu-Ley }
schools:
  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }
sources:
${['slow', 'fast1', 'fast2', 'fast3'].map((n) => `  - { kind: rss, url: "${(n === 'slow' ? slowSrv : srv).base}/${n}.xml", name: ${n} }`).join('\n')}
`),
    'test',
  );
  // due in this order: the slow feed first, so it is among the first two taken
  const order = ['slow', 'fast1', 'fast2', 'fast3'];
  for (const [i, name] of order.entries())
    await db
      .updateTable('sources')
      .set({ next_check_at: new Date(Date.now() - 60_000 + i * 1000) })
      .where('name', '=', name)
      .execute();
});
afterAll(async () => {
  release();
  await Promise.all([srv.close(), slowSrv.close()]);
});

test('while one source is slow, the other lane goes on to the next due sources', async () => {
  const worker = startWorker(
    db,
    { fetchOptions: { allow: [srv.hostPort, slowSrv.hostPort], headersTimeoutMs: 60_000 } },
    { concurrency: 2, pollMs: 50 },
  );
  try {
    const asked = (name: string) => [...srv.requests, ...slowSrv.requests].some((r) => r.path === `/${name}.xml`);
    // all three fast feeds are fetched and stored while the slow one is still held
    await expect.poll(() => ['slow', 'fast1', 'fast2', 'fast3'].every(asked), { timeout: 5_000 }).toBe(true);
    const stored = async () =>
      (await db.selectFrom('mentions').select('external_id').orderBy('external_id').execute()).map(
        (m) => m.external_id,
      );
    await expect.poll(stored, { timeout: 5_000 }).toEqual(['fast1', 'fast2', 'fast3']);
    release();
    await expect.poll(stored, { timeout: 5_000 }).toEqual(['fast1', 'fast2', 'fast3', 'slow']);
    // each source done once, without an error (the slow one did not time out), and no lease left while the
    // worker still runs (stop() would release any)
    const sources = () =>
      db.selectFrom('sources').select(['name', 'lease_owner', 'error_count']).orderBy('name').execute();
    await expect
      .poll(sources, { timeout: 5_000 })
      .toEqual(['fast1', 'fast2', 'fast3', 'slow'].map((name) => ({ name, lease_owner: null, error_count: 0 })));
  } finally {
    release();
    await worker.stop();
  }
});
