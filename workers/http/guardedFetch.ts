import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { isPublicAddress } from './addresses.ts';

export type Lookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

export type FetchOptions = {
  allow?: readonly string[]; // "host:port" entries that may be private/loopback
  headers?: Record<string, string>;
  userAgent?: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  timeoutMs?: number; // the whole fetch, redirects and body included
  maxBytes?: number;
  maxRedirects?: number;
  lookup?: Lookup; // tests inject a resolver, so no test sends a packet to a private range
  minIntervalMs?: number; // at least this long between two requests to the same host (rate limits)
  // A POST (a login) is sent once and its redirects are not followed: its body and credentials
  // must not be replayed to wherever a 30x points.
  method?: 'GET' | 'POST';
  body?: string;
};

export type FetchResult = { status: number; url: string; headers: http.IncomingHttpHeaders; body: Buffer };

export type FetchErrorCode = 'blocked' | 'bad_url' | 'timeout' | 'too_large' | 'network' | 'redirects';

export class FetchError extends Error {
  constructor(
    message: string,
    readonly code: FetchErrorCode,
  ) {
    super(message);
  }
  // A refused or malformed address will not get better by retrying soon.
  get permanent() {
    return this.code === 'blocked' || this.code === 'bad_url' || this.code === 'redirects';
  }
}

export const userAgent = (contactUrl?: string) =>
  `Klankbord/0.1 (monitoring voor schoolbesturen${contactUrl ? `; +${contactUrl}` : ''})`;
export const DEFAULT_USER_AGENT = userAgent();

const defaultLookup: Lookup = (host, opts, cb) => dns.lookup(host, opts, cb);
const hostKey = (u: URL) => `${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
const bare = (host: string) => host.replace(/^\[|\]$/g, '');

function checkUrl(raw: string | URL): URL {
  let u: URL;
  try {
    u = new URL(raw); // WHATWG parsing turns 0x7f.1, 017700000001 and 2130706433 into 127.0.0.1
  } catch {
    throw new FetchError(`Ongeldige URL: ${String(raw).slice(0, 200)}`, 'bad_url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new FetchError(`Alleen http en https zijn toegestaan, niet ${u.protocol}`, 'bad_url');
  return u;
}

// The address check runs inside the socket's own DNS lookup, so the address that is checked is the
// address that is connected to (no DNS-rebinding window between check and connect).
function guardedLookup(allowed: boolean, lookup: Lookup): net.LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { family: (options as dns.LookupOptions).family ?? 0, all: true }, (err, list) => {
      if (err) return callback(err, '', 0);
      if (!list.length)
        return callback(Object.assign(new Error(`${hostname} heeft geen adres`), { code: 'ENOTFOUND' }), '', 0);
      const bad = list.find((a) => !isPublicAddress(a.address));
      if (bad && !allowed) {
        return callback(
          new FetchError(`Adres ${bad.address} van ${hostname} is intern of privé en wordt niet opgehaald`, 'blocked'),
          '',
          0,
        );
      }
      if ((options as dns.LookupOptions).all) return callback(null, list as never);
      callback(null, list[0].address, list[0].family);
    });
  };
}

type Resolved = Required<
  Pick<FetchOptions, 'timeoutMs' | 'maxBytes' | 'connectTimeoutMs' | 'headersTimeoutMs' | 'maxRedirects' | 'userAgent'>
> &
  FetchOptions;

function requestOnce(u: URL, opts: Resolved, headers: Record<string, string>, deadline: number): Promise<FetchResult> {
  const allowed = (opts.allow ?? []).includes(hostKey(u));
  const literal = bare(u.hostname);
  if (!allowed && net.isIP(literal) && !isPublicAddress(literal)) {
    return Promise.reject(new FetchError(`Adres ${literal} is intern of privé en wordt niet opgehaald`, 'blocked'));
  }
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      reject(err instanceof FetchError ? err : new FetchError(`Verbinding mislukt: ${err.message}`, 'network'));
      req.destroy();
    };
    const timer = (ms: number, what: string) =>
      setTimeout(
        () => fail(new FetchError(`${what} binnen ${Math.round(ms / 100) / 10}s`, 'timeout')),
        Math.max(1, ms),
      );
    const total = timer(deadline - Date.now(), 'Geen volledig antwoord');
    let connect: NodeJS.Timeout | undefined;
    let firstByte: NodeJS.Timeout | undefined;
    const req = lib.request(
      u,
      {
        method: opts.method ?? 'GET',
        lookup: guardedLookup(allowed, opts.lookup ?? defaultLookup),
        agent: false,
        headers,
      },
      (res) => {
        clearTimeout(firstByte);
        const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
        const stream =
          enc === 'gzip' || enc === 'x-gzip'
            ? res.pipe(zlib.createGunzip())
            : enc === 'deflate'
              ? res.pipe(zlib.createInflate())
              : enc === 'br'
                ? res.pipe(zlib.createBrotliDecompress())
                : res;
        const chunks: Buffer[] = [];
        let size = 0;
        // Counted after decompression: a gzip bomb is cut off, not inflated.
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            stream.destroy();
            return fail(
              new FetchError(`Antwoord groter dan ${Math.round(opts.maxBytes / 1024)} KB; afgebroken`, 'too_large'),
            );
          }
          chunks.push(chunk);
        });
        stream.on('end', () => {
          clearTimeout(total);
          if (settled) return;
          settled = true;
          resolve({
            status: res.statusCode ?? 0,
            url: u.toString(),
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
        stream.on('error', (err) => fail(new FetchError(`Ontvangen mislukt: ${err.message}`, 'network')));
      },
    );
    req.on('socket', (socket) => {
      connect = timer(opts.connectTimeoutMs, 'Geen verbinding');
      socket.once(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        clearTimeout(connect);
        firstByte = timer(opts.headersTimeoutMs, 'Geen antwoord');
      });
    });
    req.on('error', (err) => fail(err));
    req.on('close', () => {
      clearTimeout(total);
      clearTimeout(connect);
      clearTimeout(firstByte);
    });
    req.end(opts.body);
  });
}

// One request at a time per host, across all collectors in this process, optionally spaced out.
const hostQueues = new Map<string, Promise<unknown>>();
const lastStart = new Map<string, number>();
function perHost<T>(host: string, task: () => Promise<T>, minIntervalMs = 0): Promise<T> {
  const previous = hostQueues.get(host) ?? Promise.resolve();
  const run = previous
    .catch(() => {})
    .then(async () => {
      const wait = (lastStart.get(host) ?? 0) + minIntervalMs - Date.now();
      if (minIntervalMs && wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastStart.set(host, Date.now());
      return task();
    });
  const tail = run.catch(() => {});
  hostQueues.set(host, tail);
  void tail.then(() => hostQueues.get(host) === tail && hostQueues.delete(host));
  return run;
}

// Every outgoing request of every collector goes through here: http(s) only, no internal
// addresses (unless allow-listed), connect/header/total deadlines, a size cap on the decompressed
// body, and at most three redirects, each checked again; credentials never travel to another host.
export async function guardedFetch(url: string | URL, options: FetchOptions = {}): Promise<FetchResult> {
  const opts: Resolved = {
    timeoutMs: 30_000,
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    maxBytes: 5 * 1024 * 1024,
    maxRedirects: 3,
    userAgent: DEFAULT_USER_AGENT,
    ...options,
  };
  // The deadline starts with the first request actually sent, not while waiting for our turn at a
  // host that is rate-limited (queued Reddit requests would otherwise time out before starting).
  let deadline: number | undefined;
  const first = checkUrl(url);
  let current = first;
  let headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    'accept-encoding': 'gzip, deflate, br',
    ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
    ...opts.headers,
  };
  for (let hop = 0; ; hop++) {
    const res = await perHost(
      current.host.toLowerCase(),
      () => requestOnce(current, opts, headers, (deadline ??= Date.now() + opts.timeoutMs)),
      opts.minIntervalMs,
    );
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location && (opts.method ?? 'GET') === 'GET') {
      if (hop >= opts.maxRedirects) throw new FetchError(`Meer dan ${opts.maxRedirects} doorverwijzingen`, 'redirects');
      const next = checkUrl(new URL(location, current));
      if (next.host !== current.host) {
        const { authorization: _a, cookie: _c, 'if-none-match': _e, 'if-modified-since': _m, ...rest } = headers;
        headers = rest;
        next.username = '';
        next.password = '';
      }
      current = next;
      continue;
    }
    return res;
  }
}
