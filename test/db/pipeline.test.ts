import { afterAll, beforeAll, expect, test } from 'vitest';
import { importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import { listMentions } from '../../server/db/mentions.ts';
import { ensureMentionPartitions, monthStartId } from '../../server/db/partitions.ts';
import { boardPolicy } from '../../server/db/policy.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import { labelMention } from '../../workers/labelling.ts';
import { processItems } from '../../workers/pipeline.ts';
import { storedActions, type Action } from '../../workers/policy/types.ts';
import { collectOnce } from '../../workers/runner.ts';
import { claimSources, LEASE_SECONDS } from '../../workers/scheduler.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

const conn = await freshDatabase();
const db = conn.db;
let feed = '';
let status = 200;
let srv: Awaited<ReturnType<typeof fixtureServer>>;

const rssOf = (items: [string, string][]) =>
  `<rss version="2.0"><channel><title>t</title>${items.map(([id, text]) => `<item><guid>${id}</guid><description>${text}</description><pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate></item>`).join('')}</channel></rss>`;

beforeAll(async () => {
  srv = await fixtureServer({
    '/feed.xml': (_q, r) => r.writeHead(status, { 'retry-after': status === 503 ? '3600' : '0' }).end(feed),
  });
  await importBoard(
    db,
    parseBoardFile(`board: { slug: edu-ley, name: Edu-Ley }
schools:
  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }
  - { slug: jozef, name: St. Jozefschool, aliases: ["Jozefschool"] }
sources:
  - { kind: rss, url: "${srv.base}/feed.xml", name: Lokaal }
  - { kind: rss, url: "${srv.base}/alleen-jozef.xml", name: Alleen Jozef, school: jozef }
`),
    'test',
  );
});
afterAll(() => srv.close());

const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] } });
const source = () => db.selectFrom('sources').selectAll().where('name', '=', 'Lokaal').executeTakeFirstOrThrow();

test('stores matched mentions with their schools and classification, and nothing else', async () => {
  feed = rssOf([
    ['1', 'Geweldige dag op De Meander'],
    ['2', 'De Meander en de Jozefschool samen'],
    ['3', 'Niets over scholen'],
  ]);
  const r = await collectOnce(db, ctx(), { all: true });
  expect(r.inserted).toBe(2);
  const rows = await db
    .selectFrom('mention_schools')
    .innerJoin('mentions', 'mentions.id', 'mention_schools.mention_id')
    .select(['external_id', 'school_id', 'matched'])
    .orderBy('external_id')
    .execute();
  expect(rows.map((r) => r.external_id)).toEqual(['1', '2', '2']);
  expect(await db.selectFrom('mentions').select('id').where('external_id', '=', '3').execute()).toEqual([]);
  const c = await db.selectFrom('classifications').selectAll().execute();
  expect(c).toHaveLength(2);
  expect(c.every((x) => ['positive', 'neutral', 'negative'].includes(x.sentiment))).toBe(true);
  const s = await source();
  expect(s).toMatchObject({ error_count: 0, last_error: null, lease_owner: null });
  // New items: the source is active, so it is checked again in half its interval.
  expect(s.current_interval_seconds).toBe(450);
  expect(s.next_check_at.getTime()).toBeGreaterThan(Date.now() + 400_000);
});

test('adds nothing twice when the same feed is collected again', async () => {
  const r = await collectOnce(db, ctx(), { all: true });
  expect(r.inserted).toBe(0);
  expect(await db.selectFrom('mentions').select('id').execute()).toHaveLength(2);
});

test('records a failing source in its health and backs off, honouring Retry-After', async () => {
  status = 503;
  await collectOnce(db, ctx(), { all: true });
  const s = await source();
  expect(s.error_count).toBe(1);
  expect(s.last_error).toContain('503');
  expect(s.next_check_at.getTime()).toBeGreaterThan(Date.now() + 3500_000);
  expect(s.error_permanent).toBe(false);
  const other = await db.selectFrom('sources').selectAll().where('name', '=', 'Alleen Jozef').executeTakeFirstOrThrow();
  expect(other.last_error).toContain('404');
  // A missing feed is a permanent error: marked as such and not retried for a day.
  expect(other.error_permanent).toBe(true);
  expect(other.next_check_at.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  status = 200;
});

test('a source that is not due is not collected by a plain run', async () => {
  const r = await collectOnce(db, ctx());
  expect(r.sources).toBe(0);
});

test('two workers never lease the same source, and an expired lease is taken over', async () => {
  await db
    .updateTable('sources')
    .set({ next_check_at: new Date(Date.now() - 1000) })
    .execute();
  const [a, b] = await Promise.all([claimSources(db, 'worker-a', 10), claimSources(db, 'worker-b', 10)]);
  const ids = [...a, ...b].map((s) => s.id);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(2);
  expect(await claimSources(db, 'worker-c', 10)).toEqual([]);
  // SKIP LOCKED may give both sources to one worker; expire whichever lease exists.
  const [holder, held] = a.length ? ['worker-a', a] : ['worker-b', b];
  await db
    .updateTable('sources')
    .set({ lease_until: new Date(Date.now() - 1000) })
    .where('lease_owner', '=', holder)
    .execute();
  const taken = await claimSources(db, 'worker-c', 10);
  expect(taken.map((s) => s.id).sort()).toEqual(held.map((s) => s.id).sort());
  expect(taken[0].lease_until!.getTime()).toBeGreaterThan(Date.now() + (LEASE_SECONDS - 10) * 1000);
});

test('a school source is matched only against its own school', async () => {
  await db.updateTable('sources').set({ lease_owner: null, lease_until: null }).execute();
  const s = await db.selectFrom('sources').selectAll().where('name', '=', 'Alleen Jozef').executeTakeFirstOrThrow();
  const { processItems } = await import('../../workers/pipeline.ts');
  const r = await processItems(db, s, [
    { externalId: 'j', url: null, title: '', text: 'De Meander en de Jozefschool', author: null, publishedAt: null },
  ]);
  expect(r.inserted).toBe(1);
  const links = await db
    .selectFrom('mention_schools')
    .innerJoin('mentions', 'mentions.id', 'mention_schools.mention_id')
    .select('school_id')
    .where('external_id', '=', 'j')
    .execute();
  expect(links.map((l) => l.school_id)).toEqual([s.school_id]);
});

test('a running worker collects due sources and, when stopped, holds no lease', async () => {
  const { startWorker } = await import('../../workers/runner.ts');
  feed = rssOf([['w1', 'Nieuwe speeltuin bij De Meander']]);
  await db
    .updateTable('sources')
    .set({ next_check_at: new Date(Date.now() - 1000), lease_owner: null, lease_until: null })
    .execute();
  const worker = startWorker(db, ctx(), { pollMs: 50 });
  await expect
    .poll(async () => (await db.selectFrom('mentions').select('id').where('external_id', '=', 'w1').execute()).length, {
      timeout: 10_000,
    })
    .toBe(1);
  await worker.stop();
  const leased = await db.selectFrom('sources').select('id').where('lease_owner', 'is not', null).execute();
  expect(leased).toEqual([]);
});

test('a feed of several batches is labelled on the threads batch by batch, each post with its own labels', async () => {
  // 450 posts: batches of 200, 200 and 50; a threat and a word of praise in each, at different places
  const threat = (n: number) => `Ik ga morgen iedereen op De Meander neerschieten, let maar op (${n})`;
  const praise = (n: number) => `Wat een geweldige, fijne juffen op De Meander, echt top! (${n})`;
  const plain = (n: number) => `De Meander houdt een ouderavond over het schoolplein (${n})`;
  const threats = new Set([7, 263, 449]);
  const praised = new Set([0, 399, 401]);
  feed = rssOf(
    Array.from({ length: 450 }, (_, n) => [
      `batch-${n}`,
      threats.has(n) ? threat(n) : praised.has(n) ? praise(n) : plain(n),
    ]),
  );
  const r = await collectOnce(db, ctx(), { all: true });
  expect(r.inserted).toBe(450);
  const rows = await db
    .selectFrom('mentions')
    .innerJoin('classifications', 'classifications.mention_id', 'mentions.id')
    .select(['external_id', 'sentiment', 'risks'])
    .where('external_id', 'like', 'batch-%')
    .execute();
  expect(rows).toHaveLength(450);
  const n = (id: string) => Number(id.slice('batch-'.length));
  const risky = rows.filter((x) => (x.risks as { type: string }[]).some((k) => k.type === 'threat'));
  expect(risky.map((x) => n(x.external_id)).sort((a, b) => a - b)).toEqual([...threats]);
  const positive = rows.filter((x) => x.sentiment === 'positive').map((x) => n(x.external_id));
  expect(positive.sort((a, b) => a - b)).toEqual([...praised]);
});

test("a post is collected at the pipeline's clock, which also says its month, and the inbox at that clock lists it", async () => {
  const now = new Date('2025-03-10T12:00:00Z');
  const src = await source();
  // that month's partition, as the partitions job makes it at its clock (a worker's runs may have
  // dropped the empty legacy one that covered the past)
  await ensureMentionPartitions(db, now, 1);
  const text = 'De Meander zoekt hulpouders voor de sportdag in maart';
  await processItems(
    db,
    src,
    [
      {
        externalId: 'clock-1',
        url: 'https://news.example.nl/clock-1',
        title: '',
        text,
        author: null,
        publishedAt: new Date('2025-03-10T08:00:00Z'),
      },
    ],
    { now },
  );
  const row = await db
    .selectFrom('mentions')
    .select(['id', 'created_at'])
    .where('external_id', '=', 'clock-1')
    .executeTakeFirstOrThrow();
  expect(row.created_at.toISOString()).toBe(now.toISOString());
  // the id of a post collected in March 2025 (sql/0040), not of the day the test runs
  expect(BigInt(row.id) >= BigInt(monthStartId(now))).toBe(true);
  expect(BigInt(row.id) < BigInt(monthStartId(new Date('2025-04-01T00:00:00Z')))).toBe(true);
  const schools = (await db.selectFrom('schools').select('id').execute()).map((s) => s.id);
  const page = await listMentions(db, { boardId: src.board_id, schoolIds: schools, now, limit: 5 });
  expect(page.items.map((m) => m.text)).toEqual([text]);
});

test("a batch's labels are stored as labelling gave them, column by column", async () => {
  const src = await source();
  const now = new Date('2025-03-12T09:00:00Z');
  await ensureMentionPartitions(db, now, 1);
  const posts = [
    { title: 'Klacht over De Meander', text: 'Bel de vader van Sanne de Vries op 06-12345678, hij is gek.' },
    { title: '', text: 'Wat een geweldige sportdag op De Meander, dank aan alle hulpouders! 😊' },
    { title: 'De Meander', text: 'Ik steek de school in de fik als ze dit niet oplossen' },
  ];
  // more than a few, so they are labelled on a classification thread as a worker does
  const items = Array.from({ length: 12 }, (_, i) => ({
    externalId: `cols-${i}`,
    url: `https://news.example.nl/cols-${i}`,
    title: posts[i % 3]!.title,
    text: `${posts[i % 3]!.text} (${i})`,
    author: null,
    publishedAt: new Date('2025-03-11T08:00:00Z'),
  }));
  const r = await processItems(db, src, items, { now });
  expect(r.inserted).toBe(12);
  const { preset } = await boardPolicy(db, src.board_id);
  const rows = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select(['m.external_id', 'c.language', 'c.sentiment', 'c.sentiment_score', 'c.sentiment_evidence'])
    .select(['c.risks', 'c.actions', 'c.masks', 'c.classifier'])
    .where('m.external_id', 'like', 'cols-%')
    .execute();
  expect(rows).toHaveLength(12);
  for (const row of rows) {
    const item = items.find((i) => i.externalId === row.external_id)!;
    const want = labelMention({ title: item.title, body: item.text, facts: [], preset, sourceKind: 'rss', now });
    expect(row).toMatchObject({
      classifier: CLASSIFIER,
      language: want.language,
      sentiment: want.sentiment.label,
      sentiment_evidence: want.sentiment.evidence ?? [],
      risks: JSON.parse(JSON.stringify(want.risks)),
      actions: JSON.parse(JSON.stringify(storedActions(want.actions as Action[]))),
      masks: JSON.parse(JSON.stringify(want.masks)),
    });
    expect(row.sentiment_score).toBeCloseTo(want.sentiment.score, 5);
  }
  // what the posts hold: a phone number masked, a threat, a prompt with its guidance parts
  const all = rows.flatMap((x) => x.risks as { type: string }[]).map((x) => x.type);
  expect(all).toEqual(expect.arrayContaining(['personal_data', 'threat']));
  expect(rows.some((x) => (x.masks as unknown[] | null)?.length)).toBe(true);
  expect(rows.every((x) => (x.actions as { parts?: unknown[] }[]).every((a) => a.parts?.length))).toBe(true);
});
