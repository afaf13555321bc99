import type http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectors } from '../../workers/collectors/registry.ts';
import type { CollectContext, SourceInput } from '../../workers/collectors/types.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// Every fetching kind against a server that misbehaves in each way a real platform can: rate
// limited with Retry-After, down, answering garbage, not answering, redirecting to an internal
// address, or sending a gzip bomb. Each must fail with a clear error of the right class (retry
// later, or stop), never crash, hang or follow the redirect. One server per failure mode, so
// Reddit's per-host spacing does not slow the run down.
const MODES = ['ratelimited', 'down', 'garbage', 'silent', 'redirect', 'bomb'] as const;
type Mode = (typeof MODES)[number];
const bomb = zlib.gzipSync(Buffer.alloc(3_000_000, 32));

const handlers: Record<Mode, (q: http.IncomingMessage, r: http.ServerResponse) => void> = {
  ratelimited: (_q, r) => r.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' }).end('slow down'),
  down: (_q, r) => r.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>'),
  garbage: (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('\u0000\u0001{"kapot": [ nee'),
  silent: () => {},
  redirect: (_q, r) => r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  bomb: (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' }).end(bomb),
};

const servers = {} as Record<Mode, Awaited<ReturnType<typeof fixtureServer>>>;
beforeAll(async () => {
  for (const mode of MODES) {
    servers[mode] = await fixtureServer({}, handlers[mode]);
  }
});
afterAll(async () => {
  for (const s of Object.values(servers)) await s.close();
});

// What each kind needs to talk to the server under test.
// Reddit first: it spaces its requests per host, and the servers are fresh then.
const setups: Record<
  string,
  (base: string) => { url?: string; settings?: Record<string, unknown>; endpoints?: Record<string, string> }
> = {
  reddit: (b) => ({ settings: { subreddit: 'amersfoort' }, endpoints: { reddit: b } }),
  rss: (b) => ({ url: `${b}/feed.xml` }),
  google_alerts: (b) => ({ url: `${b}/alerts/feeds/1/2` }),
  google_news: (b) => ({ settings: { query: 'Meander' }, endpoints: { google_news: b } }),
  bing_news: (b) => ({ settings: { query: 'Meander' }, endpoints: { bing_news: b } }),
  youtube_channel: (b) => ({ settings: { channel_id: 'UCabcdefghijklmnopqrstuv' }, endpoints: { youtube: b } }),
  youtube_comments: (b) => ({
    settings: { channel_id: 'UCabcdefghijklmnopqrstuv', apiKey: 'k' },
    endpoints: { youtube_api: b },
  }),
  mastodon_tag: (b) => ({ settings: { instance: b, tag: 'obsmeander' } }),
  mastodon_account: (b) => ({ settings: { instance: b, account: 'school' } }),
  bluesky_author: (b) => ({ settings: { actor: 'school.bsky.social' }, endpoints: { bluesky: b } }),
  bluesky_search: (b) => ({
    settings: { query: 'Meander', identifier: 'school.bsky.social', appPassword: 'a-b-c-d' },
    endpoints: { bluesky_pds: b },
  }),
  facebook_page: (b) => ({ settings: { page_id: '1234567890', token: 't' }, endpoints: { graph: b } }),
  instagram_business: (b) => ({ settings: { ig_user_id: '17841400000000000', token: 't' }, endpoints: { graph: b } }),
};

test('every kind that fetches is in this table', () => {
  const fetching = [...collectors.values()]
    .filter((c) => !c.push)
    .map((c) => c.kind)
    .sort();
  expect(Object.keys(setups).sort()).toEqual(fetching);
});

async function run(kind: string, mode: Mode) {
  const srv = servers[mode];
  const setup = setups[kind](srv.base);
  const source: SourceInput = {
    id: '1',
    kind,
    url: setup.url ?? null,
    settings: setup.settings ?? {},
    etag: null,
    lastModified: null,
    state: {},
  };
  const ctx: CollectContext = {
    fetchOptions: { allow: [srv.hostPort], timeoutMs: 400, headersTimeoutMs: 400, maxBytes: 1_000_000 },
    endpoints: setup.endpoints,
    quota: async () => true,
  };
  return collectors
    .get(kind)!
    .collect(source, ctx)
    .then(
      (r) => ({ ok: true as const, r }),
      (e: Error & { permanent?: boolean; retryAfterSeconds?: number; code?: string }) => ({ ok: false as const, e }),
    );
}

describe.each(Object.keys(setups))('%s', (kind) => {
  test('rate limited: waits as long as Retry-After says', async () => {
    const out = await run(kind, 'ratelimited');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.e).toMatchObject({ permanent: false, retryAfterSeconds: expect.any(Number) });
    if (!out.ok) expect(out.e.retryAfterSeconds).toBeGreaterThanOrEqual(120);
  });
  test('server down: a transient error', async () => {
    const out = await run(kind, 'down');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.e.permanent).toBe(false);
  });
  test('garbage: a permanent, readable error', async () => {
    const out = await run(kind, 'garbage');
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.e).toMatchObject({ permanent: true, message: expect.stringMatching(/JSON|feed|Feed|gelezen|geldig/) });
  });
  test('no answer: gives up in time, to retry later', async () => {
    const out = await run(kind, 'silent');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.e).toMatchObject({ permanent: false, message: expect.stringMatching(/binnen/) });
  });
  test('redirect to an internal address: not followed', async () => {
    const out = await run(kind, 'redirect');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.e.permanent).toBe(true);
  });
  test('gzip bomb: cut off, not inflated', async () => {
    const out = await run(kind, 'bomb');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.e.message).toMatch(/groter dan/);
  });
});
