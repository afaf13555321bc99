import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { correctLabel } from '../../server/db/labels.ts';
import { archiveSchool } from '../../server/db/schools.ts';
import { boardTrend } from '../../server/db/stats/boardTrend.ts';
import { nationalTrend } from '../../server/db/stats/nationalTrend.ts';
import { topSchools } from '../../server/db/stats/topSchools.ts';
import { sentimentTrend } from '../../server/db/stats/sentimentTrend.ts';
import type { Bucket, Period } from '../../server/db/stats/period.ts';
import { processItems } from '../../workers/pipeline.ts';
import { rollupStats } from '../../workers/stats/rollup.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// The board's and the nation's own rollups (sql/0032): a board's trend, read without summing its schools' rows, always
// equals the sum of its schools' trends — after new posts, after a correction, with a school archived.
const NOW = new Date('2026-11-02T09:00:00Z');
const { db, seed, source } = await eduLeyFixture();
const app = buildApp(db, { now: () => NOW });
const board = seed.boards['edu-ley'];
const meander = seed.school('edu-ley', 'meander');
const jozef = seed.school('edu-ley', 'jozef');
const userId = (
  await db.selectFrom('users').select('id').where('email', '=', 'all@edu-ley.nl').executeTakeFirstOrThrow()
).id;
const P: Period = { from: '2026-10-01', to: '2026-10-31' };
const post = (externalId: string, text: string, publishedAt: string) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: new Date(publishedAt),
});
const rollup = async () => {
  while ((await rollupStats(db)).days);
};
const schoolsSum = async (b: Bucket) => {
  const [a, c] = await Promise.all([sentimentTrend(db, [meander], P, b), sentimentTrend(db, [jozef], P, b)]);
  return a.map((r, i) => ({
    bucket: r.bucket,
    positive: r.positive + c[i].positive,
    neutral: r.neutral + c[i].neutral,
    negative: r.negative + c[i].negative,
    corrected: r.corrected + c[i].corrected,
  }));
};

await processItems(
  db,
  source,
  [
    post('m1', 'Alweer lesuitval op De Meander, slecht geregeld.', '2026-10-06T10:00:00Z'),
    post('m2', 'Wat een prachtige musical van De Meander, geweldig!', '2026-10-06T18:00:00Z'),
    // late evening UTC is the next Dutch day
    post('j1', 'De Jozefschool heeft een nieuw schoolplein, slecht gepland.', '2026-10-12T22:30:00Z'),
    post(
      'mj',
      'Leerlingen van De Meander en de Jozefschool zongen samen in de kerk op 20 oktober.',
      '2026-10-20T08:00:00Z',
    ),
  ],
  { now: NOW },
);
await rollup();

test("after new posts a board's trend per day and per week is the sum of its schools' trends", async () => {
  for (const b of ['day', 'week'] as const) {
    const rows = await boardTrend(db, [board], P, b);
    expect(rows).toEqual(await schoolsSum(b));
  }
  const days = await boardTrend(db, [board], P, 'day');
  expect(days).toHaveLength(31);
  // the other board has no posts in October: the nation's days are Edu-Ley's
  expect(await nationalTrend(db, P, 'day')).toEqual(days);
  expect(days.find((r) => r.bucket === '2026-10-13')).toMatchObject({ negative: 1 });
  // a post about two schools counts for each, as in the schools' own figures
  const d20 = days.find((r) => r.bucket === '2026-10-20')!;
  expect(d20.positive + d20.neutral + d20.negative).toBe(2);
});

test("a label correction moves the board's trend at the next rollup, still the schools' sum", async () => {
  const id = (await db.selectFrom('mentions').select('id').where('external_id', '=', 'j1').executeTakeFirstOrThrow())
    .id;
  const before = (await boardTrend(db, [board], P, 'day')).find((r) => r.bucket === '2026-10-13')!;
  expect(before).toMatchObject({ negative: 1, positive: 0, corrected: 0 });
  await correctLabel(
    db,
    id,
    { id: userId, email: 'all@edu-ley.nl' },
    { field: 'sentiment', value: 'positive' },
    { sentiment: 'negative', risks: [], classifier: null },
  );
  await rollup();
  const days = await boardTrend(db, [board], P, 'day');
  expect(days.find((r) => r.bucket === '2026-10-13')).toMatchObject({ negative: 0, positive: 1, corrected: 1 });
  expect(days).toEqual(await schoolsSum('day'));
  expect(await nationalTrend(db, P, 'day')).toEqual(days);
  // a new post after that is counted too
  await processItems(
    db,
    source,
    [post('j2', 'Slecht nieuws: de Jozefschool sluit de kantine.', '2026-10-13T09:00:00Z')],
    {
      now: NOW,
    },
  );
  await rollup();
  expect(await boardTrend(db, [board], P, 'day')).toEqual(await schoolsSum('day'));
});

test('the top schools of a period come from the rollup, most mentions first, of the given boards or all', async () => {
  const top = await topSchools(db, [board], P, 5);
  expect(top.map((r) => r.school_id)).toEqual([meander, jozef]);
  expect(top[0]).toMatchObject({ mentions: 3, negative: 1 });
  expect(await topSchools(db, null, P, 5)).toEqual(top);
  expect(await topSchools(db, [seed.boards['ander-bestuur']], P, 5)).toEqual([]);
});

test("the board-wide overview reads the board's rollup and leaves out an archived school, as its totals do", async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const q = `/api/overview?from=${P.from}&to=${P.to}`;
  const o = await (await req(q)).json();
  expect(o.sentiment).toEqual(await schoolsSum('day'));
  await archiveSchool(db, jozef, userId, NOW);
  const after = await (await req(q)).json();
  expect(after.sentiment).toEqual(await sentimentTrend(db, [meander], P, 'day'));
  const sum = after.sentiment.reduce(
    (a: number, r: { positive: number; neutral: number; negative: number }) => a + r.positive + r.neutral + r.negative,
    0,
  );
  expect(sum).toBe(after.totals.mentions);
  // the board's own rollup still holds the archived school's history
  expect(await boardTrend(db, [board], P, 'day')).toEqual(await schoolsSum('day'));
});

test("a school deleted for good leaves its board's totals with its own rows", async () => {
  await db.deleteFrom('schools').where('id', '=', jozef).execute();
  const left = await sentimentTrend(db, [meander], P, 'day');
  expect(await boardTrend(db, [board], P, 'day')).toEqual(left);
  expect(await nationalTrend(db, P, 'day')).toEqual(left);
});
