import net from 'node:net';
import { config } from '../config.ts';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { HTTPException } from 'hono/http-exception';
import type { ZodType } from 'zod';
import type { Viewer } from '../access.ts';
import type { DB } from '../db/index.ts';
import type { FetchOptions } from '../../workers/http/guardedFetch.ts';

// fetchOptions/endpoints: how the server itself reaches out ("Test nu", a pasted link); tests point
// endpoints at local servers speaking a platform's format. now: the clock of time-bound checks (a
// login ticket, a one-time code), which tests set.
export type Env = {
  Variables: {
    db: DB;
    viewer: Viewer;
    fetchOptions: FetchOptions;
    endpoints?: Partial<Record<string, string>>;
    now: () => Date;
  };
};

// The client's address: the connection's peer, or — when that peer is a reverse proxy listed in
// KLANKBORD_TRUSTED_PROXIES — the last address in X-Forwarded-For that is not one of those proxies.
// Without the list the header is ignored, so nobody can choose their own address for the throttles.
export function clientIp(c: Context, trusted: readonly string[] = config().KLANKBORD_TRUSTED_PROXIES): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  return forwardedClient(peer, c.req.header('x-forwarded-for'), trusted) ?? 'unknown';
}

const bare = (a: string) => a.trim().replace(/^::ffff:(?=\d+\.)/i, '');

export function forwardedClient(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: readonly string[],
): string | undefined {
  if (!peer) return undefined;
  const proxies = new Set(trusted.map(bare));
  if (!proxies.has(bare(peer)) || !forwardedFor) return peer;
  const hops = forwardedFor.split(',').map(bare).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!proxies.has(hops[i])) return net.isIP(hops[i]) ? hops[i] : peer;
  }
  return peer;
}

export function badRequest(message: string): never {
  throw new HTTPException(400, { message });
}

export function parseOrThrow<T>(schema: ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    badRequest(r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
  return r.data;
}

export async function jsonBody(c: Context): Promise<unknown> {
  // The media type itself, not a substring: "text/plain; x=application/json" is what a cross-site
  // form can send without a preflight.
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') badRequest('Verwacht een JSON-body (Content-Type: application/json)');
  try {
    return await c.req.json();
  } catch {
    badRequest('De body is geen geldige JSON');
  }
}
