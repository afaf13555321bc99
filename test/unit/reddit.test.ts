import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reddit, redditUrl } from '../../workers/collectors/reddit.ts';
import { guardedFetch } from '../../workers/http/guardedFetch.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/r/amersfoort/new/.rss': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'application/atom+xml; charset=UTF-8' })
        .end(fs.readFileSync('test/fixtures/reddit/new.xml')),
    '/search.rss': (_q, r) => r.writeHead(429, { 'retry-after': '60' }).end('Too Many Requests'),
    '/tick': (_q, r) => r.writeHead(200).end('ok'),
  });
});
afterAll(() => srv.close());

const src = (settings: Record<string, unknown>) => ({
  id: '1',
  kind: 'reddit',
  url: null,
  settings,
  etag: null,
  lastModified: null,
  state: {},
});
const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] }, endpoints: { reddit: srv.base } });

test('builds subreddit and search feed addresses', () => {
  expect(redditUrl({ subreddit: 'r/amersfoort' })).toBe('https://www.reddit.com/r/amersfoort/new/.rss');
  expect(redditUrl({ query: '"De Meander"' })).toBe('https://www.reddit.com/search.rss?q=%22De+Meander%22&sort=new');
  expect(redditUrl({ subreddit: 'amersfoort', query: 'school' })).toBe(
    'https://www.reddit.com/r/amersfoort/search.rss?q=school&sort=new&restrict_sr=on',
  );
  expect(() => redditUrl({})).toThrow('subreddit of een zoekopdracht');
  expect(() => redditUrl({ subreddit: 'a b' })).toThrow('subreddit');
});

test('reads a subreddit’s Atom feed without Reddit’s footer', async () => {
  const r = await reddit.collect(src({ subreddit: 'amersfoort' }), ctx());
  expect(r.items).toEqual([
    expect.objectContaining({
      externalId: 't3_1abcde',
      url: 'https://www.reddit.com/r/amersfoort/comments/1abcde/ervaringen/',
      title: 'Ervaringen met basisscholen in Vathorst?',
      text: 'Onze kinderen zitten op De Meander en we zijn heel tevreden.',
      author: 'u/vathorst_mama',
    }),
  ]);
  expect(srv.requests.at(-1)?.headers['user-agent']).toMatch(/^Klankbord\//);
});

test('a 429 from Reddit is temporary and keeps its Retry-After', async () => {
  await expect(reddit.collect(src({ query: 'Meander' }), ctx())).rejects.toMatchObject({
    permanent: false,
    retryAfterSeconds: 60,
  });
});

test('spaces out requests to one host when a minimum interval is set', async () => {
  const t0 = Date.now();
  await Promise.all(
    [1, 2, 3].map(() => guardedFetch(`${srv.base}/tick`, { allow: [srv.hostPort], minIntervalMs: 150 })),
  );
  expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
});
