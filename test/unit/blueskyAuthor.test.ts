import type http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { blueskyAuthor } from '../../workers/collectors/blueskyAuthor.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// A local server answering like Bluesky's app.bsky.feed.getAuthorFeed: newest first, a cursor to
// older pages, reposts marked with a reason.
const post = (n: number, handle = 'depontonnier.bsky.social') => ({
  post: {
    uri: `at://did:plc:school/app.bsky.feed.post/3k${n}`,
    cid: `c${n}`,
    author: { did: 'did:plc:school', handle, displayName: 'obs De Pontonnier' },
    record: {
      $type: 'app.bsky.feed.post',
      text: `Bericht ${n} van De Pontonnier`,
      createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
    },
    indexedAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
  },
});
let posts = [
  post(5),
  post(4),
  { ...post(3, 'iemand.bsky.social'), reason: { $type: 'app.bsky.feed.defs#reasonRepost' } },
  post(2),
  post(1),
];
let srv: Awaited<ReturnType<typeof fixtureServer>>;

function authorFeed(q: http.IncomingMessage, r: http.ServerResponse) {
  const p = new URL(q.url!, 'http://x').searchParams;
  if (p.get('actor') === 'onbekend.bsky.social')
    return r
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'InvalidRequest', message: 'Profile not found' }));
  const start = Number(p.get('cursor') ?? 0);
  const pageSize = 2; // small pages, so paging is exercised
  const page = posts.slice(start, start + pageSize);
  const next = start + pageSize < posts.length ? String(start + pageSize) : undefined;
  r.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({ feed: page, ...(next ? { cursor: next } : {}) }),
  );
}

beforeAll(async () => {
  srv = await fixtureServer({ '/xrpc/app.bsky.feed.getAuthorFeed': authorFeed });
});
afterAll(() => srv.close());

const src = (settings: Record<string, unknown>, state: Record<string, unknown> = {}) => ({
  id: '1',
  kind: 'bluesky_author',
  url: null,
  settings,
  etag: null,
  lastModified: null,
  state,
});
const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] }, endpoints: { bluesky: srv.base } });

test('a first run reads the newest page and remembers the newest post', async () => {
  const r = await blueskyAuthor.collect(src({ actor: '@depontonnier.bsky.social' }), ctx());
  expect(r.items.map((i) => i.text)).toEqual(['Bericht 5 van De Pontonnier', 'Bericht 4 van De Pontonnier']);
  expect(r.items[0]).toMatchObject({
    externalId: 'at://did:plc:school/app.bsky.feed.post/3k5',
    url: 'https://bsky.app/profile/depontonnier.bsky.social/post/3k5',
    author: 'obs De Pontonnier (@depontonnier.bsky.social)',
  });
  expect(r.state).toEqual({ newest: '2026-11-01T00:05:00.000Z' });
  expect(new URL(srv.requests.at(-1)!.path, srv.base).searchParams.get('actor')).toBe('depontonnier.bsky.social');
});

test('later runs page back until they reach what was seen, skipping reposts', async () => {
  posts = [post(9), post(8), post(7), post(6), ...posts];
  const r = await blueskyAuthor.collect(
    src({ actor: 'depontonnier.bsky.social' }, { newest: '2026-11-01T00:05:00.000Z' }),
    ctx(),
  );
  expect(r.items.map((i) => i.text.split(' ')[1])).toEqual(['9', '8', '7', '6', '5', '4']);
  expect(r.state).toEqual({ newest: '2026-11-01T00:09:00.000Z' });
});

test('an unknown account is a permanent, readable error; a bad handle is refused before fetching', async () => {
  await expect(blueskyAuthor.collect(src({ actor: 'onbekend.bsky.social' }), ctx())).rejects.toMatchObject({
    permanent: true,
    message: expect.stringContaining('Profile not found'),
  });
  const before = srv.requests.length;
  await expect(blueskyAuthor.collect(src({ actor: 'geen handle' }), ctx())).rejects.toMatchObject({ permanent: true });
  expect(srv.requests.length).toBe(before);
});
