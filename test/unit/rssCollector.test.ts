import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseFeed } from '../../workers/feeds/parseFeed.ts';
import { rss } from '../../workers/collectors/rss.ts';
import { CollectError } from '../../workers/collectors/types.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

const fixtures = path.resolve('test/fixtures/rss');
const read = (f: string) => fs.readFileSync(path.join(fixtures, f));

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/rss.xml': (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(read('rss2.xml')),
    '/latin1.xml': (_q, r) => r.writeHead(200, { 'content-type': 'text/xml' }).end(read('latin1.xml')),
    '/gzip.xml': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(read('rss2.xml'))),
    '/etag.xml': (q, r) =>
      q.headers['if-none-match'] === '"v1"'
        ? r.writeHead(304).end()
        : r.writeHead(200, { etag: '"v1"' }).end(read('rss2.xml')),
    '/busy.xml': (_q, r) => r.writeHead(503, { 'retry-after': '120' }).end('busy'),
    '/page.html': (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head></head></html>'),
    '/site.html': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><link rel="alternate" type="application/rss+xml" title="Nieuws" href="/rss2.xml"></head></html>',
        ),
  });
});
afterAll(() => srv.close());

const source = (url: string, extra = {}) => ({
  id: '1',
  kind: 'rss',
  url,
  settings: {},
  etag: null,
  lastModified: null,
  state: {},
  ...extra,
});
const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] } });

test('collects an RSS 2.0 feed over HTTP with plain text, absolute links and dates', async () => {
  const r = await rss.collect(source(`${srv.base}/rss.xml`), ctx());
  expect(r.etag).toBe('"v1"');
  expect(r.items).toHaveLength(2);
  expect(r.items[0]).toMatchObject({
    externalId: 'nieuws-1',
    url: `${srv.base}/nieuws/1`,
    title: 'Schoolreis De Meander & Artis',
    text: 'Groep 5 ging naar Artis.\nHet was een mooie dag.',
    author: 'Juf Anna',
  });
  expect(r.items[0].publishedAt?.toISOString()).toBe('2026-11-20T09:30:00.000Z');
});

test('decodes a feed declared as ISO-8859-1', async () => {
  const r = await rss.collect(source(`${srv.base}/latin1.xml`), ctx());
  expect(r.items[0].title).toBe('Ouderavond op école Zoë');
});

test('decompresses gzip responses', async () => {
  expect((await rss.collect(source(`${srv.base}/gzip.xml`), ctx())).items).toHaveLength(2);
});

test('sends the etag back and handles 304 Not Modified', async () => {
  const r = await rss.collect(source(`${srv.base}/etag.xml`, { etag: '"v1"' }), ctx());
  expect(r).toMatchObject({ items: [], notModified: true });
  expect(srv.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
});

test('reports a refusing server with its Retry-After', async () => {
  await expect(rss.collect(source(`${srv.base}/busy.xml`), ctx())).rejects.toMatchObject({
    retryAfterSeconds: 120,
    message: expect.stringContaining('503'),
  });
});

test('says clearly when the address is a web page, not a feed', async () => {
  await expect(rss.collect(source(`${srv.base}/page.html`), ctx())).rejects.toThrow('webpagina');
});

test('offers the feeds a web page links to', async () => {
  const err = await rss.collect(source(`${srv.base}/site.html`), ctx()).catch((e) => e);
  expect(err).toMatchObject({
    permanent: true,
    discovered: [{ url: `${srv.base}/rss2.xml`, title: 'Nieuws', type: 'rss' }],
  });
  expect(err.message).toContain(`${srv.base}/rss2.xml`);
});

test('parses Atom and JSON Feed', async () => {
  const atom = await parseFeed(read('atom.xml').toString(), 'https://blog.example.nl/');
  expect(atom[0]).toMatchObject({
    externalId: 'tag:blog.example.nl,2026:1',
    url: 'https://blog.example.nl/post/1',
    title: 'Open dag',
    author: 'Redactie',
  });
  const json = await parseFeed(read('feed.json').toString(), 'https://example.nl/');
  expect(json[0]).toMatchObject({
    externalId: 'j1',
    url: 'https://example.nl/j/1',
    title: 'Sportdag',
    text: 'Alle groepen deden mee.',
  });
});

test('turns a broken feed into a CollectError', async () => {
  await expect(parseFeed('<rss><channel><item><title>x</ti', 'https://x.nl/')).rejects.toBeInstanceOf(CollectError);
  await expect(parseFeed('{"items": 3}', 'https://x.nl/')).rejects.toBeInstanceOf(CollectError);
  await expect(parseFeed('{bad json', 'https://x.nl/')).rejects.toBeInstanceOf(CollectError);
});

test('falls back to a lenient parse where rss-parser gives up', async () => {
  const noVersion =
    '<rss><channel><title>x</title><item><title>Sportdag & spelletjes</title><link>https://x.nl/1</link></item></channel></rss>';
  expect((await parseFeed(noVersion, 'https://x.nl/'))[0]).toMatchObject({
    title: 'Sportdag & spelletjes',
    url: 'https://x.nl/1',
  });
  const loneEntry =
    '<entry xmlns="http://www.w3.org/2005/Atom"><id>urn:1</id><title>Open dag</title><link href="/open"/><updated>2026-11-01T10:00:00Z</updated></entry>';
  expect((await parseFeed(loneEntry, 'https://x.nl/'))[0]).toMatchObject({
    externalId: 'urn:1',
    title: 'Open dag',
    url: 'https://x.nl/open',
  });
  const truncated =
    '<?xml version="1.0"?><rss version="2.0"><channel><item><guid>a</guid><title>Eerste</title></item><item><guid>b</guid><title>Tweede</ti';
  expect((await parseFeed(truncated, 'https://x.nl/')).map((i) => i.externalId)).toContain('a');
});
