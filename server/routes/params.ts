import type { Context } from 'hono';
import { badRequest } from './http.ts';

// A numeric id from the path ("/api/cases/:id"): digits only, at most 18 of them (a bigint), or a 400.
export function idParam(c: Context, name = 'id'): string {
  const id = c.req.param(name) ?? '';
  if (!/^\d{1,18}$/.test(id)) badRequest('Ongeldig id');
  return id;
}
export const isId = (s: string) => /^\d{1,18}$/.test(s);
