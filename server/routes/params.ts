import type { Context } from 'hono';
import { badRequest } from './http.ts';

// A numeric id from the path ("/api/cases/:id"): digits only, at most 18 of them (a bigint), or a 400.
export function idParam(c: Context, name = 'id'): string {
  const id = c.req.param(name) ?? '';
  if (!ID_PATTERN.test(id)) badRequest('Ongeldig id');
  return id;
}
// A bigint id as text: digits only, at most 18 of them.
export const ID_PATTERN = /^\d{1,18}$/;
export const isId = (s: string) => ID_PATTERN.test(s);
