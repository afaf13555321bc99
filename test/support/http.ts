import type { Hono } from 'hono';
import { PASSWORD } from './seed.ts';

// Logs in through the real route and returns a request function that carries the session cookie.
export async function loginAs(app: Hono, email: string, password = PASSWORD) {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  return (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { ...(init.headers as object), cookie } });
}
