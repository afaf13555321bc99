import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { guardedFetch } from '../../workers/http/guardedFetch.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/ok': (_q, r) => r.writeHead(200).end('hallo'),
    '/big': (_q, r) => r.writeHead(200).end(Buffer.alloc(300_000, 97)),
    '/bomb': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(5_000_000))),
    '/slow': () => {},
    '/to-metadata': (_q, r) => r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/to-ok': (_q, r) => r.writeHead(301, { location: '/ok' }).end(),
    '/loop': (_q, r) => r.writeHead(302, { location: '/loop' }).end(),
    '/to-file': (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  });
});
afterAll(() => srv.close());

const allow = () => [srv.hostPort];

test('refuses loopback addresses that are not allow-listed', async () => {
  await expect(guardedFetch(`${srv.base}/ok`)).rejects.toMatchObject({ code: 'blocked' });
  await expect(guardedFetch(`http://localhost:${srv.base.split(':')[2]}/ok`)).rejects.toMatchObject({ code: 'blocked' });
});

test('fetches an allow-listed local server', async () => {
  const r = await guardedFetch(`${srv.base}/ok`, { allow: allow() });
  expect(r.status).toBe(200);
  expect(r.body.toString()).toBe('hallo');
});

test('checks every redirect hop again', async () => {
  await expect(guardedFetch(`${srv.base}/to-metadata`, { allow: allow() })).rejects.toMatchObject({ code: 'blocked' });
  await expect(guardedFetch(`${srv.base}/to-file`, { allow: allow() })).rejects.toMatchObject({ code: 'bad_url' });
  expect((await guardedFetch(`${srv.base}/to-ok`, { allow: allow() })).url).toBe(`${srv.base}/ok`);
  await expect(guardedFetch(`${srv.base}/loop`, { allow: allow() })).rejects.toMatchObject({ code: 'redirects' });
});

test('caps the body size, also after decompression', async () => {
  await expect(guardedFetch(`${srv.base}/big`, { allow: allow(), maxBytes: 100_000 })).rejects.toMatchObject({ code: 'too_large' });
  await expect(guardedFetch(`${srv.base}/bomb`, { allow: allow(), maxBytes: 1_000_000 })).rejects.toMatchObject({ code: 'too_large' });
});

test('gives up on a server that does not answer', async () => {
  await expect(guardedFetch(`${srv.base}/slow`, { allow: allow(), timeoutMs: 300 })).rejects.toMatchObject({ code: 'timeout' });
});

test('refuses non-web schemes and garbage URLs', async () => {
  await expect(guardedFetch('ftp://example.org/feed')).rejects.toMatchObject({ code: 'bad_url' });
  await expect(guardedFetch('http://[::1]:80/')).rejects.toMatchObject({ code: 'blocked' });
  await expect(guardedFetch('not a url')).rejects.toMatchObject({ code: 'bad_url' });
});
