import { afterEach, expect, test } from 'vitest';
import { parseFrame, postToItem, subscribeUrl } from '../../workers/collectors/blueskyJetstream.ts';
import { backoffMs, JetstreamClient } from '../../workers/collectors/jetstreamClient.ts';
import { otherEvent, postEvent, startJetstreamServer, timeUs, type Frame } from '../support/jetstreamServer.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('asks for each wanted collection and resumes from a cursor', () => {
  const url = subscribeUrl(
    'wss://jetstream2.us-east.bsky.network/subscribe?cursor=1',
    ['app.bsky.feed.post', 'app.bsky.graph.*'],
    1725911162329308,
  );
  const u = new URL(url);
  expect(u.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post', 'app.bsky.graph.*']);
  expect(u.searchParams.get('cursor')).toBe('1725911162329308');
  expect(new URL(subscribeUrl('ws://127.0.0.1:1/subscribe', ['app.bsky.feed.post'])).searchParams.has('cursor')).toBe(
    false,
  );
});

test('reads a new post and passes over deletes, other collections, identity and account events', () => {
  const p = parseFrame(
    postEvent(1, 'Juf Anna van obs De Meander', {
      langs: ['nl-NL'],
      embed: {
        $type: 'app.bsky.embed.images',
        images: [
          {
            alt: 'het plein',
            image: { $type: 'blob', ref: { $link: 'bafkreiabcdefgh123' }, mimeType: 'image/jpeg', size: 1 },
          },
        ],
      },
    }).raw,
  );
  expect(p).toMatchObject({ bad: false, timeUs: timeUs(1), post: { did: 'did:plc:user1', lang: 'nl' } });
  if (p.bad || !p.post) throw new Error('no post');
  expect(postToItem(p.post)).toMatchObject({
    externalId: 'at://did:plc:user1/app.bsky.feed.post/3l3qo2vuowo1',
    url: 'https://bsky.app/profile/did:plc:user1/post/3l3qo2vuowo1',
    author: 'did:plc:user1',
    handle: 'did:plc:user1',
    publishedAt: new Date('2024-09-09T19:46:02.102Z'),
    media: [
      {
        type: 'image',
        url: 'https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:user1/bafkreiabcdefgh123@jpeg',
        alt: 'het plein',
      },
    ],
  });
  for (const kind of ['delete', 'like', 'identity', 'account'] as const)
    expect(parseFrame(otherEvent(2, kind).raw)).toEqual({ bad: false, timeUs: timeUs(2), post: null });
  expect(parseFrame('{"kind":"commit"')).toMatchObject({ bad: true });
  expect(parseFrame('[]')).toMatchObject({ bad: true });
  expect(parseFrame('{"kind":"commit"}')).toMatchObject({ bad: true, reason: 'no time_us' });
});

test('backs off exponentially with jitter, capped', () => {
  const b = { baseMs: 1000, maxMs: 60_000 };
  expect([0, 1, 2, 3].map((a) => backoffMs(a, b, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  expect(backoffMs(30, b, () => 1)).toBe(60_000);
  expect(backoffMs(2, b, () => 0)).toBe(2000);
});

test('a slow consumer pauses the socket: the queue stays within its bound and every frame arrives in order', async () => {
  const frames: Frame[] = [];
  for (let i = 0; i < 4000; i++) frames.push(postEvent(i, `Bericht ${i} over het schoolplein en de juf`));
  const server = await startJetstreamServer(frames);
  cleanups.push(server.close);
  const seen: number[] = [];
  const LIMIT = 200;
  const client = new JetstreamClient({
    url: () => server.url,
    queueLimit: LIMIT,
    batchSize: 20,
    onBatch: async (batch) => {
      for (const f of batch) {
        const e = parseFrame(f);
        if (!e.bad) seen.push(e.timeUs);
      }
      await new Promise((r) => setTimeout(r, 3));
    },
  });
  cleanups.push(() => client.stop());
  void client.run();
  const end = Date.now() + 30_000;
  while (seen.length < frames.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(seen).toEqual(frames.map((f) => f.timeUs));
  expect(client.stats.pauses).toBeGreaterThan(0);
  // frames already read from the socket when it paused (one read, at most 64 KiB) still arrive
  const slack = Math.ceil(65_536 / Math.min(...frames.map((f) => f.raw.length)));
  expect(client.stats.maxQueued).toBeLessThanOrEqual(LIMIT + slack);
});
