import { expect, test } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { insertSession } from '../../server/db/sessions.ts';
import { demoAccounts, seedDemo } from '../../server/demo/seed.ts';
import { freshDatabase } from '../support/db.ts';

// Each `npm start` refreshes the demo accounts; whoever was logged in with an old password must not
// stay logged in.
const { db } = await freshDatabase();
const now = new Date('2026-05-04T09:00:00Z');
const emails = demoAccounts.map((a) => a.email);
const users = () =>
  db.selectFrom('users').select(['id', 'email', 'password_hash']).where('email', 'in', emails).execute();
const sessionsOfDemoUsers = async () =>
  (
    await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('users.email')
      .where('users.email', 'in', emails)
      .execute()
  ).length;
const logInEveryone = async (round: string) => {
  for (const u of await users())
    await insertSession(db, u.id, `${round}-${u.email}`, new Date(now.getTime() + 3_600_000), now);
};

test('a new demo password ends the demo users’ sessions; the same configured password keeps them', async () => {
  await seedDemo(db, 'eerste-demo-wachtwoord');
  await logInEveryone('1');
  expect(await sessionsOfDemoUsers()).toBe(demoAccounts.length);

  // Started again with the same configured password: nothing changes.
  const before = await users();
  await seedDemo(db, 'eerste-demo-wachtwoord');
  expect(await sessionsOfDemoUsers()).toBe(demoAccounts.length);
  expect(await users()).toEqual(before);

  // A random password (no configured one): the old sessions end and the new password works.
  const { password } = await seedDemo(db);
  expect(await sessionsOfDemoUsers()).toBe(0);
  for (const u of await users()) expect(await verifyPassword(password, u.password_hash)).toBe(true);

  // Another configured password ends them too, and the audit log says so.
  await logInEveryone('2');
  await seedDemo(db, 'tweede-demo-wachtwoord');
  expect(await sessionsOfDemoUsers()).toBe(0);
  const resets = await db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'user.password_reset')
    .orderBy('id')
    .execute();
  expect(resets.slice(-demoAccounts.length).map((r) => r.details)).toEqual(
    demoAccounts.map((a) => expect.objectContaining({ email: a.email, sessionsEnded: 1 })),
  );
});
