import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import os from 'node:os';
import {
  currentCost,
  hashPassword,
  needsRehash,
  PasswordBusyError,
  verifyPassword,
} from '../../server/auth/passwords.ts';
import { SESSION_HOURS, SESSION_IDLE_MINUTES } from '../../server/auth/sessions.ts';
import { parseConfig } from '../../server/config.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17 (low): sessions also end when unused, and password hashes follow OWASP's scrypt cost.
const { db } = await eduLeyFixture();
let clock = new Date('2026-03-02T08:00:00Z');
const app = buildApp(db, { now: () => clock });
const minutes = (n: number) => (clock = new Date(clock.getTime() + n * 60_000));
const EMAIL = 'all@edu-ley.nl';

test('a session ends after two hours without use, and lives at most twelve hours', async () => {
  expect(SESSION_IDLE_MINUTES).toBe(120);
  const as = await loginAs(app, EMAIL);
  minutes(SESSION_IDLE_MINUTES - 1);
  expect((await as('/api/me')).status).toBe(200); // use moves the idle window on
  minutes(SESSION_IDLE_MINUTES - 1);
  expect((await as('/api/me')).status).toBe(200);
  minutes(SESSION_IDLE_MINUTES + 1);
  expect((await as('/api/me')).status).toBe(401);

  // in use all day: still ends at the absolute limit
  const busy = await loginAs(app, EMAIL);
  for (let used = 60; used < SESSION_HOURS * 60; used += 60) {
    minutes(60);
    expect([used, (await busy('/api/me')).status]).toEqual([used, 200]);
  }
  minutes(60);
  expect((await busy('/api/me')).status).toBe(401);
});

test('new hashes use N = 2^17 unless configured lower; a weaker stored hash is upgraded at login', async () => {
  expect(parseConfig({}).KLANKBORD_SCRYPT_COST).toBe(17);
  expect(() => parseConfig({ KLANKBORD_SCRYPT_COST: '10' })).toThrow(/KLANKBORD_SCRYPT_COST/);
  const weak = await hashPassword(PASSWORD, 12);
  expect(weak.startsWith('scrypt$4096$8$1$')).toBe(true);
  expect(needsRehash(weak)).toBe(true);
  await db.updateTable('users').set({ password_hash: weak }).where('email', '=', EMAIL).execute();
  await loginAs(app, EMAIL);
  const stored = (
    await db.selectFrom('users').select('password_hash').where('email', '=', EMAIL).executeTakeFirstOrThrow()
  ).password_hash!;
  expect(stored.startsWith(`scrypt$${2 ** currentCost()}$8$1$`)).toBe(true);
  expect(needsRehash(stored)).toBe(false);
  expect(await verifyPassword(PASSWORD, stored)).toBe(true);
  await loginAs(app, EMAIL); // and the upgraded hash still lets the user in
});

test('a stored hash asking for absurd work is refused, not computed', async () => {
  expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).toBe(false);
  expect(await verifyPassword('x', 'scrypt$abc$8$1$AAAA$AAAA')).toBe(false);
});

test('password work takes turns: one hash per core, a bounded queue, and past it a clear "try again"', async () => {
  const hash = await hashPassword(PASSWORD, 12);
  const slots = os.availableParallelism();
  const all = await Promise.allSettled(Array.from({ length: slots + 64 + 3 }, () => verifyPassword(PASSWORD, hash)));
  const refused = all.filter((r) => r.status === 'rejected');
  expect(refused).toHaveLength(3);
  expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(PasswordBusyError);
  expect(all.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(slots + 64);
});
