import type http from 'node:http';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { blueskySearch } from '../../workers/collectors/blueskySearch.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// A local PDS answering like Bluesky: createSession hands out an access and a refresh token,
// refreshSession rotates them, searchPosts wants a valid access token (400 ExpiredToken when it has
// expired) and pages with a cursor.
let accessOk = new Set<string>();
let refreshOk = new Set<string>();
let logins = 0;
let refreshes = 0;
let failSearch = 0;
const post = (n: number, extra: Record<string, unknown> = {}) => ({
  uri: `at://did:plc:p${n}/app.bsky.feed.post/3m${n}`,
  cid: `c${n}`,
  author: { did: `did:plc:p${n}`, handle: `ouder${n}.bsky.social` },
  record: {
    $type: 'app.bsky.feed.post',
    text: `Post ${n} over De Meander`,
    createdAt: new Date(Date.UTC(2026, 10, 20, 8, n)).toISOString(),
  },
  indexedAt: new Date(Date.UTC(2026, 10, 20, 8, n)).toISOString(),
  likeCount: n,
  repostCount: 0,
  replyCount: 1,
  ...extra,
});
const posts = [
  post(4, {
    embed: {
      $type: 'app.bsky.embed.images#view',
      images: [{ thumb: 'https://cdn.bsky.app/t.jpg', fullsize: 'https://cdn.bsky.app/f.jpg', alt: 'Schoolplein' }],
    },
  }),
  post(3, {
    record: {
      text: 'Antwoord over De Meander',
      createdAt: '2026-11-20T08:03:00.000Z',
      reply: { root: { uri: 'at://root' }, parent: { uri: 'at://parent' } },
    },
  }),
  post(2),
  post(1),
];

const json = (r: http.ServerResponse, status: number, body: unknown) =>
  r.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const bearer = (q: http.IncomingMessage) => String(q.headers.authorization ?? '').replace(/^Bearer /, '');
const readBody = (q: http.IncomingMessage) =>
  new Promise<string>((resolve) => {
    let b = '';
    q.on('data', (c) => (b += c));
    q.on('end', () => resolve(b));
  });

function issue(r: http.ServerResponse) {
  const n = logins + refreshes - 1;
  const s = {
    accessJwt: `access-${n}`,
    refreshJwt: `refresh-${n}`,
    did: 'did:plc:school',
    handle: 'zoeker.bsky.social',
  };
  accessOk.add(s.accessJwt);
  refreshOk.add(s.refreshJwt);
  json(r, 200, s);
}

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/xrpc/com.atproto.server.createSession': async (q, r) => {
      if (q.method !== 'POST') return json(r, 405, { error: 'MethodNotAllowed' });
      const body = JSON.parse(await readBody(q));
      if (body.password !== 'abcd-efgh-ijkl-mnop')
        return json(r, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      logins++;
      issue(r);
    },
    '/xrpc/com.atproto.server.refreshSession': (q, r) => {
      const token = bearer(q);
      if (!refreshOk.delete(token)) return json(r, 400, { error: 'ExpiredToken', message: 'Token has expired' });
      refreshes++;
      issue(r);
    },
    '/xrpc/app.bsky.feed.searchPosts': (q, r) => {
      if (!accessOk.has(bearer(q))) return json(r, 400, { error: 'ExpiredToken', message: 'Token has expired' });
      if (failSearch-- > 0) return r.writeHead(503, { 'retry-after': '120' }).end('busy');
      const p = new URL(q.url!, 'http://x').searchParams;
      const since = p.get('since');
      const list = posts.filter((x) => !since || x.indexedAt >= since);
      const start = Number(p.get('cursor') ?? 0);
      const page = list.slice(start, start + 2);
      json(r, 200, {
        posts: page,
        ...(start + 2 < list.length ? { cursor: String(start + 2) } : {}),
        hitsTotal: list.length,
      });
    },
  });
});
afterAll(() => srv.close());
beforeEach(() => {
  accessOk = new Set();
  refreshOk = new Set();
  logins = 0;
  refreshes = 0;
  failSearch = 0;
});

const settings = { query: '"De Meander"', identifier: 'zoeker.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };
const src = (state: Record<string, unknown> = {}, s: Record<string, unknown> = settings) => ({
  id: '1',
  kind: 'bluesky_search',
  url: null,
  settings: s,
  etag: null,
  lastModified: null,
  state,
});
const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] }, endpoints: { bluesky_pds: srv.base } });

test('logs in with the app password, searches newest first and keeps what Bluesky offers', async () => {
  const r = await blueskySearch.collect(src(), ctx());
  expect(logins).toBe(1);
  expect(r.items.map((i) => i.text)).toEqual(['Post 4 over De Meander', 'Antwoord over De Meander']);
  expect(r.items[0]).toMatchObject({
    handle: '@ouder4.bsky.social',
    media: [{ type: 'image', url: 'https://cdn.bsky.app/f.jpg', alt: 'Schoolplein' }],
    engagement: { likes: 4, reposts: 0, replies: 1 },
  });
  expect(r.items[1]).toMatchObject({ replyTo: 'at://parent', threadId: 'at://root' });
  expect(r.state).toMatchObject({
    since: '2026-11-20T08:04:00.000Z',
    identifier: 'zoeker.bsky.social',
    session: { accessJwt: 'access-0' },
  });
  const search = srv.requests.filter((q) => q.path.startsWith('/xrpc/app.bsky.feed.searchPosts')).at(-1)!;
  expect(new URL(search.path, srv.base).searchParams.get('q')).toBe('"De Meander"');
  expect(search.headers.authorization).toBe('Bearer access-0');
});

test('reuses the session; an expired access token is refreshed, not a new login', async () => {
  const first = await blueskySearch.collect(src(), ctx());
  accessOk.clear(); // the access token expires
  const second = await blueskySearch.collect(src({ ...first.state, since: undefined }), ctx());
  expect(logins).toBe(1);
  expect(refreshes).toBe(1);
  expect(second.state).toMatchObject({ session: { accessJwt: 'access-1', refreshJwt: 'refresh-1' } });
});

test('when the refresh token is spent too, it logs in again', async () => {
  const first = await blueskySearch.collect(src(), ctx());
  accessOk.clear();
  refreshOk.clear();
  await blueskySearch.collect(src(first.state), ctx());
  expect(logins).toBe(2);
});

test('pages on with the cursor after the first run, from `since`', async () => {
  const r = await blueskySearch.collect(src({ since: '2026-11-20T08:01:00.000Z' }), ctx());
  expect(r.items.map((i) => i.text.split(' ')[1])).toEqual(['4', 'over', '2', '1']);
  expect(new URL(srv.requests.at(-1)!.path, srv.base).searchParams.get('since')).toBe('2026-11-20T08:01:00.000Z');
});

test('a wrong app password is a permanent error in plain Dutch', async () => {
  await expect(blueskySearch.collect(src({}, { ...settings, appPassword: 'fout' }), ctx())).rejects.toMatchObject({
    permanent: true,
    message: expect.stringContaining('app-wachtwoord klopt niet'),
  });
});

test('a 503 during the search keeps the new session and honours Retry-After', async () => {
  failSearch = 1;
  const err = await blueskySearch.collect(src(), ctx()).catch((e) => e);
  expect(err).toMatchObject({
    permanent: false,
    retryAfterSeconds: 120,
    state: { session: { accessJwt: 'access-0' } },
  });
});

test('missing settings are refused before any request', async () => {
  const before = srv.requests.length;
  await expect(blueskySearch.collect(src({}, { query: 'x' }), ctx())).rejects.toMatchObject({
    permanent: true,
    message: expect.stringContaining('app-wachtwoord'),
  });
  expect(srv.requests.length).toBe(before);
  expect(blueskySearch.checkSettings({ query: 'x' }).map((p) => p.message)).toHaveLength(2);
});

test('a login is never replayed to where a redirect points', async () => {
  const other = await fixtureServer({
    '/xrpc/com.atproto.server.createSession': (_q, r) =>
      r.writeHead(307, { location: `${srv.base}/xrpc/com.atproto.server.createSession` }).end(),
  });
  try {
    const before = logins;
    await expect(
      blueskySearch.collect(src(), {
        fetchOptions: { allow: [srv.hostPort, other.hostPort] },
        endpoints: { bluesky_pds: other.base },
      }),
    ).rejects.toMatchObject({ permanent: true });
    expect(logins).toBe(before);
  } finally {
    await other.close();
  }
});
