import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { connect } from '../../server/db/index.ts';
import { APP_ROLE, currentRole } from '../../server/db/roles.ts';
import { purgeBoard, RETENTION_DEFAULTS, retentionOf } from '../../server/db/retention.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17: each board keeps data only for its terms (defaults: posts and reports 12 months, a
// reporter's contact 3 months or until the case closes, the audit log 2 years), purged in batches.
const { conn, db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
const now = new Date('2026-11-30T12:00:00Z');
const monthsAgo = (n: number) => new Date(now.getTime() - n * 30.5 * 86_400_000);
const post = (externalId: string, text: string) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: monthsAgo(20),
});
const json = (body: unknown, method = 'PUT') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

await processItems(
  db,
  source,
  [
    post('old', 'Oud nieuws over De Meander, slecht geregeld.'),
    // recent when it came in (so it was filed into a case), old by the time of the purge
    { ...post('old-threat', 'Ik maak die conciërge van De Meander af.'), publishedAt: monthsAgo(20) },
    post('new', 'Nieuw bericht over De Meander.'),
  ],
  { schoolIds: [meander], now: monthsAgo(20) },
);
const idOf = async (ext: string) =>
  (await db.selectFrom('mentions').select('id').where('external_id', '=', ext).executeTakeFirstOrThrow()).id;
await db
  .updateTable('mentions')
  .set({ created_at: monthsAgo(20) })
  .where('external_id', 'in', ['old', 'old-threat'])
  .execute();
await db
  .updateTable('mentions')
  .set({ created_at: monthsAgo(1) })
  .where('external_id', '=', 'new')
  .execute();
await db
  .insertInto('audit_log')
  .values({ board_id: board, actor: 'x', action: 'login.ok', details: '{}', created_at: monthsAgo(30) })
  .execute();
await db
  .insertInto('audit_log')
  .values({ board_id: board, actor: 'y', action: 'login.ok', details: '{}', created_at: monthsAgo(2) })
  .execute();

test('the defaults apply until a board sets its own', async () => {
  expect(await retentionOf(db, board)).toEqual({ ...RETENTION_DEFAULTS, lastPurgeAt: null });
});

test('old posts, closed cases and old audit entries go; a post an open case needs stays', async () => {
  const threat = await idOf('old-threat');
  // the threat's case is open: its post stays however old
  const open = await db
    .selectFrom('case_mentions as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .select('c.state')
    .where('cm.mention_id', '=', threat)
    .executeTakeFirst();
  expect(open?.state).toBe('nieuw');
  const purged = await purgeBoard(db, board, RETENTION_DEFAULTS, now);
  expect(purged.mentions).toBeGreaterThanOrEqual(1);
  const left = (await db.selectFrom('mentions').select('external_id').execute()).map((m) => m.external_id);
  expect(left).toContain('old-threat');
  expect(left).toContain('new');
  expect(left).not.toContain('old');
  const actors = (await db.selectFrom('audit_log').select('actor').where('action', '=', 'login.ok').execute()).map(
    (a) => a.actor,
  );
  expect(actors).toEqual(['y']);
  expect((await retentionOf(db, board)).lastPurgeAt?.toISOString()).toBe(now.toISOString());
});

test('the app runs as a role that may only read and append to the audit log', async () => {
  const me = await currentRole(db);
  expect(me).toEqual({ name: APP_ROLE, superuser: false });
  await db.insertInto('audit_log').values({ actor: 'app', action: 'x', details: '{}' }).execute();
  for (const attack of [
    sql`delete from audit_log where actor = 'y'`,
    sql`update audit_log set actor = 'z'`,
    sql`truncate audit_log`,
    sql`alter table audit_log disable trigger user`,
    sql`drop trigger audit_log_no_truncate on audit_log`,
    sql`drop function purge_audit_log(bigint, timestamptz, int)`,
    sql`create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return old; end $$`,
  ])
    await expect(attack.execute(db)).rejects.toThrow(/permission denied|must be owner/);
  // the one way out removes nothing younger than a year by the database's own clock
  await expect(sql`select purge_audit_log(${board}, now(), 1000)`.execute(db)).rejects.toThrow(
    /younger than 12 months/,
  );
  expect((await db.selectFrom('audit_log').select('actor').where('actor', '=', 'app').execute()).length).toBe(1);
});

test('the owner, too, cannot change or delete entries outside the purge', async () => {
  const owner = connect(conn.adminUrl, 1);
  try {
    await expect(owner.db.deleteFrom('audit_log').where('actor', '=', 'app').execute()).rejects.toThrow(/append-only/);
    await expect(sql`update audit_log set actor = 'z'`.execute(owner.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(owner.db)).rejects.toThrow(/append-only/);
  } finally {
    await owner.close();
  }
});

test('beheer and the privacy officer set the terms; the audit log is kept at least a year; everyone reads them', async () => {
  await db
    .insertInto('users')
    .values({
      email: 'fg@edu-ley.nl',
      board_id: board,
      role: 'privacy',
      password_hash: await hashPassword(PASSWORD),
      all_schools: true,
    })
    .execute();
  const fg = await loginAs(app, 'fg@edu-ley.nl');
  const comms = await loginAs(app, 'all@edu-ley.nl');
  expect(
    (
      await comms(
        '/api/board/retention',
        json({ mentionsMonths: 6, reportsMonths: 6, contactMonths: 1, auditMonths: 24 }),
      )
    ).status,
  ).toBe(403);
  const tooShort = await fg(
    '/api/board/retention',
    json({ mentionsMonths: 6, reportsMonths: 6, contactMonths: 1, auditMonths: 3 }),
  );
  expect(tooShort.status).toBe(400);
  expect((await tooShort.json()).error).toContain('minstens 12 maanden');
  expect(
    (await fg('/api/board/retention', json({ mentionsMonths: 6, reportsMonths: 6, contactMonths: 1, auditMonths: 24 })))
      .status,
  ).toBe(200);
  const shown = await (await comms('/api/board/retention')).json();
  expect(shown).toMatchObject({ mentionsMonths: 6, contactMonths: 1, canEdit: false, lastPurgeAt: now.toISOString() });
  expect(shown.nextPurgeAt).toBe(new Date(now.getTime() + 6 * 3_600_000).toISOString());
  expect(
    await db.selectFrom('audit_log').select('action').where('action', '=', 'retention.update').execute(),
  ).toHaveLength(1);
});
