import { beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { THROTTLE } from '../../server/routes/auth.ts';
import { freshDatabase } from '../support/db.ts';
import { loginAs } from '../support/http.ts';
import { PASSWORD, seedTwoBoards } from '../support/seed.ts';

const conn = await freshDatabase();
const app = buildApp(conn.db);
beforeAll(() => seedTwoBoards(conn.db));

const login = (body: unknown, ip = '203.0.113.7', headers: Record<string, string> = {}) =>
  app.request(
    '/api/auth/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    { incoming: { socket: { remoteAddress: ip } } },
  );

test('logs in with a session cookie that is HttpOnly and SameSite=Lax, stored only as a hash', async () => {
  const res = await login({ email: 'ALL@edu-ley.nl', password: PASSWORD });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^kb_session=[\w-]{40,};/);
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Lax');
  expect(cookie).not.toContain('Secure');
  const token = cookie.split(';')[0].split('=')[1];
  const stored = await conn.db.selectFrom('sessions').select('token_hash').execute();
  expect(stored.some((s) => s.token_hash === token)).toBe(false);
  const audit = await conn.db.selectFrom('audit_log').selectAll().where('action', '=', 'login.ok').execute();
  expect(audit.at(-1)).toMatchObject({ actor: 'all@edu-ley.nl', ip: '203.0.113.7' });
});

test('marks the cookie Secure when served over HTTPS', async () => {
  const res = await app.request('https://klankbord.example.nl/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'all@edu-ley.nl', password: PASSWORD }),
  });
  expect(res.headers.get('set-cookie')).toContain('Secure');
});

test('refuses a wrong password and an unknown address with the same message, and audits both', async () => {
  const wrong = await login({ email: 'b@edu-ley.nl', password: 'fout-wachtwoord' });
  const unknown = await login({ email: 'niemand@edu-ley.nl', password: 'fout-wachtwoord' });
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  expect(await wrong.json()).toEqual(await unknown.json());
  const failed = await conn.db.selectFrom('audit_log').select('actor').where('action', '=', 'login.failed').execute();
  expect(failed.map((f) => f.actor)).toEqual(expect.arrayContaining(['b@edu-ley.nl', 'niemand@edu-ley.nl']));
});

test('answers malformed input with 400 and a readable message', async () => {
  const notJson = await login('{"email":');
  expect(notJson.status).toBe(400);
  expect((await notJson.json()).error).toContain('JSON');
  const noEmail = await login({ email: 'geen-adres', password: 'x' });
  expect(noEmail.status).toBe(400);
  expect((await noEmail.json()).error).toContain('email');
  const form = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=a&password=b',
  });
  expect(form.status).toBe(400);
});

test('throttles failed logins per account, even with the right password afterwards — except from the user’s usual address', async () => {
  expect((await login({ email: 'a@edu-ley.nl', password: PASSWORD }, '203.0.113.7')).status).toBe(200);
  for (let i = 0; i < THROTTLE.perAccount; i++)
    expect((await login({ email: 'a@edu-ley.nl', password: 'nope' }, `198.51.100.${i}`)).status).toBe(401);
  const blocked = await login({ email: 'a@edu-ley.nl', password: PASSWORD }, '198.51.100.99');
  expect(blocked.status).toBe(429);
  expect((await blocked.json()).error).toContain('Te veel');
  // guesses from elsewhere do not lock the user out of the address they logged in from before
  expect((await login({ email: 'a@edu-ley.nl', password: PASSWORD }, '203.0.113.7')).status).toBe(200);
});

test('throttles failed logins per IP address across accounts', async () => {
  for (let i = 0; i < THROTTLE.perIp; i++) await login({ email: `gok${i}@edu-ley.nl`, password: 'nope' }, '192.0.2.50');
  expect((await login({ email: 'all@edu-ley.nl', password: PASSWORD }, '192.0.2.50')).status).toBe(429);
  expect((await login({ email: 'all@edu-ley.nl', password: PASSWORD }, '192.0.2.51')).status).toBe(200);
});

test('logout ends the session', async () => {
  const req = await loginAs(app, 'b@edu-ley.nl');
  expect((await req('/api/me')).status).toBe(200);
  expect((await req('/api/auth/logout', { method: 'POST' })).status).toBe(200);
  expect((await req('/api/me')).status).toBe(401);
});

test('an expired session is refused', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  await conn.db
    .updateTable('sessions')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .execute();
  expect((await req('/api/me')).status).toBe(401);
});

test('sets security headers and hides errors behind a generic message', async () => {
  const res = await app.request('/api/me');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect((await app.request('/api/nope')).status).toBe(401);
});
