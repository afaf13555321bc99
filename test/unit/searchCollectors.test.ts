import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bingNews } from '../../workers/collectors/bingNews.ts';
import { googleAlerts } from '../../workers/collectors/googleAlerts.ts';
import { googleNews } from '../../workers/collectors/googleNews.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

const fixture = (p: string) => fs.readFileSync(`test/fixtures/${p}`);
let srv: Awaited<ReturnType<typeof fixtureServer>>;
let newsStatus = 200;
beforeAll(async () => {
  srv = await fixtureServer({
    '/rss/search': (_q, r) =>
      newsStatus === 200
        ? r.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' }).end(fixture('google_news/search.xml'))
        : r.writeHead(newsStatus, { 'retry-after': '600' }).end('<html>unusual traffic</html>'),
    '/news/search': (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(fixture('bing_news/search.xml')),
    '/alerts/feeds/0123/1122': (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/atom+xml' }).end(fixture('google_alerts/alert.xml')),
  });
});
afterAll(() => srv.close());

const src = (kind: string, settings: Record<string, unknown>, url: string | null = null) => ({
  id: '1',
  kind,
  url,
  settings,
  etag: null,
  lastModified: null,
  state: {},
});
const ctx = () => ({
  fetchOptions: { allow: [srv.hostPort] },
  endpoints: { google_news: srv.base, bing_news: srv.base },
});

test('google_news searches the Dutch edition and keeps Google’s article ids', async () => {
  const r = await googleNews.collect(src('google_news', { query: '"obs De Meander"' }), ctx());
  const asked = new URL(srv.requests.at(-1)!.path, srv.base);
  expect(Object.fromEntries(asked.searchParams)).toEqual({ q: '"obs De Meander"', hl: 'nl', gl: 'NL', ceid: 'NL:nl' });
  expect(r.items).toHaveLength(2);
  expect(r.items[0]).toMatchObject({
    externalId: 'CBMiVGh0dHBzOi8vd3d3LmFkLm5sL2FtZXJzZm9vcnQvbGVlcmxpbmdlbi1wbGFudGVuLWJvbWVu0gEA',
    title: 'Leerlingen obs De Meander planten bomen - Amersfoortse Courant',
  });
  expect(r.items[0].text).toContain('Amersfoortse Courant');
  expect(r.items[0].publishedAt?.toISOString()).toBe('2026-11-21T14:12:00.000Z');
});

test('google_news explains a refusal of datacenter addresses and honours Retry-After', async () => {
  newsStatus = 503;
  await expect(googleNews.collect(src('google_news', { query: 'x' }), ctx())).rejects.toMatchObject({
    message: expect.stringContaining('datacenter'),
    retryAfterSeconds: 600,
    permanent: false,
  });
  newsStatus = 200;
});

test('a search source without a query is a permanent, readable error', async () => {
  await expect(googleNews.collect(src('google_news', {}), ctx())).rejects.toMatchObject({
    permanent: true,
    message: expect.stringContaining('zoekopdracht'),
  });
});

test('bing_news unwraps the redirector and keys items by the real, clean URL', async () => {
  const r = await bingNews.collect(src('bing_news', { query: 'De Pontonnier' }), ctx());
  expect(Object.fromEntries(new URL(srv.requests.at(-1)!.path, srv.base).searchParams)).toEqual({
    q: 'De Pontonnier',
    format: 'RSS',
    mkt: 'nl-NL',
  });
  expect(r.items.map((i) => [i.externalId, i.url])).toEqual([
    [
      'https://www.ad.nl/amersfoort/nieuwbouw-pontonnier?id=42',
      'https://www.ad.nl/amersfoort/nieuwbouw-pontonnier?id=42',
    ],
    ['https://regionieuws.nl/schooltuin', 'https://regionieuws.nl/schooltuin'],
  ]);
});

test('google_alerts unwraps google.com/url links and strips the highlights from titles', async () => {
  const r = await googleAlerts.collect(src('google_alerts', {}, `${srv.base}/alerts/feeds/0123/1122`), ctx());
  expect(r.items[0]).toMatchObject({
    externalId: 'tag:google.com,2013:googlealerts/feed:1234567890123456789',
    title: 'St. Jozefschool wint schoolvoetbaltoernooi',
    url: 'https://www.ad.nl/amersfoort/jozefschool-wint',
    text: 'Het meisjesteam van de St. Jozefschool heeft zaterdag het toernooi gewonnen.',
  });
});
