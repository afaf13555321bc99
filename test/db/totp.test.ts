import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { base32Decode, totp } from '../../server/auth/totp.ts';
import type { Role } from '../../server/db/schema.ts';
import { runCliInProcess } from '../support/cli.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// The optional second factor (TOTP): set up on Mijn account, asked for at login after the password,
// each code and recovery code once, wrong codes throttled with wrong passwords, turned off with the
// password and a code, reset by beheer. The app's clock is set by the test, never read from today.
const { conn, db, seed } = await eduLeyFixture();
let clock = new Date('2031-02-03T09:00:00Z');
const tick = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
const app = buildApp(db, { now: () => clock });
const board = seed.boards['edu-ley'];
const hash = await hashPassword(PASSWORD);
const addUser = (email: string, role: Role) =>
  db
    .insertInto('users')
    .values({ email, board_id: board, role, password_hash: hash, all_schools: true })
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((u) => u.id);

const send = (path: string, body: unknown, opts: { ip?: string; cookie?: string } = {}) =>
  app.request(
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(opts.cookie ? { cookie: opts.cookie } : {}) },
      body: JSON.stringify(body),
    },
    { incoming: { socket: { remoteAddress: opts.ip ?? '192.0.2.1' } } },
  );
const passwordStep = (email: string, password = PASSWORD, ip?: string) =>
  send('/api/auth/login', { email, password }, { ip });
const codeStep = (ticket: string, code: string, ip?: string) => send('/api/auth/login/totp', { ticket, code }, { ip });
const ticketOf = async (email: string, ip?: string) => {
  const res = await passwordStep(email, PASSWORD, ip);
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body).toEqual({ totp: true, ticket: expect.stringMatching(/^[\w-]{40,}$/) });
  expect(res.headers.get('set-cookie')).toBeNull();
  return body.ticket as string;
};
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;
const auditOf = (action: string) =>
  db
    .selectFrom('audit_log')
    .select(['actor', 'user_id', 'target_id', 'ip', 'details'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();

// Sets up the second factor for a user through the routes; returns the secret as the app holds it.
async function enrol(email: string) {
  const session = await loginAs(app, email);
  const setup = await (await session('/api/me/totp/setup', { method: 'POST' })).json();
  const secret = base32Decode(setup.secret);
  const confirm = await session('/api/me/totp/confirm', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: totp(secret, clock) }),
  });
  expect(confirm.status).toBe(200);
  const { recoveryCodes } = await confirm.json();
  tick(30); // the confirming code is spent; the next login uses the next step's code
  return { session, secret, recoveryCodes: recoveryCodes as string[] };
}

test('set-up: a pending secret counts only after a code confirms it; the recovery codes are shown once', async () => {
  const id = await addUser('privacy@edu-ley.nl', 'privacy');
  const session = await loginAs(app, 'privacy@edu-ley.nl');
  const me = async () => (await (await session('/api/me')).json()).user;
  expect(await me()).toMatchObject({ totp: false, totpRecommended: true });
  const comms = await loginAs(app, 'all@edu-ley.nl');
  expect((await (await comms('/api/me')).json()).user).toMatchObject({ totp: false, totpRecommended: false });

  const setup = await (await session('/api/me/totp/setup', { method: 'POST' })).json();
  expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes
  expect(setup.uri).toBe(
    `otpauth://totp/Klankbord:privacy%40edu-ley.nl?secret=${setup.secret}&issuer=Klankbord&algorithm=SHA1&digits=6&period=30`,
  );
  const stored = await db.selectFrom('user_totp').selectAll().where('user_id', '=', id).executeTakeFirstOrThrow();
  expect(stored.secret).toMatch(/^enc:v1:/);
  expect(stored.confirmed_at).toBeNull();
  // pending: the password alone still logs in
  await loginAs(app, 'privacy@edu-ley.nl');

  const secret = base32Decode(setup.secret);
  const confirm = (code: string) =>
    session('/api/me/totp/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  expect((await confirm(totp(secret, new Date(clock.getTime() - 120_000)))).status).toBe(400);
  const ok = await confirm(totp(secret, clock));
  expect(ok.status).toBe(200);
  const { recoveryCodes } = await ok.json();
  expect(recoveryCodes).toHaveLength(10);
  expect(await me()).toMatchObject({ totp: true });
  expect((await session('/api/me/totp/setup', { method: 'POST' })).status).toBe(409);
  expect((await confirm(totp(secret, clock))).status).toBe(400); // nothing pending any more
  expect(await (await session('/api/me/totp')).json()).toEqual({ recoveryCodesLeft: 10 });
  const hashes = await db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', id).execute();
  expect(hashes).toHaveLength(10);
  for (const h of hashes) expect(recoveryCodes.join(' ')).not.toContain(h.code_hash);
  expect(await auditOf('totp.enabled')).toEqual([
    expect.objectContaining({ actor: 'privacy@edu-ley.nl', user_id: id, target_id: id }),
  ]);
});

test('with a second factor the password gives a ticket, not a session; the code gives the session, once', async () => {
  await addUser('beheer2@edu-ley.nl', 'beheer');
  const { secret } = await enrol('beheer2@edu-ley.nl');
  const ticket = await ticketOf('beheer2@edu-ley.nl');
  const code = totp(secret, clock);
  const res = await codeStep(ticket, code);
  expect(res.status).toBe(200);
  const me = await app.request('/api/me', { headers: { cookie: cookieOf(res) } });
  expect((await me.json()).user).toMatchObject({ email: 'beheer2@edu-ley.nl', totp: true });
  expect((await auditOf('login.ok')).at(-1)).toMatchObject({
    actor: 'beheer2@edu-ley.nl',
    details: { secondFactor: 'totp' },
  });
  // the ticket is spent
  expect((await codeStep(ticket, code)).status).toBe(401);
  // the same code with a new ticket is a replay, and so is the code of the step before
  const again = await ticketOf('beheer2@edu-ley.nl');
  expect((await codeStep(again, code)).status).toBe(401);
  expect((await codeStep(again, totp(secret, new Date(clock.getTime() - 30_000)))).status).toBe(401);
  // the next step's code works, on the same ticket (a mistyped code can be typed again)
  tick(30);
  expect((await codeStep(again, totp(secret, clock))).status).toBe(200);
});

test('wrong codes are refused, audited, and throttled together with wrong passwords', async () => {
  const id = await addUser('gok@edu-ley.nl', 'directie');
  const { secret } = await enrol('gok@edu-ley.nl');
  const ip = '198.51.100.9';
  for (let i = 0; i < 2; i++) expect((await passwordStep('gok@edu-ley.nl', 'fout-wachtwoord', ip)).status).toBe(401);
  const ticket = await ticketOf('gok@edu-ley.nl', ip);
  const wrong = totp(secret, clock) === '000000' ? '000001' : '000000';
  for (let i = 0; i < 3; i++) expect((await codeStep(ticket, wrong, ip)).status).toBe(401);
  const failed = (await auditOf('login.totp_failed')).filter((e) => e.actor === 'gok@edu-ley.nl');
  expect(failed).toHaveLength(3);
  expect(failed[0]).toMatchObject({ user_id: id, ip });
  // 2 wrong passwords + 3 wrong codes: even the right code, and the right password, wait now
  expect((await codeStep(ticket, totp(secret, clock), ip)).status).toBe(429);
  expect((await passwordStep('gok@edu-ley.nl', PASSWORD, ip)).status).toBe(429);
  // from another address the user still gets in
  const elsewhere = await ticketOf('gok@edu-ley.nl', '198.51.100.10');
  expect((await codeStep(elsewhere, totp(secret, clock), '198.51.100.10')).status).toBe(200);
});

test('a recovery code logs in once, however it is typed', async () => {
  await addUser('herstel@edu-ley.nl', 'communicatie');
  const { recoveryCodes, session } = await enrol('herstel@edu-ley.nl');
  const code = recoveryCodes[3]!;
  const res = await codeStep(await ticketOf('herstel@edu-ley.nl'), code.toUpperCase().replace('-', ' '));
  expect(res.status).toBe(200);
  expect((await auditOf('login.ok')).at(-1)).toMatchObject({ details: { secondFactor: 'recovery' } });
  expect((await codeStep(await ticketOf('herstel@edu-ley.nl'), code)).status).toBe(401);
  expect(await (await session('/api/me/totp')).json()).toEqual({ recoveryCodesLeft: 9 });
});

test('a ticket expires after five minutes and is bound to its user', async () => {
  await addUser('traag@edu-ley.nl', 'directie');
  await addUser('ander@edu-ley.nl', 'directie');
  const slow = await enrol('traag@edu-ley.nl');
  const other = await enrol('ander@edu-ley.nl');
  // another user's right code does not open this user's ticket
  const ticket = await ticketOf('traag@edu-ley.nl');
  expect((await codeStep(ticket, totp(other.secret, clock))).status).toBe(401);
  tick(5 * 60 + 1);
  const late = await codeStep(ticket, totp(slow.secret, clock));
  expect(late.status).toBe(401);
  expect((await late.json()).error).toContain('verlopen');
  expect((await codeStep(await ticketOf('traag@edu-ley.nl'), totp(slow.secret, clock))).status).toBe(200);
});

test('turning the second factor off takes the password and a current code', async () => {
  await addUser('uit@edu-ley.nl', 'privacy');
  const { secret, session } = await enrol('uit@edu-ley.nl');
  const disable = (password: string, code: string) =>
    session('/api/me/totp/disable', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password, code }),
    });
  expect((await disable('fout-wachtwoord', totp(secret, clock))).status).toBe(400);
  expect((await disable(PASSWORD, totp(secret, new Date(clock.getTime() - 120_000)))).status).toBe(400);
  expect((await disable(PASSWORD, totp(secret, clock))).status).toBe(200);
  expect((await (await session('/api/me')).json()).user.totp).toBe(false);
  expect(await auditOf('totp.disabled')).toEqual([expect.objectContaining({ actor: 'uit@edu-ley.nl' })]);
  const res = await passwordStep('uit@edu-ley.nl');
  expect(await res.json()).toEqual({ ok: true });
});

test('beheer resets a colleague’s second factor, audited; nobody else can, nor another board’s beheer', async () => {
  const id = await addUser('kwijt@edu-ley.nl', 'directie');
  await enrol('kwijt@edu-ley.nl');
  await addUser('beheer@edu-ley.nl', 'beheer');
  const beheer = await loginAs(app, 'beheer@edu-ley.nl');
  const reset = (as: typeof beheer) => as(`/api/users/${id}/totp/reset`, { method: 'POST' });
  const listed = async () => (await (await beheer('/api/users')).json()).users.find((u: { id: string }) => u.id === id);
  expect(await listed()).toMatchObject({ totp: true });

  expect((await reset(await loginAs(app, 'all@edu-ley.nl'))).status).toBe(403);
  expect((await reset(await loginAs(app, 'other@ander.nl'))).status).toBe(404);
  expect(await listed()).toMatchObject({ totp: true });

  expect((await reset(beheer)).status).toBe(200);
  expect(await listed()).toMatchObject({ totp: false });
  expect(await auditOf('totp.reset')).toEqual([
    expect.objectContaining({ actor: 'beheer@edu-ley.nl', target_id: id, details: { email: 'kwijt@edu-ley.nl' } }),
  ]);
  expect((await reset(beheer)).status).toBe(400); // nothing left to reset
  await loginAs(app, 'kwijt@edu-ley.nl'); // the password alone again
  expect(await db.selectFrom('totp_recovery_codes').select('id').where('user_id', '=', id).execute()).toEqual([]);
});

test('a board’s only administrator without phone or recovery codes is let in again from the command line', async () => {
  const id = await addUser('enige@edu-ley.nl', 'beheer');
  await enrol('enige@edu-ley.nl');
  const run = () => runCliInProcess(['user', 'reset-totp', '--email', 'Enige@edu-ley.nl'], { databaseUrl: conn.url });
  const r = await run();
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Tweestapsverificatie van enige@edu-ley.nl uitgezet');
  expect((await auditOf('totp.reset')).at(-1)).toMatchObject({ actor: expect.stringMatching(/^cli/), target_id: id });
  await loginAs(app, 'enige@edu-ley.nl');
  expect((await run()).code).not.toBe(0); // nothing left to reset
});
