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

export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
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
