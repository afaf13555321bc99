import { afterEach, beforeAll, expect, test, vi } from 'vitest';
import type { DB } from '../../server/db/index.ts';
import { log } from '../../server/log.ts';
import { startJetstream, STREAM_NAME, type Stream, type StreamOptions } from '../../workers/stream.ts';
import { freshDatabase } from '../support/db.ts';
import { startJetstreamServer, otherEvent, postEvent, timeUs, type Frame } from '../support/jetstreamServer.ts';
import { seedTwoBoards } from '../support/seed.ts';

let db: DB;
let seed: Awaited<ReturnType<typeof seedTwoBoards>>;
beforeAll(async () => {
  db = (await freshDatabase()).db;
  seed = await seedTwoBoards(db);
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await db.deleteFrom('streams').execute();
  vi.restoreAllMocks();
});

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function serve(frames: Frame[], opts: { cutAfter?: number } = {}) {
  const server = await startJetstreamServer(frames, opts);
  cleanups.push(server.close);
  return server;
}

function stream(url: string, owner: string, extra: Partial<StreamOptions> = {}): Stream {
  const s = startJetstream(db, {
    url,
    collections: ['app.bsky.feed.post'],
    owner,
    leaseMs: 1000,
    pollMs: 50,
    refreshMs: 0,
    marginUs: 5000,
    cursorEveryMs: 0,
    backoff: { baseMs: 20, maxMs: 200 },
    ...extra,
  });
  cleanups.push(s.stop);
  return s;
}

const stored = (prefix: string) =>
  db
    .selectFrom('mentions as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .select(['m.external_id', 'm.board_id', 'm.url', 'm.author_handle', 'm.body', 's.kind'])
    .where('s.kind', '=', 'bluesky_jetstream')
    .where('m.body', 'like', `${prefix}%`)
    .orderBy('m.external_id')
    .execute();
const schoolsOf = async (externalId: string) =>
  (
    await db
      .selectFrom('mention_schools as ms')
      .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
      .select('ms.school_id')
      .where('m.external_id', '=', externalId)
      .execute()
  ).map((r) => r.school_id);
const savedCursor = async () =>
  Number(
    (await db.selectFrom('streams').select('cursor_us').where('name', '=', STREAM_NAME).executeTakeFirst())?.cursor_us,
  );

test('stores posts about a school for its board and drops the rest, deletes, other collections and broken frames', async () => {
  const warn = vi.spyOn(log, 'warn');
  const frames = [
    postEvent(1, 'T1 Wat een mooie schoolreis van obs De Meander vandaag!'),
    postEvent(2, 'T1 Het weer wordt morgen zonnig en warm in heel het land'),
    otherEvent(3, 'delete'),
    { timeUs: timeUs(4), raw: '{"did":"did:plc:broken","time_us":' },
    otherEvent(5, 'like'),
    postEvent(6, 'T1 Open dag op de St. Jozefschool volgende week zaterdag', {
      reply: {
        root: { uri: 'at://did:plc:root/app.bsky.feed.post/3aaa', cid: 'bafyroot' },
        parent: { uri: 'at://did:plc:parent/app.bsky.feed.post/3bbb', cid: 'bafyparent' },
      },
    }),
    { timeUs: timeUs(7), raw: 'geen json' },
    otherEvent(8, 'identity'),
    otherEvent(9, 'account'),
    postEvent(10, 'T1 Ouders van cbs Meander Oost zijn blij met het nieuwe plein'),
  ];
  const server = await serve(frames);
  const s = stream(server.url, 'w1');
  await until(async () => (await savedCursor()) === timeUs(10), 'the cursor at the last event');

  const rows = await stored('T1');
  expect(rows.map((r) => r.external_id)).toEqual([
    'at://did:plc:user1/app.bsky.feed.post/3l3qo2vuowo1',
    'at://did:plc:user10/app.bsky.feed.post/3l3qo2vuowo10',
    'at://did:plc:user6/app.bsky.feed.post/3l3qo2vuowo6',
  ]);
  const [meander, oost, jozef] = rows;
  expect(meander).toMatchObject({
    board_id: seed.boards['edu-ley'],
    url: 'https://bsky.app/profile/did:plc:user1/post/3l3qo2vuowo1',
    author_handle: 'did:plc:user1',
  });
  expect(await schoolsOf(meander.external_id)).toEqual([seed.school('edu-ley', 'meander')]);
  expect(jozef.board_id).toBe(seed.boards['edu-ley']);
  expect(await schoolsOf(jozef.external_id)).toEqual([seed.school('edu-ley', 'jozef')]);
  expect(oost.board_id).toBe(seed.boards['ander-bestuur']);
  expect(await schoolsOf(oost.external_id)).toEqual([seed.school('ander-bestuur', 'meander')]);
  const reply = await db
    .selectFrom('mentions')
    .select(['reply_to', 'thread_id'])
    .where('external_id', '=', jozef.external_id)
    .executeTakeFirstOrThrow();
  expect(reply).toEqual({
    reply_to: 'at://did:plc:parent/app.bsky.feed.post/3bbb',
    thread_id: 'at://did:plc:root/app.bsky.feed.post/3aaa',
  });
  // one system source per board, nothing kept of the rest (not even for the preview window)
  const sources = await db.selectFrom('sources').select('board_id').where('kind', '=', 'bluesky_jetstream').execute();
  expect(sources.map((r) => r.board_id).sort()).toEqual([seed.boards['ander-bestuur'], seed.boards['edu-ley']].sort());
  const preview = await db
    .selectFrom('preview_items as p')
    .innerJoin('sources as s', 's.id', 'p.source_id')
    .select('p.id')
    .where('s.kind', '=', 'bluesky_jetstream')
    .execute();
  expect(preview).toEqual([]);
  // the weather post and three other events name no school's anchor word: passed over unparsed (the
  // like quotes a school's name, so it is read whole, and then passed over as no post)
  expect(s.stats()).toMatchObject({ bad: 2, events: 8, screened: 4, posts: 3, matched: 3, stored: 3 });
  expect(warn.mock.calls.filter((c) => c[1] === 'jetstream: frame skipped')).toHaveLength(2);
  expect(server.connections[0].url.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post']);
});

test('a dropped connection resumes a little before the cursor, and a restart resumes from the stored one: no gaps, nothing twice', async () => {
  const frames: Frame[] = [];
  for (let i = 100; i < 140; i++)
    frames.push(
      i % 5 === 0
        ? postEvent(i, `T2 Bericht ${i}: de kinderen van obs De Meander zingen vandaag`)
        : postEvent(i, `T2 Bericht ${i}: het regent al de hele dag`),
    );
  const server = await serve(frames, { cutAfter: 17 });
  const a = stream(server.url, 'a');
  await until(async () => (await savedCursor()) === timeUs(139), 'everything after the reconnect');
  expect(server.connections).toHaveLength(2);
  expect(server.connections[0].cursor).toBeNull();
  // the first connection delivered 100..116; the second starts 5 ms (the margin) before 116
  expect(server.connections[1].cursor).toBe(timeUs(116) - 5000);
  expect((await stored('T2')).length).toBe(8);

  await a.stop();
  for (let i = 140; i < 150; i++) frames.push(postEvent(i, `T2 Bericht ${i}: obs De Meander viert feest`));
  stream(server.url, 'b');
  await until(async () => (await savedCursor()) === timeUs(149), 'the events after the restart');
  expect(server.connections[2].cursor).toBe(timeUs(139) - 5000);
  const rows = await stored('T2');
  const expected = [...Array(50).keys()].map((k) => 100 + k).filter((i) => i % 5 === 0 || i >= 140);
  expect(rows.map((r) => r.body.split(':')[0]).sort()).toEqual(expected.map((i) => `T2 Bericht ${i}`).sort());
  expect(new Set(rows.map((r) => r.external_id)).size).toBe(rows.length);
});

test('of two workers only one connects; when it dies the other takes over after the lease expires', async () => {
  const server = await serve([postEvent(200, 'T3 Juf Anna van obs De Meander gaat met pensioen')]);
  const one = stream(server.url, 'one');
  const two = stream(server.url, 'two');
  await until(() => one.stats().holding || two.stats().holding, 'a holder');
  await until(() => server.connections.length === 1, 'a connection');
  await new Promise((r) => setTimeout(r, 1500)); // longer than the lease: it is renewed, not taken over
  expect(server.connections).toHaveLength(1);
  expect([one.stats().holding, two.stats().holding].filter(Boolean)).toHaveLength(1);
  const [holder, other] = one.stats().holding ? [one, two] : [two, one];
  await holder.kill();
  await until(() => other.stats().holding && server.connections.length === 2, 'the other worker to take over', 5000);
  const row = await db.selectFrom('streams').select('lease_owner').where('name', '=', STREAM_NAME).executeTakeFirst();
  expect(row?.lease_owner).toBe(other === one ? 'one' : 'two');
  expect((await stored('T3')).length).toBe(1);
});

test('a changed school query is picked up by the running stream', async () => {
  const server = await serve([]);
  const s = stream(server.url, 'q');
  await until(() => server.connections.length === 1, 'a connection');
  server.push(postEvent(300, 'T4 Het Regenboogkoor zingt vanavond in de kerk'));
  await until(async () => (await savedCursor()) === timeUs(300), 'the first event handled');
  expect(await stored('T4')).toEqual([]);
  await db
    .updateTable('schools')
    .set({ query: 'Regenboogkoor' })
    .where('id', '=', seed.school('edu-ley', 'jozef'))
    .execute();
  server.push(postEvent(301, 'T4 Het Regenboogkoor treedt morgen weer op'));
  await until(async () => (await savedCursor()) === timeUs(301), 'the second event handled');
  const rows = await stored('T4');
  expect(rows.map((r) => r.body)).toEqual(['T4 Het Regenboogkoor treedt morgen weer op']);
  expect(await schoolsOf(rows[0].external_id)).toEqual([seed.school('edu-ley', 'jozef')]);
});
