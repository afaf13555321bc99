import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { purgeBoard, RETENTION_DEFAULTS, retentionOf } from '../../server/db/retention.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17: each board keeps data only for its terms (defaults: posts and reports 12 months, a
// reporter's contact 3 months or until the case closes, the audit log 2 years), purged in batches.
const { db, seed, source, meander } = await eduLeyFixture();
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

test('the audit log stays append-only for everyone else', async () => {
  await expect(db.deleteFrom('audit_log').where('actor', '=', 'y').execute()).rejects.toThrow(/append-only/);
  await expect(sql`update audit_log set actor = 'z'`.execute(db)).rejects.toThrow(/append-only/);
  await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
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
