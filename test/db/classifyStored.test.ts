import { expect, test } from 'vitest';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import { processItems } from '../../workers/pipeline.ts';
import { eduLeyFixture } from '../support/seed.ts';

// The pipeline classifies with the matched school's fact sheet and stores the labels with the
// classifier's version.
const { db, seed, source, meander } = await eduLeyFixture();
const fact = 'De Meander blijft open; er zijn geen plannen voor sluiting.';
await db
  .updateTable('schools')
  .set({ facts: [fact] })
  .where('id', '=', meander)
  .execute();

test('a rumour that contradicts the fact sheet is stored with the fact as evidence', async () => {
  const text = 'Ik hoorde dat De Meander na de zomer dichtgaat. Wat zonde!';
  await processItems(
    db,
    source,
    [{ externalId: 'rumour', url: null, title: '', text, author: null, publishedAt: new Date() }],
    { schoolIds: [meander] },
  );
  const row = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select(['c.classifier', 'c.sentiment', 'c.risks'])
    .where('m.external_id', '=', 'rumour')
    .executeTakeFirstOrThrow();
  expect(row.classifier).toBe(CLASSIFIER);
  expect(row.sentiment).toBe('negative');
  const risks = row.risks as { type: string; evidence: { text: string; fact?: string }[] }[];
  const inaccuracy = risks.find((r) => r.type === 'inaccuracy')!;
  expect(inaccuracy.evidence.find((e) => e.fact)).toMatchObject({ text: 'dichtgaat', fact });
});

test('a threat is stored as high severity with its words as evidence', async () => {
  await processItems(
    db,
    source,
    [
      {
        externalId: 'threat',
        url: null,
        title: '',
        text: 'Ik weet waar die juf woont. Pas maar op.',
        author: null,
        publishedAt: new Date(),
      },
    ],
    { schoolIds: [meander] },
  );
  const row = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select('c.risks')
    .where('m.external_id', '=', 'threat')
    .executeTakeFirstOrThrow();
  expect(row.risks).toEqual([
    expect.objectContaining({
      type: 'threat',
      severity: 'high',
      evidence: expect.arrayContaining([expect.objectContaining({ text: 'Ik weet waar die juf woont' })]),
    }),
  ]);
});

test('the inbox filters by risk type', async () => {
  const { listMentions } = await import('../../server/db/mentions.ts');
  const f = { boardId: seed.boards['edu-ley'], schoolIds: [meander], limit: 50 };
  const ids = async (risk?: 'threat' | 'inaccuracy' | 'shaming') =>
    (await listMentions(db, { ...f, risk })).items.map((m) => m.text);
  expect(await ids('threat')).toEqual(['Ik weet waar die juf woont. Pas maar op.']);
  expect(await ids('inaccuracy')).toEqual(['Ik hoorde dat De Meander na de zomer dichtgaat. Wat zonde!']);
  expect(await ids('shaming')).toEqual([]);
  expect((await ids()).length).toBeGreaterThanOrEqual(2);
});

test('the pipeline stores the board policy’s actions with the labels', async () => {
  const text = 'Alweer lesuitval bij De Meander. Slecht geregeld, ik ben het zat.';
  await processItems(
    db,
    source,
    [{ externalId: 'negative', url: null, title: '', text, author: null, publishedAt: new Date() }],
    { schoolIds: [meander] },
  );
  const row = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select('c.actions')
    .where('m.external_id', '=', 'negative')
    .executeTakeFirstOrThrow();
  expect(row.actions).toEqual([
    expect.objectContaining({ type: 'real_life', article: 'Profilering c', basis: 'protocol' }),
  ]);
  const rumour = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select('c.actions')
    .where('m.external_id', '=', 'rumour')
    .executeTakeFirstOrThrow();
  expect((rumour.actions as { type: string }[]).map((a) => a.type)).toEqual(['correct_online', 'real_life']);
});

test('a board on another preset gets that protocol’s articles', async () => {
  await db.updateTable('boards').set({ policy: 'obs-meander' }).where('id', '=', seed.boards['edu-ley']).execute();
  await processItems(
    db,
    source,
    [
      {
        externalId: 'threat2',
        url: null,
        title: '',
        text: 'Ik weet waar die meester woont, pas maar op.',
        author: null,
        publishedAt: new Date(),
      },
    ],
    { schoolIds: [meander] },
  );
  const row = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select('c.actions')
    .where('m.external_id', '=', 'threat2')
    .executeTakeFirstOrThrow();
  expect(row.actions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ type: 'escalate', roles: ['directie'] }),
      expect.objectContaining({ type: 'report_police', basis: 'law' }),
    ]),
  );
  await db.updateTable('boards').set({ policy: 'edu-ley' }).where('id', '=', seed.boards['edu-ley']).execute();
});
