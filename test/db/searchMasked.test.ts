import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { connect } from '../../server/db/index.ts';
import { readMigration } from '../../server/db/migrate.ts';
import { erasePosts } from '../../server/db/personData.ts';
import { JOBS } from '../../workers/jobs.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// Security finding: the inbox search matched the unmasked title and text, so `q=06-41` found a post
// and `q=06-42` did not — anyone who may see a post could read its hidden phone number digit by
// digit, unaudited. The search matches only what the list shows: personal data masked.
const { conn, db, meander, seed, source } = await eduLeyFixture();
const app = buildApp(db);
const owner = connect(conn.adminUrl, 1); // migrations run as the database's owner
afterAll(() => owner.close());

// The backpack before it shifts every offset after it by one UTF-16 unit more than by a character.
const text = '🎒 De Meander: Rob Mulder woont op Dorpsstraat 12, bel 06-41234587 als je hem zoekt in Amersfoort.';
await processItems(
  db,
  source,
  [
    {
      externalId: 'pd',
      url: 'https://forum.example.nl/pd',
      title: 'Rob Mulder',
      text,
      author: null,
      publishedAt: new Date(),
    },
  ],
  { schoolIds: [meander] },
);
const id = (await db.selectFrom('mentions').select('id').where('external_id', '=', 'pd').executeTakeFirstOrThrow()).id;
const req = await loginAs(app, 'a@edu-ley.nl');
const found = async (q: string) =>
  (await (await req(`/api/mentions?q=${encodeURIComponent(q)}`)).json()).items.map((i: { id: string }) => i.id);
const HIDDEN = ['06-41', '06-42', '41234587', '4123', 'Mulder', 'Rob Mulder', 'rob', 'Dorpsstraat', 'straat 12'];
const VISIBLE = ['Meander woont', 'amersfoort', 'zoekt', '06-'];
const searchJob = JOBS.find((j) => j.name === 'search-text')!;

test('a search on a fragment of masked personal data finds nothing; visible words find the post', async () => {
  const shown = await (await req(`/api/mentions/${id}`)).json();
  expect(shown.text).toContain('R•• M•••••');
  expect(shown.text).toContain('06-••••••87');
  for (const q of HIDDEN) expect(await found(q), q).toEqual([]);
  for (const q of VISIBLE) expect(await found(q), q).toEqual([id]);
});

test('after a reveal the search still does not match the hidden parts', async () => {
  const full = await (await req(`/api/mentions/${id}/unmasked`, { method: 'POST' })).json();
  expect(full.text).toBe(text);
  for (const q of HIDDEN) expect(await found(q), q).toEqual([]);
});

test('rows stored before sql/0024 are searched only once their masked text is computed', async () => {
  // Back to the shape before the migration: the raw folded copy the search used to match.
  // (cascade: the stored search vector of sql/0037 is computed from it, and is added back below)
  await sql`alter table mentions drop column search_text cascade, drop column search_masked_by`.execute(owner.db);
  await sql`alter table mentions add column search_text text not null default ''`.execute(owner.db);
  await sql`update mentions set search_text = lower(title || ' ' || body)`.execute(owner.db);
  await owner.db.connection().execute(async (c) => {
    await c.transaction().execute((trx) => sql.raw(readMigration('0024_search_masked.sql')).execute(trx));
    await c.transaction().execute((trx) => sql.raw(readMigration('0037_search_tsvector_stored.sql')).execute(trx));
  });
  // no fallback to the raw text while the masked one is missing: nothing is found at all
  for (const q of [...HIDDEN, ...VISIBLE]) expect(await found(q), q).toEqual([]);
  expect(await searchJob.run(db)).toMatchObject({ masked: expect.any(Number) });
  for (const q of HIDDEN) expect(await found(q), q).toEqual([]);
  for (const q of VISIBLE) expect(await found(q), q).toEqual([id]);
  expect(await searchJob.run(db)).toBeUndefined(); // idle: nothing left to do
});

test('after a classifier bump a post is searched again once re-classification masked it anew', async () => {
  // as a new CLASSIFIER version finds the row: labels and search text from the version before
  await db.updateTable('classifications').set({ classifier: 'v2.3' }).where('mention_id', '=', id).execute();
  await db.updateTable('mentions').set({ search_masked_by: 'v2.3' }).where('id', '=', id).execute();
  expect(await found('amersfoort')).toEqual([]);
  await JOBS.find((j) => j.name === 'reclassify')!.run(db);
  expect(await found('amersfoort')).toEqual([id]);
  for (const q of HIDDEN) expect(await found(q), q).toEqual([]);
});

test('an erased post is searched only by what is left of it', async () => {
  const user = await db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow();
  await erasePosts(db, seed.boards['edu-ley'], [id], { actor: 'fg@edu-ley.nl', userId: user.id, reference: 'AVG-1' });
  await searchJob.run(db);
  expect(await found('amersfoort')).toEqual([]);
  expect(await found('verwijderd op verzoek')).toEqual([id]);
});
