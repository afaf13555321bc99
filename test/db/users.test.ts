import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17: beheer manages users in the dashboard — invite (a one-time link), role and schools,
// disable, an administrator-started reset — and nobody chooses a password for someone else.
const { db, seed } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
await db
  .insertInto('users')
  .values({
    email: 'beheer@edu-ley.nl',
    board_id: board,
    role: 'beheer',
    password_hash: await hashPassword(PASSWORD),
    all_schools: true,
  })
  .execute();
const beheer = await loginAs(app, 'beheer@edu-ley.nl');
const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const setPassword = (token: string, password: string) =>
  app.request('/api/auth/set-password', json({ token, password }));
const tokenOf = (link: string) => link.split('/#/wachtwoord/')[1]!;

test('only beheer manages users', async () => {
  const comms = await loginAs(app, 'all@edu-ley.nl');
  expect((await comms('/api/users')).status).toBe(403);
  expect((await comms('/api/users', json({ email: 'x@y.nl', role: 'beheer' }))).status).toBe(403);
});

test('an invitation is a one-time link; the new user sets a password and sees only their schools', async () => {
  const res = await beheer(
    '/api/users',
    json({ email: 'Nieuw@Edu-Ley.nl', name: 'Nieuwe Collega', role: 'directie', schools: ['meander'] }),
  );
  expect(res.status).toBe(201);
  const { id, link, expiresAt } = await res.json();
  expect(link).toMatch(/\/#\/wachtwoord\/[\w-]{40,}$/);
  expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
  // no password works before the link is used
  await expect(loginAs(app, 'nieuw@edu-ley.nl')).rejects.toThrow();
  expect((await setPassword(tokenOf(link), 'kort')).status).toBe(400);
  expect(await (await setPassword(tokenOf(link), 'een-lang-nieuw-wachtwoord')).json()).toEqual({
    ok: true,
    email: 'nieuw@edu-ley.nl',
  });
  expect((await setPassword(tokenOf(link), 'nog-een-ander-wachtwoord')).status).toBe(400); // once
  const user = await loginAs(app, 'nieuw@edu-ley.nl', 'een-lang-nieuw-wachtwoord');
  const me = await (await user('/api/me')).json();
  expect(me.schools.map((s: { slug: string }) => s.slug)).toEqual(['meander']);
  const listed = await (await beheer('/api/users')).json();
  expect(listed.users.find((u: { id: string }) => u.id === id)).toMatchObject({
    email: 'nieuw@edu-ley.nl',
    role: 'directie',
    allSchools: false,
    schools: ['meander'],
    disabled: false,
  });
  const again = await beheer('/api/users', json({ email: 'nieuw@edu-ley.nl', role: 'directie' }));
  expect(again.status).toBe(409);
  expect((await again.json()).error).toBe('Er is al een gebruiker nieuw@edu-ley.nl in dit bestuur');
});

test('inviting an address that has an account with another board does not confirm that account', async () => {
  const before = await db.selectFrom('users').select('id').execute();
  const res = await beheer('/api/users', json({ email: 'Other@Ander.nl', role: 'communicatie' }));
  expect(res.status).toBe(409);
  const { error } = await res.json();
  expect(error).toBe('Dit e-mailadres kan niet worden gebruikt voor dit bestuur');
  expect(error).not.toContain('other@ander.nl');
  expect(await db.selectFrom('users').select('id').execute()).toEqual(before);
});

test('role and schools change, a disabled user is out at once, a reset link replaces a lost password', async () => {
  const target = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'a@edu-ley.nl')
    .executeTakeFirstOrThrow();
  const session = await loginAs(app, 'a@edu-ley.nl');
  expect(
    (await beheer(`/api/users/${target.id}`, json({ role: 'communicatie', schools: ['meander', 'jozef'] }, 'PATCH')))
      .status,
  ).toBe(200);
  expect((await (await session('/api/me')).json()).user.role).toBe('communicatie');
  expect((await beheer(`/api/users/${target.id}`, json({ role: 'koning' }, 'PATCH'))).status).toBe(400);
  expect((await beheer(`/api/users/${target.id}/disable`, { method: 'POST' })).status).toBe(200);
  expect((await session('/api/me')).status).toBe(401);
  await expect(loginAs(app, 'a@edu-ley.nl')).rejects.toThrow();
  expect((await beheer(`/api/users/${target.id}/enable`, { method: 'POST' })).status).toBe(200);
  const reset = await (await beheer(`/api/users/${target.id}/reset`, { method: 'POST' })).json();
  expect((await setPassword(tokenOf(reset.link), 'weer-een-nieuw-wachtwoord')).status).toBe(200);
  expect(await loginAs(app, 'a@edu-ley.nl', 'weer-een-nieuw-wachtwoord')).toBeTruthy();
  // beheer cannot lock itself out
  const me = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'beheer@edu-ley.nl')
    .executeTakeFirstOrThrow();
  expect((await beheer(`/api/users/${me.id}/disable`, { method: 'POST' })).status).toBe(400);
  expect((await beheer(`/api/users/${me.id}`, json({ role: 'communicatie' }, 'PATCH'))).status).toBe(400);
  const actions = (await db.selectFrom('audit_log').select('action').where('action', 'like', 'user.%').execute()).map(
    (a) => a.action,
  );
  expect(actions).toEqual(
    expect.arrayContaining(['user.create', 'user.update', 'user.disable', 'user.enable', 'user.reset_started']),
  );
});
