import type { DB } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import {
  dirtyCount,
  firstCopyOf,
  generateTrendMentions,
  insertFreshMention,
  queueAllStats,
  rawBoardTrend,
  rawSchoolTrend,
  rawTopSchools,
  schoolDayCounts,
  TREND_END,
  trendBenchUser,
  trendBoards,
  trendMentionCount,
  vacuumRollups,
} from '../server/db/benchTrends.ts';
import { correctLabel } from '../server/db/labels.ts';
import { refreshStats } from '../server/db/stats/rollup.ts';
import { boardTrend } from '../server/db/stats/boardTrend.ts';
import { nationalTrend } from '../server/db/stats/nationalTrend.ts';
import { sentimentTrend } from '../server/db/stats/sentimentTrend.ts';
import { topSchools } from '../server/db/stats/topSchools.ts';
import { bucketOf, type Period } from '../server/db/stats/period.ts';
import { JOBS } from '../workers/jobs.ts';
import { openBenchDatabase, timeRuns } from './benchDb.ts';
import type { Result } from './results.ts';

// The directors' charts at national size (issue 19): 7,300 schools in 150 boards, a year of
// BENCH_TREND_MENTIONS first copies (default 1M; 10M for the long run) through the real schema. The
// rollups are filled by refresh_stats as the job would; then each chart query is timed against the raw
// GROUP BY over mentions it replaces (both must give the same rows), and the time from a new post and a
// label correction until the rollups show them. Run alone: `node --import tsx bench/trends.ts`.

const MENTIONS = Number(process.env.BENCH_TREND_MENTIONS ?? 1_000_000);
const BOARDS = 150;
const SCHOOLS = 7300;
const RUNS = 40;
const TARGET_MS = 10;
const TARGET_LAG_S = 60;
const POLL_MS = 5000; // the worker's sleep between passes when idle (workers/runner.ts)

const dayBefore = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const lastDays = (n: number): Period => ({ from: dayBefore(TREND_END, n - 1), to: TREND_END });

const time = (run: () => Promise<unknown>) => timeRuns(run, RUNS);

type Timing = { p50: number; p95: number };
export type TrendFigures = {
  mentions: number;
  generateSeconds: number;
  fill: { pairs: number; seconds: number; pairsPerSecond: number; mentionsPerSecond: number };
  queries: Record<string, { rollup: Timing; raw: Timing; ratio: number; same: boolean }>;
  lag: { seconds: number; passSeconds: number; passes: number; seen: boolean };
};

async function fill(db: DB) {
  const pairs = await queueAllStats(db);
  const t = Date.now();
  while ((await refreshStats(db, 5000)).length);
  const seconds = (Date.now() - t) / 1000;
  return { pairs, seconds: Number(seconds.toFixed(1)) };
}

// A new post for one school and a label correction for another, both on the last day; the worker has
// just finished a pass, sleeps POLL_MS, then runs the rollups job until both show (the worst case).
async function lag(db: DB, boardIds: string[], schoolIds: string[]) {
  const rollups = JOBS.find((j) => j.name === 'rollups')!;
  const [fresh, corrected] = [schoolIds[BOARDS + 1], schoolIds[2]];
  const freshBoard = boardIds[(BOARDS + 1) % BOARDS];
  const target = await firstCopyOf(db, corrected, TREND_END);
  const before = [await schoolDayCounts(db, fresh, TREND_END), await schoolDayCounts(db, corrected, TREND_END)];
  const boardBefore = (await boardTrend(db, [freshBoard], lastDays(1), 'day'))[0];
  const user = await trendBenchUser(db, boardIds[0]);
  const t0 = Date.now();
  await insertFreshMention(db, freshBoard, fresh, new Date(`${TREND_END}T10:00:00Z`), `lag-${t0}`);
  if (target)
    await correctLabel(
      db,
      target.id,
      user,
      { field: 'sentiment', value: target.shown_sentiment === 'positive' ? 'negative' : 'positive' },
      { sentiment: target.shown_sentiment, risks: [], classifier: null },
    );
  await new Promise((r) => setTimeout(r, POLL_MS));
  let passes = 0;
  let passMs = 0;
  let seen = false;
  while (!seen && Date.now() - t0 < 5 * TARGET_LAG_S * 1000) {
    const p = Date.now();
    await rollups.run(db);
    passMs = Math.max(passMs, Date.now() - p);
    passes++;
    const a = await schoolDayCounts(db, fresh, TREND_END);
    const b = await schoolDayCounts(db, corrected, TREND_END);
    const board = (await boardTrend(db, [freshBoard], lastDays(1), 'day'))[0];
    const total = (r: typeof board) => r.positive + r.neutral + r.negative;
    seen =
      a.mentions === before[0].mentions + 1 &&
      (!target || b.corrected === before[1].corrected + 1) &&
      total(board) === total(boardBefore) + 1;
  }
  return {
    seconds: Number(((Date.now() - t0) / 1000).toFixed(2)),
    passSeconds: Number((passMs / 1000).toFixed(2)),
    passes,
    seen,
  };
}

export async function trendsBench(): Promise<TrendFigures> {
  const bench = await openBenchDatabase('klankbord_bench_trends');
  const db = bench.db;
  try {
    await migrate(db);
    const { boardIds, schoolIds } = await trendBoards(db, BOARDS, SCHOOLS);
    const t = Date.now();
    // a database kept from an earlier run (DATABASE_URL) is measured as it is
    if ((await trendMentionCount(db)) === 0) await generateTrendMentions(db, boardIds, schoolIds, MENTIONS);
    const generateSeconds = Number(((Date.now() - t) / 1000).toFixed(1));
    const mentions = await trendMentionCount(db);
    console.error(`trends bench: ${mentions.toLocaleString('nl-NL')} berichten in ${generateSeconds} s`);
    const filled = await fill(db);
    console.error(`trends bench: ${filled.pairs} school-dagen geteld in ${filled.seconds} s`);
    if (await dirtyCount(db)) throw new Error('refresh_stats left changed days behind');
    await vacuumRollups(db);

    const [p90, p365, p7] = [lastDays(90), lastDays(365), lastDays(7)];
    const school = schoolIds[0]; // the most talked-about school, in board 0
    const board = boardIds[0];
    const pairs: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        'school90d',
        () => sentimentTrend(db, [school], p90, bucketOf(p90)),
        () => rawSchoolTrend(db, school, p90, bucketOf(p90)),
      ],
      [
        'school365d',
        () => sentimentTrend(db, [school], p365, bucketOf(p365)),
        () => rawSchoolTrend(db, school, p365, bucketOf(p365)),
      ],
      [
        'board365d',
        () => boardTrend(db, [board], p365, bucketOf(p365)),
        () => rawBoardTrend(db, [board], p365, bucketOf(p365)),
      ],
      [
        'national365d',
        () => nationalTrend(db, p365, bucketOf(p365)),
        () => rawBoardTrend(db, boardIds, p365, bucketOf(p365)),
      ],
      ['top20schools7d', () => topSchools(db, null, p7, 20), () => rawTopSchools(db, p7, 20)],
    ];
    const queries: TrendFigures['queries'] = {};
    for (const [name, rollup, raw] of pairs) {
      const same = JSON.stringify(await rollup()) === JSON.stringify(await raw());
      const r = await time(rollup);
      const w = await time(raw);
      queries[name] = { rollup: r, raw: w, ratio: Number((w.p95 / Math.max(r.p95, 0.01)).toFixed(1)), same };
      console.error(
        `trends bench: ${name} ${r.p95.toFixed(2)} ms (raw ${w.p95.toFixed(1)} ms)${same ? '' : ' VERSCHIL'}`,
      );
    }
    return {
      mentions,
      generateSeconds,
      fill: {
        ...filled,
        pairsPerSecond: Math.round(filled.pairs / Math.max(filled.seconds, 0.001)),
        mentionsPerSecond: Math.round(mentions / Math.max(filled.seconds, 0.001)),
      },
      queries,
      lag: await lag(db, boardIds, schoolIds),
    };
  } finally {
    await bench.close();
  }
}

const metLag = (f: TrendFigures) => f.lag.seen && f.lag.seconds <= TARGET_LAG_S;

export function trendsResults(f: TrendFigures): Result[] {
  const out: Result[] = [];
  for (const [name, q] of Object.entries(f.queries)) {
    const p95 = Number(q.rollup.p95.toFixed(2));
    out.push(
      {
        id: `trends.${name}.p95`,
        value: p95,
        unit: `ms at ${f.mentions} mentions`,
        target: TARGET_MS,
        met: p95 <= TARGET_MS && q.same,
      },
      { id: `trends.${name}.rawP95`, value: Number(q.raw.p95.toFixed(2)), unit: 'ms', target: null, met: null },
      { id: `trends.${name}.ratio`, value: q.ratio, unit: '× faster than raw', target: null, met: null },
    );
  }
  out.push(
    {
      id: 'trends.rollupLagSeconds',
      value: f.lag.seconds,
      unit: `s, worst case (${POLL_MS / 1000} s poll + passes)`,
      target: TARGET_LAG_S,
      met: metLag(f),
    },
    { id: 'trends.fill.pairsPerSecond', value: f.fill.pairsPerSecond, unit: 'school-days/s', target: null, met: null },
    {
      id: 'trends.fill.mentionsPerSecond',
      value: f.fill.mentionsPerSecond,
      unit: 'mentions/s',
      target: null,
      met: null,
    },
  );
  return out;
}

export function trendsReport(f: TrendFigures): string {
  const n = (x: number, d = 1) => x.toFixed(d).replace('.', ',');
  const ok = (v: boolean) => (v ? 'OK' : 'GEMIST');
  const names: Record<string, string> = {
    school90d: 'één school, 90 dagen',
    school365d: 'één school, 365 dagen',
    board365d: 'één bestuur, 365 dagen',
    national365d: 'landelijk, 365 dagen',
    top20schools7d: 'top 20 scholen, 7 dagen',
  };
  const lines = [
    `Trends (issue 19): ${SCHOOLS.toLocaleString('nl-NL')} scholen in ${BOARDS} besturen, ${f.mentions.toLocaleString('nl-NL')} berichten over 365 dagen; p50/p95 in ms over ${RUNS} keer (doel p95 ≤ ${TARGET_MS} ms)`,
    `  ${''.padEnd(26)}${'rollup'.padEnd(16)}${'ruwe GROUP BY'.padEnd(18)}verhouding`,
  ];
  for (const [name, q] of Object.entries(f.queries))
    lines.push(
      `  ${(names[name] ?? name).padEnd(26)}${`${n(q.rollup.p50, 2)}/${n(q.rollup.p95, 2)}`.padEnd(16)}${`${n(q.raw.p50)}/${n(q.raw.p95)}`.padEnd(18)}${`${n(q.ratio)}×`.padEnd(10)}${q.same ? '' : 'ANDERE UITKOMST  '}${ok(q.rollup.p95 <= TARGET_MS && q.same)}`,
    );
  lines.push(
    `  rollups vullen:                     ${f.fill.pairs.toLocaleString('nl-NL')} school-dagen in ${n(f.fill.seconds)} s (${f.fill.pairsPerSecond.toLocaleString('nl-NL')} school-dagen/s, ${f.fill.mentionsPerSecond.toLocaleString('nl-NL')} berichten/s)`,
    `  bijgewerkt na nieuw bericht en correctie: ${n(f.lag.seconds, 2)} s (${POLL_MS / 1000} s wachten + ${f.lag.passes} ronde(s), langste ${n(f.lag.passSeconds, 2)} s; doel ≤ ${TARGET_LAG_S} s)  ${ok(metLag(f))}`,
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { record } = await import('./results.ts');
  const f = await trendsBench();
  console.log(trendsReport(f));
  console.log(JSON.stringify({ trends: f }));
  record(...trendsResults(f));
}
