import type http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { youtubeComments } from '../../workers/collectors/youtubeComments.ts';
import { dbQuota, pacificDay, quotaUsed } from '../../workers/quota.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// A local server answering like the YouTube Data API's commentThreads.list: threads newest first,
// 100 per page with nextPageToken, replies inline, errors in Google's JSON error format.
const conn = await freshDatabase();
const CHANNEL = 'UCabcdefghijklmnopqrstuv';
const comment = (id: string, n: number, extra: Record<string, unknown> = {}) => ({
  id,
  snippet: {
    videoId: 'vid1',
    textOriginal: `Reactie ${id} op de musical van De Pontonnier`,
    textDisplay: 'x',
    authorDisplayName: `@ouder${n}`,
    likeCount: n,
    publishedAt: new Date(Date.UTC(2026, 10, 20, 10, n)).toISOString(),
    ...extra,
  },
});
const thread = (n: number, replies: ReturnType<typeof comment>[] = []) => ({
  kind: 'youtube#commentThread',
  id: `t${n}`,
  snippet: {
    channelId: CHANNEL,
    videoId: 'vid1',
    topLevelComment: comment(`t${n}`, n),
    totalReplyCount: replies.length,
  },
  ...(replies.length ? { replies: { comments: replies } } : {}),
});
const threads = [thread(5, [comment('t5.r1', 6, { parentId: 't5' })]), thread(4), thread(3), thread(2), thread(1)];
let mode: 'ok' | 'quota' | 'badkey' = 'ok';

function commentThreads(q: http.IncomingMessage, r: http.ServerResponse) {
  const p = new URL(q.url!, 'http://x').searchParams;
  const err = (code: number, reason: string, message: string) =>
    r
      .writeHead(code, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { code, message, errors: [{ reason, domain: 'youtube.quota', message }] } }));
  if (mode === 'quota')
    return err(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your quota.');
  if (mode === 'badkey' || p.get('key') !== 'sleutel')
    return err(400, 'badRequest', 'API key not valid. Please pass a valid API key.');
  if (p.get('allThreadsRelatedToChannelId') !== CHANNEL) return err(404, 'channelNotFound', 'Channel not found');
  const start = Number(p.get('pageToken') ?? 0);
  const page = threads.slice(start, start + 2);
  r.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      kind: 'youtube#commentThreadListResponse',
      items: page,
      ...(start + 2 < threads.length ? { nextPageToken: String(start + 2) } : {}),
      pageInfo: { totalResults: page.length, resultsPerPage: 100 },
    }),
  );
}

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({ '/youtube/v3/commentThreads': commentThreads });
});
afterAll(() => srv.close());

const settings = { channel_id: CHANNEL, apiKey: 'sleutel', dailyQuota: 100 };
const src = (state: Record<string, unknown> = {}, s: Record<string, unknown> = settings) => ({
  id: '1',
  kind: 'youtube_comments',
  url: null,
  settings: s,
  etag: null,
  lastModified: null,
  state,
});
const ctx = () => ({
  fetchOptions: { allow: [srv.hostPort] },
  endpoints: { youtube_api: srv.base },
  quota: dbQuota(conn.db),
});

test('reads the newest comment threads with their replies and counts a unit per page', async () => {
  const r = await youtubeComments.collect(src(), ctx());
  expect(r.items.map((i) => i.externalId)).toEqual(['yt:comment:t5', 'yt:comment:t5.r1', 'yt:comment:t4']);
  expect(r.items[0]).toMatchObject({
    url: 'https://www.youtube.com/watch?v=vid1&lc=t5',
    author: '@ouder5',
    handle: '@ouder5',
    threadId: 'yt:video:vid1',
    engagement: { likes: 5, replies: 1 },
  });
  expect(r.items[1]).toMatchObject({ replyTo: 't5' });
  expect(r.state).toEqual({ newest: '2026-11-20T10:05:00.000Z' });
  expect(await quotaUsed(conn.db, 'sleutel', pacificDay())).toBe(1);
});

test('later runs page on until they reach what was seen', async () => {
  const r = await youtubeComments.collect(src({ newest: '2026-11-20T10:02:00.000Z' }), ctx());
  expect(r.items.filter((i) => !i.replyTo).map((i) => i.externalId)).toEqual([
    'yt:comment:t5',
    'yt:comment:t4',
    'yt:comment:t3',
    'yt:comment:t2',
  ]);
  expect(await quotaUsed(conn.db, 'sleutel', pacificDay())).toBe(3);
});

test('stops before the daily quota is spent, and says so', async () => {
  // 95 of 100 units may be used; spend up to 94 elsewhere (another source with the same key).
  expect(await dbQuota(conn.db)('sleutel', 91, 95, pacificDay())).toBe(true);
  const r = await youtubeComments.collect(src({ newest: '2026-11-20T10:00:00.000Z' }), ctx());
  expect(await quotaUsed(conn.db, 'sleutel', pacificDay())).toBe(95);
  expect(r.items.length).toBeGreaterThan(0);
  const before = srv.requests.length;
  const again = await youtubeComments.collect(src(), ctx());
  expect(srv.requests.length).toBe(before);
  expect(again.items).toEqual([]);
  expect(again.notice).toContain('dagquotum');
});

test('a spent quota, a bad key and a wrong channel are readable errors', async () => {
  const fresh = { ...settings, apiKey: 'sleutel', dailyQuota: 10_000 };
  mode = 'quota';
  await expect(
    youtubeComments.collect(src({}, { ...fresh, apiKey: 'sleutel' }), { ...ctx(), quota: dbQuota(conn.db) }),
  ).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('dagquotum') });
  mode = 'badkey';
  await expect(youtubeComments.collect(src({}, { ...fresh, apiKey: 'fout' }), ctx())).rejects.toMatchObject({
    permanent: true,
    message: 'De YouTube-API-sleutel is ongeldig',
  });
  mode = 'ok';
  await expect(
    youtubeComments.collect(src({}, { ...fresh, channel_id: 'UCzzzzzzzzzzzzzzzzzzzzzz' }), ctx()),
  ).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('bestaat niet') });
  expect(youtubeComments.checkSettings({ channel_id: '@school' })).toHaveLength(2);
});
