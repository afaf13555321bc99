import type http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mastodonAccount, mastodonTag } from '../../workers/collectors/mastodon.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// A local server answering like Mastodon's REST API: statuses newest first, min_id returning the
// statuses immediately newer than the given id, limit at most 40.
const status = (id: number, extra: Record<string, unknown> = {}) => ({
  id: String(id),
  uri: `https://mastodon.example/users/juf/statuses/${id}`,
  url: `https://mastodon.example/@juf/${id}?utm_source=x`,
  created_at: new Date(Date.UTC(2026, 10, 20, 0, 0, id % 60)).toISOString(),
  content: `<p>Post ${id} over <a href="https://mastodon.example/tags/obsmeander" class="mention hashtag">#<span>obsmeander</span></a></p>`,
  spoiler_text: '',
  account: { acct: 'juf@mastodon.example', display_name: 'Juf Anouk' },
  reblog: null,
  ...extra,
});
let tagStatuses: ReturnType<typeof status>[] = [];
let tagMode: 'ok' | 'locked' | 'busy' | 'garbage' = 'ok';
const json = (r: http.ServerResponse, body: unknown, status = 200, headers = {}) =>
  r
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(typeof body === 'string' ? body : JSON.stringify(body));

function timeline(q: http.IncomingMessage, r: http.ServerResponse, all: ReturnType<typeof status>[]) {
  const p = new URL(q.url!, 'http://x').searchParams;
  const limit = Math.min(Number(p.get('limit') ?? 20), 40);
  const min = p.get('min_id');
  const newer = all
    .filter((s) => !min || BigInt(s.id) > BigInt(min))
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  const pageAsc = min ? newer.slice(0, limit) : newer.slice(-limit);
  json(r, pageAsc.reverse());
}

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/api/v1/timelines/tag/obsmeander': (q, r) =>
      tagMode === 'locked'
        ? json(r, { error: 'This API requires an authenticated user' }, 401)
        : tagMode === 'busy'
          ? json(r, { error: 'Too many requests' }, 429, { 'retry-after': '300' })
          : tagMode === 'garbage'
            ? json(r, '<html>oops')
            : timeline(q, r, tagStatuses),
    '/api/v1/timelines/tag/stil': (_q, r) => json(r, []),
    '/api/v1/accounts/lookup': (q, r) =>
      new URL(q.url!, 'http://x').searchParams.get('acct') === 'juf'
        ? json(r, { id: '77', acct: 'juf' })
        : json(r, { error: 'Record not found' }, 404),
    '/api/v1/accounts/77/statuses': (q, r) =>
      timeline(q, r, [
        status(5, { reblog: status(4, { content: '<p>Gedeeld</p>' }) }),
        status(6, { spoiler_text: 'Let op', content: '<p>Studiedag<br>vrijdag</p>' }),
      ]),
  });
});
afterAll(() => srv.close());

const src = (kind: string, settings: Record<string, unknown>, state: Record<string, unknown> = {}) => ({
  id: '1',
  kind,
  url: null,
  settings: { instance: srv.base, ...settings },
  etag: null,
  lastModified: null,
  state,
});
const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] } });

test('a first run takes the latest page; later runs page forward with min_id and miss nothing', async () => {
  tagStatuses = Array.from({ length: 45 }, (_, i) => status(1000 + i));
  const first = await mastodonTag.collect(src('mastodon_tag', { tag: '#obsmeander' }), ctx());
  expect(first.items).toHaveLength(40);
  expect(first.state).toEqual({ minId: '1044' });
  expect(first.items[0]).toMatchObject({
    externalId: 'https://mastodon.example/users/juf/statuses/1044',
    url: 'https://mastodon.example/@juf/1044',
    text: 'Post 1044 over #obsmeander',
    author: 'Juf Anouk (@juf@mastodon.example)',
  });
  tagStatuses.push(...Array.from({ length: 46 }, (_, i) => status(1045 + i)));
  const second = await mastodonTag.collect(src('mastodon_tag', { tag: 'obsmeander' }, first.state), ctx());
  expect(second.items.map((i) => i.externalId.split('/').pop()).sort()).toEqual(
    Array.from({ length: 46 }, (_, i) => String(1045 + i)),
  );
  expect(second.state).toEqual({ minId: '1090' });
  const asked = srv.requests
    .filter((r) => r.path.includes('/tag/obsmeander'))
    .slice(-2)
    .map((r) => new URL(r.path, srv.base).searchParams.get('min_id'));
  expect(asked).toEqual(['1044', '1084']);
});

test('sends the access token when one is configured', async () => {
  await mastodonTag.collect(src('mastodon_tag', { tag: 'obsmeander', token: 'abc123' }, { minId: '1090' }), ctx());
  expect(srv.requests.at(-1)?.headers.authorization).toBe('Bearer abc123');
});

test('a locked tag timeline says so in plain Dutch and counts as permanent', async () => {
  tagMode = 'locked';
  await expect(mastodonTag.collect(src('mastodon_tag', { tag: 'obsmeander' }), ctx())).rejects.toMatchObject({
    permanent: true,
    message: expect.stringContaining('toegangstoken'),
  });
  tagMode = 'busy';
  await expect(mastodonTag.collect(src('mastodon_tag', { tag: 'obsmeander' }), ctx())).rejects.toMatchObject({
    permanent: false,
    retryAfterSeconds: 300,
  });
  tagMode = 'garbage';
  await expect(mastodonTag.collect(src('mastodon_tag', { tag: 'obsmeander' }), ctx())).rejects.toMatchObject({
    message: expect.stringContaining('geen geldige JSON'),
  });
  tagMode = 'ok';
});

test('an empty tag timeline without a token leaves a notice instead of silence', async () => {
  const r = await mastodonTag.collect(src('mastodon_tag', { tag: 'stil' }), ctx());
  expect(r.items).toEqual([]);
  expect(r.notice).toContain('Mastodon 4.5');
});

test('an account is looked up once, then its own posts are read without reblogs', async () => {
  const r = await mastodonAccount.collect(src('mastodon_account', { account: '@juf' }), ctx());
  expect(r.state).toMatchObject({ account: 'juf', accountId: '77', minId: '6' });
  expect(new URL(srv.requests.at(-1)!.path, srv.base).searchParams.get('exclude_reblogs')).toBe('true');
  expect(r.items.map((i) => i.text)).toEqual(['Let op\n\nStudiedag\nvrijdag', 'Gedeeld']);
  const lookups = srv.requests.filter((q) => q.path.startsWith('/api/v1/accounts/lookup')).length;
  await mastodonAccount.collect(src('mastodon_account', { account: 'juf' }, r.state!), ctx());
  expect(srv.requests.filter((q) => q.path.startsWith('/api/v1/accounts/lookup')).length).toBe(lookups);
  await expect(mastodonAccount.collect(src('mastodon_account', { account: 'niemand' }), ctx())).rejects.toMatchObject({
    permanent: true,
    message: expect.stringContaining('bestaat niet'),
  });
});

test('refuses a malformed instance or tag before fetching', async () => {
  await expect(mastodonTag.collect(src('mastodon_tag', { tag: 'obs meander' }), ctx())).rejects.toMatchObject({
    permanent: true,
  });
  await expect(
    mastodonTag.collect(
      { ...src('mastodon_tag', { tag: 'x' }), settings: { instance: 'mastodon.nl/@x', tag: 'x' } },
      ctx(),
    ),
  ).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('https://mastodon.nl') });
});

test('keeps attachments with their alt text, the handle, the reply and the counts', async () => {
  const { statusToItem } = await import('../../workers/collectors/mastodon.ts');
  const item = statusToItem(
    status(9, {
      in_reply_to_id: '8',
      favourites_count: 4,
      reblogs_count: 1,
      replies_count: 2,
      media_attachments: [
        { type: 'image', url: 'https://files.mastodon.example/1.jpg', description: 'Kinderen op het plein' },
        { type: 'gifv', url: null, remote_url: 'https://elders.example/a.mp4' },
        { type: 'unknown', url: null },
      ],
    }) as never,
  );
  expect(item).toMatchObject({
    handle: '@juf@mastodon.example',
    replyTo: '8',
    engagement: { likes: 4, reposts: 1, replies: 2 },
    media: [
      { type: 'image', url: 'https://files.mastodon.example/1.jpg', alt: 'Kinderen op het plein' },
      { type: 'video', url: 'https://elders.example/a.mp4' },
    ],
  });
});
