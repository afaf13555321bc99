import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { processItems } from '../../workers/pipeline.ts';
import { rollupStats } from '../../workers/stats/rollup.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// The directors' Overzicht: figures from rollups the database keeps current, for the viewer's schools
// only, over a chosen period against the one before; themes against the school's own baseline.
const NOW = new Date('2026-11-02T09:00:00Z');
const { db, seed, source } = await eduLeyFixture();
const app = buildApp(db, { now: () => NOW });
const meander = seed.school('edu-ley', 'meander');
const jozef = seed.school('edu-ley', 'jozef');
const post = (externalId: string, text: string, publishedAt: string) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: new Date(publishedAt),
});
const items = [
  // the period (5 Oct – 1 Nov 2026): lesuitval keeps coming back, the musical was a success
  ...[6, 9, 13, 20].map((d, i) =>
    post(
      `les${i}`,
      `Alweer lesuitval op De Meander, groep ${i + 5} zit thuis. Slecht geregeld.`,
      `2026-10-${String(d).padStart(2, '0')}T10:00:00Z`,
    ),
  ),
  ...[7, 8, 15].map((d, i) =>
    post(
      `mus${i}`,
      `Wat een prachtige musical van De Meander, de kinderen zongen geweldig (${i}).`,
      `2026-10-${String(d).padStart(2, '0')}T18:00:00Z`,
    ),
  ),
  post(
    'joz1',
    'De Jozefschool heeft een nieuw schoolplein, slecht gepland want het is steeds dicht.',
    '2026-10-12T08:00:00Z',
  ),
  // the four weeks before: one complaint about lesuitval
  post('old1', 'Lesuitval op De Meander, dat is echt slecht.', '2026-09-14T10:00:00Z'),
  post('old2', 'De Meander organiseert een ouderavond over de nieuwe methode.', '2026-09-20T10:00:00Z'),
];
await processItems(db, source, items, { now: NOW });
// the same story in a second source counts once
const second = await db
  .insertInto('sources')
  .values({
    board_id: seed.boards['edu-ley'],
    kind: 'rss',
    name: 'Tweede krant',
    url: 'https://other-news.example.nl/feed.xml',
  })
  .returningAll()
  .executeTakeFirstOrThrow();
await processItems(db, second, [{ ...items[0], externalId: 'copy-les0', url: 'https://other-news.example.nl/les0' }], {
  now: NOW,
});
const rollup = async () => {
  while ((await rollupStats(db)).days);
};
await rollup();
const period = 'from=2026-10-05&to=2026-11-01';

test('a board-wide viewer sees every school: totals against the period before, daily sentiment, themes and the comparison', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const res = await req(`/api/overview?${period}`);
  expect(res.status).toBe(200);
  const o = await res.json();
  expect(o.period).toMatchObject({ from: '2026-10-05', to: '2026-11-01', bucket: 'day', days: 28 });
  expect(o.previous).toEqual({ from: '2026-09-07', to: '2026-10-04' });
  expect(o.totals).toMatchObject({ mentions: 8, negative: 5, previousMentions: 2, previousNegative: 1 });
  expect(o.sentiment).toHaveLength(28);
  expect(o.sentiment[1]).toMatchObject({ bucket: '2026-10-06', negative: 1 });
  expect(o.sentiment.reduce((a: number, r: { positive: number }) => a + r.positive, 0)).toBe(3);
  expect(o.themes.negative.map((t: { label: string }) => t.label)).toContain('lesuitval');
  expect(o.themes.positive.map((t: { label: string }) => t.label)).toContain('musical');
  expect(o.themes.negative.find((t: { label: string }) => t.label === 'lesuitval')).toMatchObject({
    mentions: 4,
    before: 1,
  });
  expect(o.followUp.perSchool.map((s: { slug: string }) => s.slug).sort()).toEqual(['jozef', 'meander']);
  expect(o.multiples).toHaveLength(2);
  expect(o.boardAverage).toBeNull();
  expect(o.summary[0]).toBe('Meer berichten dan de vorige periode (8 tegen 2).');
  expect(o.summary.join(' ')).toContain('lesuitval');
  // no post text and no author leaves this route
  expect(JSON.stringify(o)).not.toContain('groep 5 zit thuis');
});

test('a director of one school sees only that school, with the board average as a number', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const o = await (await req(`/api/overview?${period}`)).json();
  expect(o.schools).toEqual([{ slug: 'meander', name: 'obs De Meander' }]);
  expect(o.totals.mentions).toBe(7);
  expect(o.boardAverage).toEqual({ mentionsPerSchool: 4, negativeShare: 62.5 });
  expect(o.multiples).toEqual([]);
  expect(JSON.stringify(o)).not.toContain('Jozef');
  expect((await req(`/api/overview?${period}&school=jozef`)).status).toBe(403);
  const other = await loginAs(app, 'other@ander.nl');
  const theirs = await (await other(`/api/overview?${period}`)).json();
  expect(theirs.totals.mentions).toBe(0);
});

test('a corrected label moves the counts at the next rollup; links that leave the inbox stop counting', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const id = (await db.selectFrom('mentions').select('id').where('external_id', '=', 'joz1').executeTakeFirstOrThrow())
    .id;
  const put = await req(`/api/mentions/${id}/labels`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ field: 'sentiment', value: 'positive' }),
  });
  expect(put.status).toBe(200);
  await rollup();
  const o = await (await req(`/api/overview?${period}&school=jozef`)).json();
  expect(o.totals).toMatchObject({ mentions: 1, negative: 0 });
  expect(o.sentiment.find((r: { bucket: string }) => r.bucket === '2026-10-12')).toMatchObject({
    positive: 1,
    corrected: 1,
  });
  await db
    .updateTable('mention_schools')
    .set({ active: false })
    .where('mention_id', '=', id)
    .where('school_id', '=', jozef)
    .execute();
  await rollup();
  expect((await (await req(`/api/overview?${period}&school=jozef`)).json()).totals.mentions).toBe(0);
  expect(meander).toBeTruthy();
});

test('the inbox takes the same period, so a bar opens exactly its posts', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const page = await (await req('/api/mentions?from=2026-10-06&to=2026-10-06&limit=100')).json();
  expect(page.items.map((m: { text: string }) => m.text)).toEqual([
    'Alweer lesuitval op De Meander, groep 5 zit thuis. Slecht geregeld.',
  ]);
  expect((await req('/api/mentions?from=6-10-2026')).status).toBe(400);
});

test('bad periods get a clear message', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const wrong = await req('/api/overview?from=2026-11-01&to=2026-10-01');
  expect(wrong.status).toBe(400);
  expect((await wrong.json()).error).toContain('begindatum ligt na de einddatum');
  expect((await req('/api/overview?from=2020-01-01&to=2026-01-01')).status).toBe(400);
  expect((await req('/api/overview?from=gisteren')).status).toBe(400);
  // without a period: the four weeks up to today (Dutch time)
  const def = await (await req('/api/overview')).json();
  expect(def.period).toMatchObject({ from: '2026-10-06', to: '2026-11-02' });
});

test("a link removed on its own leaves its day's counts, a post removed with its links does not (sql/0048)", async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const september = 'from=2026-09-07&to=2026-10-04&school=meander';
  const total = async () => (await (await req(`/api/overview?${september}`)).json()).totals.mentions;
  expect(await total()).toBe(2);
  const idOf = async (externalId: string) =>
    (await db.selectFrom('mentions').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
  // retention or erasure: the post goes with its links; the anonymous figure stays
  await db
    .deleteFrom('mentions')
    .where('id', '=', await idOf('old2'))
    .execute();
  await rollup();
  expect(await total()).toBe(2);
  // the school unlinked from a post that stays: its day is counted again, without it
  await db
    .deleteFrom('mention_schools')
    .where('mention_id', '=', await idOf('old1'))
    .where('school_id', '=', meander)
    .execute();
  await rollup();
  expect(await total()).toBe(1);
});
