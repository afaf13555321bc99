import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import type { CollectedItem } from '../../workers/collectors/types.ts';
import { processItems, purgePreview } from '../../workers/pipeline.ts';
import { freshDatabase } from '../support/db.ts';
import { loginAs } from '../support/http.ts';
import { PASSWORD } from '../support/seed.ts';

// Explain, preview, re-apply: what a query edit would change is shown before saving, saving
// re-applies it to stored mentions and to the 72-hour window of unmatched items, and a mention
// that drops out leaves the inbox without being destroyed.
const conn = await freshDatabase();
const db = conn.db;
await importBoard(
  db,
  parseBoardFile(`board:
  slug: edu-ley
  name: Edu-Ley
  exclusions: '"Meander Medisch Centrum" OR MMC'
schools:
  - { slug: meander, name: obs De Meander, place: Amersfoort }
  - { slug: jozef, name: St. Jozefschool }
sources:
  - { kind: rss, url: "https://nieuws.example/rss", name: Nieuws }
`),
  'test',
);
const board = (await db.selectFrom('boards').select('id').executeTakeFirstOrThrow()).id;
const source = await db.selectFrom('sources').selectAll().executeTakeFirstOrThrow();
const hash = await hashPassword(PASSWORD);
for (const [email, role, all] of [
  ['comm@x.nl', 'communicatie', true],
  ['dir@x.nl', 'directie', true],
  ['jozef@x.nl', 'communicatie', false],
] as const) {
  const u = await db
    .insertInto('users')
    .values({ email, board_id: board, role, password_hash: hash, all_schools: all })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!all)
    await db
      .insertInto('user_schools')
      .values({
        user_id: u.id,
        school_id: (await db.selectFrom('schools').select('id').where('slug', '=', 'jozef').executeTakeFirstOrThrow())
          .id,
      })
      .execute();
}
const app = buildApp(db);
const item = (id: string, title: string, text: string): CollectedItem => ({
  externalId: id,
  url: `https://nieuws.example/${id}`,
  title,
  text,
  author: null,
  publishedAt: new Date(),
});
await processItems(
  db,
  source,
  [
    item('a', 'Voorleesfeest', 'Juf Sanne van De Meander leest voor aan groep 3.'),
    item(
      'b',
      'Nieuwe vleugel',
      'Het Meander Medisch Centrum opent een kinderafdeling; de juf van groep 8 kwam kijken.',
    ),
    item('c', 'Opera', 'Scala speelt Verdi deze zomer.'),
    item('d', 'Natuur', 'Wandelen langs De Meander, de mooiste bocht van de rivier.'),
  ],
  { sourceKind: 'rss' },
);
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const inbox = async (req: Awaited<ReturnType<typeof loginAs>>) =>
  (await (await req('/api/mentions?school=meander')).json()).items.map((i: { title: string }) => i.title);

test('the default query matches with an explanation; namesakes and unmatched items wait in the window', async () => {
  const req = await loginAs(app, 'comm@x.nl');
  const list = await (await req('/api/mentions')).json();
  expect(list.items.map((i: { title: string }) => i.title)).toEqual(['Voorleesfeest']);
  const m = list.items[0];
  expect(m.schools[0].matched[0]).toMatch(/^"De Meander" NEAR\/5/);
  const text = 'Juf Sanne van De Meander leest voor aan groep 3.';
  expect(m.schools[0].spans.map((s: { start: number; end: number }) => text.slice(s.start, s.end))).toEqual([
    'Juf',
    'De Meander',
    'groep',
  ]);
  const window = await db.selectFrom('preview_items').select('external_id').orderBy('external_id').execute();
  expect(window.map((w) => w.external_id)).toEqual(['b', 'c', 'd']);
  const schools = await (await req('/api/schools')).json();
  expect(schools.schools.find((s: { slug: string }) => s.slug === 'meander')).toMatchObject({
    query: null,
    canEdit: true,
    effective: expect.stringContaining('"obs De Meander"'),
  });
  expect(schools.exclusions).toEqual({ query: '"Meander Medisch Centrum" OR MMC', canEdit: true });
});

test('a preview shows what would newly match and what would drop out, without changing anything', async () => {
  const req = await loginAs(app, 'dir@x.nl');
  const wider = await (await req('/api/schools/meander/query/preview', json('POST', { query: '"De Meander"' }))).json();
  expect(wider.ok).toBe(true);
  expect(wider.newlyMatching.map((e: { title: string; kind: string }) => [e.title, e.kind])).toEqual([
    ['Natuur', 'window'],
  ]);
  expect(wider.counts).toMatchObject({ newlyMatching: 1, droppingOut: 0, stillMatching: 1 });
  const narrower = await (
    await req('/api/schools/meander/query/preview', json('POST', { query: '"obs De Meander"' }))
  ).json();
  expect(narrower.droppingOut.map((e: { title: string }) => e.title)).toEqual(['Voorleesfeest']);
  const broken = await (
    await req('/api/schools/meander/query/preview', json('POST', { query: '"De Meander" AND (juf' }))
  ).json();
  expect(broken).toEqual({ ok: false, error: 'Haakje niet gesloten bij positie 18', position: 18 });
  expect(
    await db.selectFrom('schools').select('query').where('slug', '=', 'meander').executeTakeFirstOrThrow(),
  ).toEqual({ query: null });
});

test('saving re-applies: window items come in, dropped mentions leave the inbox but are kept, and undo works', async () => {
  const req = await loginAs(app, 'comm@x.nl');
  const wider = await (await req('/api/schools/meander/query', json('PUT', { query: '"De Meander"' }))).json();
  expect(wider).toMatchObject({ ok: true, fromWindow: 1 });
  expect((await inbox(req)).sort()).toEqual(['Natuur', 'Voorleesfeest']);
  expect(await db.selectFrom('preview_items').select('external_id').where('external_id', '=', 'd').execute()).toEqual(
    [],
  );
  const narrower = await (await req('/api/schools/meander/query', json('PUT', { query: '"obs De Meander"' }))).json();
  expect(narrower).toMatchObject({ ok: true, removed: 2 });
  expect(await inbox(req)).toEqual([]);
  expect(await db.selectFrom('mentions').select('external_id').orderBy('external_id').execute()).toEqual([
    { external_id: 'a' },
    { external_id: 'd' },
  ]);
  const undo = await (await req('/api/schools/meander/query', json('PUT', { query: null }))).json();
  expect(undo).toMatchObject({ ok: true, added: 1 });
  expect(await inbox(req)).toEqual(['Voorleesfeest']);
  const audits = await db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('action', '=', 'school.query')
    .orderBy('id')
    .execute();
  expect(audits.map((a) => (a.details as { after: string | null }).after)).toEqual([
    '"De Meander"',
    '"obs De Meander"',
    null,
  ]);
});

test('board exclusions re-apply to every school', async () => {
  const req = await loginAs(app, 'comm@x.nl');
  await req('/api/schools/meander/query', json('PUT', { query: '"De Meander" OR "Meander Medisch Centrum"' }));
  expect((await inbox(req)).sort()).toEqual(['Natuur', 'Voorleesfeest']); // the exclusion still wins over "Meander Medisch Centrum"
  const r = await (await req('/api/board/exclusions', json('PUT', { query: 'MMC' }))).json();
  expect(r).toMatchObject({ ok: true });
  expect((await inbox(req)).sort()).toEqual(['Natuur', 'Nieuwe vleugel', 'Voorleesfeest']);
  expect((await req('/api/board/exclusions', json('PUT', { query: 'NOT juf' }))).status).toBe(400);
});

test('who may change what', async () => {
  const director = await loginAs(app, 'dir@x.nl');
  expect((await director('/api/schools/meander/query', json('PUT', { query: 'juf' }))).status).toBe(403);
  const jozef = await loginAs(app, 'jozef@x.nl');
  expect((await jozef('/api/schools/meander/query/preview', json('POST', { query: 'juf' }))).status).toBe(404);
  expect((await jozef('/api/board/exclusions', json('PUT', { query: 'MMC' }))).status).toBe(403);
  expect((await jozef('/api/schools/jozef/query', json('PUT', { query: '"Jozefschool" OR "St. Jozef"' }))).status).toBe(
    200,
  );
  const bad = await jozef('/api/schools/jozef/query', json('PUT', { query: 'juf NEAR ziek' }));
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toContain('NEAR heeft een afstand nodig');
});

test('the window closes after 72 hours', async () => {
  await sql`update preview_items set created_at = now() - interval '73 hours' where external_id = 'c'`.execute(db);
  expect(await purgePreview(db)).toBe(1);
  expect(await db.selectFrom('preview_items').select('external_id').where('external_id', '=', 'c').execute()).toEqual(
    [],
  );
});
