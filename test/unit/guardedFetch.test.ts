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
  await expect(guardedFetch(`http://localhost:${srv.base.split(':')[2]}/ok`)).rejects.toMatchObject({
    code: 'blocked',
  });
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
  await expect(guardedFetch(`${srv.base}/big`, { allow: allow(), maxBytes: 100_000 })).rejects.toMatchObject({
    code: 'too_large',
  });
  await expect(guardedFetch(`${srv.base}/bomb`, { allow: allow(), maxBytes: 1_000_000 })).rejects.toMatchObject({
    code: 'too_large',
  });
});

test('gives up on a server that does not answer', async () => {
  await expect(guardedFetch(`${srv.base}/slow`, { allow: allow(), timeoutMs: 300 })).rejects.toMatchObject({
    code: 'timeout',
  });
});

test('refuses non-web schemes and garbage URLs', async () => {
  await expect(guardedFetch('ftp://example.org/feed')).rejects.toMatchObject({ code: 'bad_url' });
  await expect(guardedFetch('http://[::1]:80/')).rejects.toMatchObject({ code: 'blocked' });
  await expect(guardedFetch('not a url')).rejects.toMatchObject({ code: 'bad_url' });
});

// A resolver for invented names: nothing is sent anywhere when the answer is refused.
const fakeDns = (answers: Record<string, string>) => {
  const asked: string[] = [];
  const lookup = (
    host: string,
    _o: unknown,
    cb: (e: NodeJS.ErrnoException | null, a: { address: string; family: number }[]) => void,
  ) => {
    asked.push(host);
    const ip = answers[host];
    if (!ip) return cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    cb(null, [{ address: ip, family: ip.includes(':') ? 6 : 4 }]);
  };
  return { lookup, asked };
};

test('refuses a name that resolves to a private address, checked at connect time', async () => {
  const dns = fakeDns({
    'feeds.school.example': '10.0.0.8',
    'rebind.example': '169.254.169.254',
    'v6.example': 'fd00::1',
  });
  for (const host of ['feeds.school.example', 'rebind.example', 'v6.example']) {
    await expect(guardedFetch(`http://${host}/feed.xml`, { lookup: dns.lookup })).rejects.toMatchObject({
      code: 'blocked',
      permanent: true,
    });
  }
  expect(dns.asked).toEqual(['feeds.school.example', 'rebind.example', 'v6.example']);
});

test('connects to the resolved address when it is allowed', async () => {
  const dns = fakeDns({ 'feeds.school.example': '127.0.0.1' });
  const port = srv.base.split(':')[2];
  const r = await guardedFetch(`http://feeds.school.example:${port}/ok`, {
    lookup: dns.lookup,
    allow: [`feeds.school.example:${port}`],
  });
  expect(r.body.toString()).toBe('hallo');
});

test('catches hexadecimal, octal and decimal spellings of internal IPv4 addresses', async () => {
  for (const url of [
    'http://0x7f000001/',
    'http://017700000001/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0xa9.0xfe.0xa9.0xfe/',
  ]) {
    await expect(guardedFetch(url), url).rejects.toMatchObject({ code: 'blocked' });
  }
});

test('follows at most three redirects', async () => {
  const chain = await fixtureServer({
    '/1': (_q, r) => r.writeHead(302, { location: '/2' }).end(),
    '/2': (_q, r) => r.writeHead(302, { location: '/3' }).end(),
    '/3': (_q, r) => r.writeHead(302, { location: '/4' }).end(),
    '/4': (_q, r) => r.writeHead(302, { location: '/5' }).end(),
    '/5': (_q, r) => r.writeHead(200).end('eind'),
  });
  try {
    expect((await guardedFetch(`${chain.base}/2`, { allow: [chain.hostPort] })).body.toString()).toBe('eind');
    await expect(guardedFetch(`${chain.base}/1`, { allow: [chain.hostPort] })).rejects.toMatchObject({
      code: 'redirects',
    });
  } finally {
    await chain.close();
  }
});

test('does not carry credentials to another host', async () => {
  const other = await fixtureServer({ '/landing': (_q, r) => r.writeHead(200).end('ok') });
  const first = await fixtureServer({
    '/go': (_q, r) => r.writeHead(302, { location: `http://localhost:${other.base.split(':')[2]}/landing` }).end(),
  });
  try {
    await guardedFetch(`${first.base}/go`, {
      allow: [first.hostPort, `localhost:${other.base.split(':')[2]}`],
      headers: { authorization: 'Bearer geheim' },
    });
    expect(first.requests[0].headers.authorization).toBe('Bearer geheim');
    expect(other.requests[0].headers.authorization).toBeUndefined();
  } finally {
    await Promise.all([first.close(), other.close()]);
  }
});

test('sends one request at a time to the same host', async () => {
  let active = 0;
  let most = 0;
  const slow = await fixtureServer({
    '/s': (_q, r) => {
      active++;
      most = Math.max(most, active);
      setTimeout(() => {
        active--;
        r.writeHead(200).end('x');
      }, 50);
    },
  });
  try {
    await Promise.all([1, 2, 3].map(() => guardedFetch(`${slow.base}/s`, { allow: [slow.hostPort] })));
    expect(most).toBe(1);
  } finally {
    await slow.close();
  }
});

test('gives up when the headers do not come in time, and says so', async () => {
  await expect(guardedFetch(`${srv.base}/slow`, { allow: allow(), headersTimeoutMs: 200 })).rejects.toMatchObject({
    code: 'timeout',
    message: expect.stringContaining('Geen antwoord'),
  });
});

test('identifies itself with a descriptive User-Agent', async () => {
  await guardedFetch(`${srv.base}/ok`, {
    allow: allow(),
    userAgent: 'Klankbord/0.1 (+https://klankbord.example/contact)',
  });
  expect(srv.requests.at(-1)?.headers['user-agent']).toBe('Klankbord/0.1 (+https://klankbord.example/contact)');
});

test('adds the configured contact address to the User-Agent', async () => {
  const { userAgent } = await import('../../workers/http/guardedFetch.ts');
  expect(userAgent()).toBe('Klankbord/0.1 (monitoring voor schoolbesturen)');
  expect(userAgent('https://edu-ley.nl/klankbord')).toBe(
    'Klankbord/0.1 (monitoring voor schoolbesturen; +https://edu-ley.nl/klankbord)',
  );
});

test('waiting for a turn at a rate-limited host does not count against the timeout', async () => {
  const opts = { allow: allow(), minIntervalMs: 300, timeoutMs: 200 };
  const [a, b] = await Promise.all([guardedFetch(`${srv.base}/ok`, opts), guardedFetch(`${srv.base}/ok`, opts)]);
  expect([a.status, b.status]).toEqual([200, 200]);
});

test('a POST is sent once with its body and its redirect is not followed', async () => {
  const r = await guardedFetch(`${srv.base}/to-ok`, {
    allow: allow(),
    method: 'POST',
    body: '{"a":1}',
    headers: { 'content-type': 'application/json' },
  });
  expect(r.status).toBe(301);
  expect(srv.requests.filter((q) => q.path === '/ok' && q.headers['content-length'] === '7')).toEqual([]);
});
