import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { insertNewMentionClassifications } from '../../server/db/classifications.ts';
import { inTransaction } from '../../server/db/index.ts';
import { inboxQuery } from '../../server/db/inboxQuery.ts';
import type { MentionFilters } from '../../server/db/mentions.ts';
import { schoolLinksQuery } from '../../server/db/mentionRows.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, forumItem } from '../support/seed.ts';

// Issue 18: the inbox's filters read the labels as shown from the mention row (kept by the database
// on every classification and correction) and each walks an index in the list's order.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
const at = new Date('2026-05-04T10:00:00Z');
const item = (externalId: string, text: string) => forumItem(externalId, text, at);
const { ids } = await processItems(
  db,
  source,
  [
    item('dreig', 'Ik steek die directeur van De Meander morgen neer.'),
    item('blij', 'Wat een prachtige musical op De Meander, echt geweldig gedaan!'),
  ],
  { schoolIds: [meander], now: at },
);
const [threatId, happyId] = ids;
const shown = (id: string) =>
  db
    .selectFrom('mentions')
    .select(['shown_sentiment', 'shown_risks', 'corrected'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

test('the labels as shown are kept on the mention, and follow a correction', async () => {
  expect(await shown(threatId)).toMatchObject({ shown_risks: ['threat'], corrected: false });
  expect(
    await db.selectFrom('mention_schools').select('shown_risks').where('mention_id', '=', threatId).execute(),
  ).toEqual([{ shown_risks: ['threat'] }]);
  expect(await shown(happyId)).toEqual({ shown_sentiment: 'positive', shown_risks: [], corrected: false });
  const all = await loginAs(app, 'all@edu-ley.nl');
  const put = (id: string, body: unknown) =>
    all(`/api/mentions/${id}/labels`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await put(happyId, { field: 'sentiment', value: 'negative' })).status).toBe(200);
  expect((await put(happyId, { field: 'shaming', value: 'present' })).status).toBe(200);
  expect((await put(threatId, { field: 'threat', value: 'absent' })).status).toBe(200);
  expect(await shown(happyId)).toEqual({ shown_sentiment: 'negative', shown_risks: ['shaming'], corrected: true });
  expect(await shown(threatId)).toMatchObject({ shown_risks: [], corrected: true });
  const list = async (q: string) =>
    ((await (await all(`/api/mentions?${q}`)).json()) as { items: { id: string }[] }).items.map((i) => i.id);
  expect(await list('risk=threat')).toEqual([]);
  expect(await list('risk=shaming')).toEqual([happyId]);
  // one school's list reads the copy of the risks on its links, which follows too
  expect(await list('school=meander&risk=threat')).toEqual([]);
  expect(await list('school=meander&risk=shaming')).toEqual([happyId]);
  const links = await db
    .selectFrom('mention_schools')
    .select(['mention_id', 'shown_risks'])
    .where('mention_id', 'in', [happyId, threatId])
    .orderBy('mention_id')
    .execute();
  expect(links).toEqual(
    [
      { mention_id: threatId, shown_risks: [] },
      { mention_id: happyId, shown_risks: ['shaming'] },
    ].sort((a, b) => Number(a.mention_id) - Number(b.mention_id)),
  );
  expect(await list('sentiment=negative')).toContain(happyId);
  expect(await list('sentiment=positive')).not.toContain(happyId);
  const corrected = await inboxQuery(db, {
    boardId: board,
    schoolIds: [meander],
    limit: 50,
    corrected: true,
  }).execute();
  expect(corrected.map((r) => r.id).sort()).toEqual([happyId, threatId].sort());
});

test('every inbox filter can walk its own index in the list order (no sort, no scan of all mentions)', async () => {
  const jozef = seed.school('edu-ley', 'jozef');
  const base: MentionFilters = { boardId: board, schoolIds: [meander, jozef], limit: 50 };
  const cases: [Partial<MentionFilters>, string][] = [
    [{}, 'mentions_inbox_idx'],
    // one school walks its own links in date order (sql/0038)
    [{ schoolIds: [meander] }, 'mention_schools_school_time_idx'],
    // and its links carry the post's risks (sql/0039), each with its own index
    ...(['threat', 'discrimination', 'sexual', 'shaming', 'personal_data', 'inaccuracy'] as const).map(
      (risk) => [{ schoolIds: [meander], risk }, `mention_schools_${risk}_idx`] as [Partial<MentionFilters>, string],
    ),
    [{ sentiment: 'negative' }, 'mentions_inbox_sentiment_idx'],
    [{ corrected: true }, 'mentions_inbox_corrected_idx'],
    ...(['threat', 'discrimination', 'sexual', 'shaming', 'personal_data', 'inaccuracy'] as const).map(
      (risk) => [{ risk }, `mentions_inbox_${risk}_idx`] as [Partial<MentionFilters>, string],
    ),
  ];
  for (const [filter, index] of cases) {
    const plan = await inTransaction(db, async (trx) => {
      // a tiny table would rather be scanned; forbid that to see which index the query can use
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_sort = off`.execute(trx);
      const rows = await inboxQuery(trx, { ...base, ...filter }).explain();
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan, JSON.stringify(filter)).toContain(index);
    // the months of mentions (sql/0040) are merged in order (Merge Append), never sorted
    expect(plan, JSON.stringify(filter)).not.toMatch(/Seq Scan on mentions|(^|->)\s*Sort\s+\(/m);
  }
});

test('search finds Dutch word forms and quoted phrases in order, through the indexes', async () => {
  const later = new Date('2026-05-05T10:00:00Z');
  const { ids: found } = await processItems(
    db,
    source,
    [
      item('inval', 'Op De Meander was de invaller van groep 5 weer ziek.'),
      item('avond', 'Gemist: de ouderavond van De Meander, jammer.'),
    ].map((i) => ({ ...i, publishedAt: later })),
    { schoolIds: [meander], now: later },
  );
  const [inval, avond] = found;
  const search = async (q: string) =>
    (await inboxQuery(db, { boardId: board, schoolIds: [meander], limit: 50, q }).execute()).map((r) => r.id);
  expect(await search('invallers')).toEqual([inval]); // another form of the same word
  expect(await search('invaller groep')).toEqual([inval]);
  expect(await search('ouderavond')).toEqual([avond]);
  expect(await search('"gemist de ouderavond"')).toEqual([avond]);
  expect(await search('"ouderavond gemist"')).toEqual([]); // a phrase keeps its order
  expect(await search('meand')).toEqual(expect.arrayContaining([inval, avond])); // part of a word
  // the query reads the stored vector (sql/0037), which the full-text index covers
  const compiled = inboxQuery(db, { boardId: board, schoolIds: [meander], limit: 50, q: 'invallers' }).compile().sql;
  expect(compiled).toContain('m.search_tsv @@');
  const plan = await inTransaction(db, async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const rows = await sql<{ 'QUERY PLAN': string }>`explain select id from mentions m
      where m.search_tsv @@ plainto_tsquery('dutch', 'invallers')`.execute(trx);
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
  expect(plan).toContain('mentions_search_tsv_idx');
});

test("a page's school links are found by its posts, not by walking the viewer's schools", async () => {
  const schools = [seed.school('edu-ley', 'meander'), seed.school('edu-ley', 'jozef')];
  const plan = await inTransaction(db, async (trx) => {
    // a tiny table would rather be scanned; forbid that to see which index the lookup can use
    await sql`set local enable_seqscan = off`.execute(trx);
    const rows = await schoolLinksQuery(trx, ids, schools).explain();
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
  const conditions = plan.split('\n').filter((l) => l.includes('Index Cond'));
  expect(conditions.length).toBeGreaterThan(0);
  expect(conditions.join('\n')).toContain('mention_id');
  expect(conditions.join('\n')).not.toMatch(/school_id = ANY/);
  const found = await schoolLinksQuery(db, ids, schools).execute();
  expect(new Set(found.map((l) => l.mention_id))).toEqual(new Set(ids));
});

test("new posts' labels tell the labels' trigger to skip them, for their own statement only", async () => {
  const {
    ids: [id],
  } = await processItems(
    db,
    source,
    [item('musical-2', 'Wat een mooie kerstmusical op De Meander, prachtig gedaan!')],
    { schoolIds: [meander], now: at },
  );
  const before = await shown(id!);
  expect(before).toEqual({ shown_sentiment: 'positive', shown_risks: [], corrected: false });
  const labels = await db
    .selectFrom('classifications')
    .selectAll()
    .where('mention_id', '=', id!)
    .executeTakeFirstOrThrow();
  const rolledBack = new Error('rolled back');
  await expect(
    inTransaction(db, async (trx) => {
      // labels of another version that say something else, stored as a new post's labels are (what the
      // pipeline never does: it is how the skip shows): the statement says the shown labels are right
      // already, and the trigger leaves them
      await insertNewMentionClassifications(trx, 'test-v', [
        {
          mentionId: id!,
          labels: {
            language: labels.language,
            sentiment: { label: 'negative', score: -2, evidence: [] },
            risks: [{ type: 'shaming', severity: 'high', confidence: 0.8, evidence: [] }],
            actions: [],
          },
        },
      ]);
      expect(await shownIn(trx, id!)).toEqual(before);
      // a session's own setting skips nothing, and the next statement that changes labels refreshes
      // again, from the newest labels
      await sql`select set_config('klankbord.shown_given', 'on', true)`.execute(trx);
      await trx
        .insertInto('label_corrections')
        .values({ mention_id: id!, actor: 'test', field: 'threat', value: 'absent' })
        .execute();
      expect(await shownIn(trx, id!)).toEqual({
        shown_sentiment: 'negative',
        shown_risks: ['shaming'],
        corrected: true,
      });
      throw rolledBack;
    }),
  ).rejects.toBe(rolledBack);
  expect(await shown(id!)).toEqual(before);
});

const shownIn = (trx: typeof db, id: string) =>
  trx
    .selectFrom('mentions')
    .select(['shown_sentiment', 'shown_risks', 'corrected'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
