import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { isPublicAddress } from './addresses.ts';

export type FetchOptions = {
  allow?: readonly string[]; // "host:port" entries that may be private/loopback
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
};

export type FetchResult = {
  status: number;
  url: string; // final URL after redirects
  headers: http.IncomingHttpHeaders;
  body: Buffer;
};

export class FetchError extends Error {
  constructor(
    message: string,
    readonly code: 'blocked' | 'bad_url' | 'timeout' | 'too_large' | 'network' | 'redirects',
  ) {
    super(message);
  }
}

export const USER_AGENT = 'Klankbord/0.1 (schoolmonitoring; +https://github.com/klankbord)';

const hostKey = (u: URL) => `${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;

function checkUrl(raw: string | URL): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FetchError(`Ongeldige URL: ${String(raw).slice(0, 200)}`, 'bad_url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new FetchError(`Alleen http en https zijn toegestaan, niet ${u.protocol}`, 'bad_url');
  return u;
}

// The address check runs inside the socket's own DNS lookup, so the address that is checked is the
// address that is connected to (no DNS-rebinding window between check and connect).
function guardedLookup(allowed: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => !isPublicAddress(a.address));
      if (bad && !allowed) {
        return callback(new FetchError(`Adres ${bad.address} van ${hostname} is intern of privé en wordt niet opgehaald`, 'blocked'), '', 0);
      }
      if ((options as dns.LookupOptions).all) return callback(null, list as never);
      callback(null, list[0].address, list[0].family);
    });
  };
}

function requestOnce(u: URL, opts: Required<Pick<FetchOptions, 'timeoutMs' | 'maxBytes'>> & FetchOptions, deadline: number): Promise<FetchResult> {
  const allowed = (opts.allow ?? []).includes(hostKey(u));
  if (!allowed && net.isIP(u.hostname.replace(/^\[|\]$/g, '')) && !isPublicAddress(u.hostname.replace(/^\[|\]$/g, ''))) {
    return Promise.reject(new FetchError(`Adres ${u.hostname} is intern of privé en wordt niet opgehaald`, 'blocked'));
  }
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const remaining = Math.max(1, deadline - Date.now());
    const req = lib.request(
      u,
      {
        method: 'GET',
        lookup: guardedLookup(allowed),
        headers: { 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br', ...opts.headers },
        timeout: remaining,
      },
      (res) => {
        const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
        const stream =
          enc === 'gzip' || enc === 'x-gzip' ? res.pipe(zlib.createGunzip())
          : enc === 'deflate' ? res.pipe(zlib.createInflate())
          : enc === 'br' ? res.pipe(zlib.createBrotliDecompress())
          : res;
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        stream.on('data', (chunk: Buffer) => {
          if (failed) return;
          size += chunk.length;
          if (size > opts.maxBytes) {
            failed = true;
            reject(new FetchError(`Antwoord groter dan ${Math.round(opts.maxBytes / 1024)} KB; afgebroken`, 'too_large'));
            stream.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        stream.on('end', () => !failed && resolve({ status: res.statusCode ?? 0, url: u.toString(), headers: res.headers, body: Buffer.concat(chunks) }));
        stream.on('error', (err) => reject(err instanceof FetchError ? err : new FetchError(`Ontvangen mislukt: ${err.message}`, 'network')));
      },
    );
    // Covers a server that trickles its body after the headers, which the socket timeout does not.
    const timer = setTimeout(() => {
      reject(new FetchError(`Geen antwoord binnen ${opts.timeoutMs / 1000}s`, 'timeout'));
      req.destroy();
    }, remaining);
    req.on('timeout', () => req.destroy(new FetchError(`Geen antwoord binnen ${opts.timeoutMs / 1000}s`, 'timeout')));
    req.on('error', (err) => reject(err instanceof FetchError ? err : new FetchError(`Verbinding mislukt: ${err.message}`, 'network')));
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

// Every outgoing request of every collector goes through here: http(s) only, no internal
// addresses (unless allow-listed), a total deadline, a size cap on the decompressed body, and
// redirects followed by hand so that each hop is checked again.
export async function guardedFetch(url: string | URL, options: FetchOptions = {}): Promise<FetchResult> {
  const opts = { timeoutMs: 20_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, ...options };
  const deadline = Date.now() + opts.timeoutMs;
  let current = checkUrl(url);
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, opts, deadline);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
      if (hop >= opts.maxRedirects) throw new FetchError(`Meer dan ${opts.maxRedirects} doorverwijzingen`, 'redirects');
      current = checkUrl(new URL(location, current));
      continue;
    }
    return res;
  }
}
