import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importBoard } from '../server/actions/boardConfig.ts';
import { parseBoardFile } from '../server/actions/boardFile.ts';
import { connect, ensureDatabase } from '../server/db/index.ts';
import {
  caseCount,
  countingConnection,
  createScratchMentions,
  rssSources,
  insertScratchMentions,
  storedMentionRows,
  storyViolations,
} from '../server/db/bench.ts';
import { startEmbedded } from '../server/db/embedded.ts';
import { migrate } from '../server/db/migrate.ts';
import { ensureMentionPartitions } from '../server/db/partitions.ts';
import { APP_ROLE, ensureAppRole, grantAppRole } from '../server/db/roles.ts';
import { processItems } from '../workers/pipeline.ts';
import { labelThreadCount } from '../workers/labelThreads.ts';
import { WORKER_CONCURRENCY } from '../workers/runner.ts';
import { boardFile, items, ITEMS, NOW, SOURCES, warmUp } from './ingestItems.ts';
import { record } from './results.ts';

// Ingestion speed (issue 18), in one run against one fresh embedded database: 50 sources × 200
// realistic items (bench/ingestItems.ts) through processItems, against a plain multi-row INSERT of
// the very rows it stored into a scratch copy of the mentions table (same columns, defaults, checks
// and indexes; no foreign keys), 200 rows a statement like the pipeline's batches. The database's
// share is the time the pipeline waited for its statements; the rest is matching and classifying.
// Then a worker process as it runs (bench/ingestLane.ts: WORKER_CONCURRENCY sources at a time, so one
// source's classifying overlaps another's statements) on 50 other sources: the target is judged on
// that; and two such processes at once, 25 other sources each.

const TARGET_RATIO = 0.25;

async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-bench-'));
  fs.chmodSync(dir, 0o711);
  const server = await startEmbedded(dir);
  try {
    await ensureDatabase(server.url, 'bench');
    const ownerUrl = new URL(server.url);
    ownerUrl.pathname = '/bench';
    const owner = connect(ownerUrl.toString(), 1);
    const password = crypto.randomBytes(18).toString('base64url');
    await migrate(owner.db);
    // the month of the bench's clock, where its posts are collected (the pipeline dates them by it), as
    // a worker's current month is
    await ensureMentionPartitions(owner.db, NOW, 1);
    await createScratchMentions(owner.db);
    await ensureAppRole(owner.db, APP_ROLE, password);
    await grantAppRole(owner.db, APP_ROLE);
    await owner.close();
    const appUrl = new URL(ownerUrl);
    appUrl.username = APP_ROLE;
    appUrl.password = password;
    const app = countingConnection(appUrl.toString(), 10);
    try {
      return await measure(app, appUrl.toString());
    } finally {
      await app.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Each process stores the items of sources [from, to); they start together once all are warm, each
// warmed on sources of its own (block: which WARM_SOURCES of the warm-up sources).
async function workerProcesses(url: string, ranges: number[][], firstBlock: number) {
  const lanes = ranges.map(([from, to], i) =>
    fork(path.join(import.meta.dirname, 'ingestLane.ts'), [url, String(from), String(to), String(firstBlock + i)], {
      execArgv: ['--import', 'tsx'],
    }),
  );
  const message = (p: (typeof lanes)[number]) =>
    new Promise<{ stored?: number }>((resolve, reject) => {
      p.once('message', (m) => resolve(m as { stored?: number }));
      p.once('exit', (code) => reject(new Error(`bench/ingestLane.ts stopte (${code})`)));
    });
  await Promise.all(lanes.map(message));
  const t = performance.now();
  const done = lanes.map(message);
  for (const p of lanes) p.send('go');
  const stored = (await Promise.all(done)).reduce((a, m) => a + (m.stored ?? 0), 0);
  const seconds = (performance.now() - t) / 1000;
  return { stored, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(stored / seconds) };
}

async function measure(app: ReturnType<typeof countingConnection>, url: string) {
  const db = app.db;
  await importBoard(db, parseBoardFile(boardFile()), 'bench');
  const sources = await rssSources(db);
  const feeds = sources.slice(0, SOURCES).map((s, n) => ({ source: s, items: items(n) }));
  const boardId = sources[0].board_id;
  // warm-up: lexicons, model weights, the matcher and the classification threads are loaded before
  // anything is timed
  await processItems(db, sources[0], warmUp(feeds[0].items, 'warm-up'), { now: NOW });

  // One pipeline, the first 50 sources in turn.
  const before = app.statements();
  const beforeMs = app.statementMs();
  let t = performance.now();
  let stored = 0;
  let matched = 0;
  for (const f of feeds.slice(0, SOURCES)) {
    const r = await processItems(db, f.source, f.items, { now: NOW });
    stored += r.inserted;
    matched += r.matched;
  }
  const seconds = (performance.now() - t) / 1000;
  const statements = app.statements() - before;
  const databaseSeconds = (app.statementMs() - beforeMs) / 1000;

  // Worker processes on other sources, timed from when they are warm: one process on 50 sources,
  // then two at once on 25 each (later, so on a larger database: if anything, to their disadvantage).
  const one = await workerProcesses(url, [[SOURCES, SOURCES * 2]], 0);
  const two = await workerProcesses(
    url,
    [
      [SOURCES * 2, SOURCES * 2.5],
      [SOURCES * 2.5, SOURCES * 3],
    ],
    1,
  );

  // The pipeline and three worker processes (four sources at a time each) stored the same 40 stories,
  // two processes at once: each is still one story.
  const stories = await storyViolations(db);

  // The same rows, once more, as plain multi-row INSERTs.
  const rows = (await storedMentionRows(db, boardId))
    .filter((r) => !r.external_id.startsWith('warm-up'))
    .slice(0, stored);
  t = performance.now();
  for (let i = 0; i < rows.length; i += 200) await insertScratchMentions(db, rows.slice(i, i + 200));
  const plainSeconds = (performance.now() - t) / 1000;

  const perSecond = Math.round(stored / seconds);
  const plainPerSecond = Math.round(rows.length / plainSeconds);
  const ratio = Math.round((one.perSecond / plainPerSecond) * 1000) / 1000;
  const sequentialRatio = Math.round((perSecond / plainPerSecond) * 1000) / 1000;
  const perMention = Math.round((statements / stored) * 100) / 100;
  return {
    sources: SOURCES,
    items: SOURCES * ITEMS,
    matched,
    stored,
    seconds: Math.round(seconds * 100) / 100,
    perSecond,
    // the database's share: the time the pipeline waited for its statements
    databaseSeconds: Math.round(databaseSeconds * 100) / 100,
    storePerSecond: Math.round(stored / databaseSeconds),
    storeRatio: Math.round((stored / databaseSeconds / plainPerSecond) * 1000) / 1000,
    plainRows: rows.length,
    plainPerSecond,
    ratio,
    sequentialRatio,
    statements,
    statementsPerMention: perMention,
    cases: await caseCount(db),
    labelThreads: labelThreadCount(),
    oneProcess: one,
    twoProcesses: two,
    stories,
    storyViolations: Object.values(stories).reduce((a, b) => a + b, 0),
    targets: { ratio: ratio >= TARGET_RATIO },
  };
}

export const ingestBench = await run();
const b = ingestBench;
record(
  {
    id: 'ingest.mentionsPerSecond',
    value: b.oneProcess.perSecond,
    unit: 'mentions/s',
    target: Math.ceil(b.plainPerSecond * TARGET_RATIO),
    met: b.targets.ratio,
  },
  { id: 'ingest.sequentialPerSecond', value: b.perSecond, unit: 'mentions/s', target: null, met: null },
  {
    id: 'ingest.sequentialRatioToInsert',
    value: b.sequentialRatio,
    unit: '× multi-row INSERT',
    target: null,
    met: null,
  },
  { id: 'ingest.insertRowsPerSecond', value: b.plainPerSecond, unit: 'rows/s', target: null, met: null },
  {
    id: 'ingest.ratioToInsert',
    value: b.ratio,
    unit: '× multi-row INSERT',
    target: TARGET_RATIO,
    met: b.targets.ratio,
  },
  // 13.3 before issue 18; lower is better, no target of its own
  { id: 'ingest.statementsPerMention', value: b.statementsPerMention, unit: 'statements', target: null, met: null },
  { id: 'ingest.processes1PerSecond', value: b.oneProcess.perSecond, unit: 'mentions/s', target: null, met: null },
  { id: 'ingest.processes2PerSecond', value: b.twoProcesses.perSecond, unit: 'mentions/s', target: null, met: null },
  {
    id: 'ingest.storyViolations',
    value: b.storyViolations,
    unit: 'violations',
    target: 0,
    met: b.storyViolations === 0,
  },
);

const nl = (n: number) => n.toLocaleString('nl-NL');
export const ingestReport = () => `
Inname (issue 18): ${b.sources} bronnen × ${b.items / b.sources} berichten via processItems, ${nl(b.matched)} bij een school, ${nl(b.stored)} opgeslagen, ${nl(b.cases)} zaken
  één bron tegelijk: ${nl(b.perSecond)} vermeldingen/s (${nl(b.seconds)} s, matchen en classificeren inbegrepen; ${nl(b.sequentialRatio)} × gewone INSERT)
  database-aandeel:  ${nl(b.databaseSeconds)} s wachten op statements = ${nl(b.storePerSecond)} vermeldingen/s (${nl(b.storeRatio)} × gewone INSERT)
  gewone INSERT:     ${nl(b.plainPerSecond)} rijen/s (dezelfde ${nl(b.plainRows)} rijen, 200 per statement, in een kopie van mentions)
  1 werkproces:      ${nl(b.oneProcess.perSecond)} vermeldingen/s (${nl(b.oneProcess.stored)} op 50 andere bronnen, ${WORKER_CONCURRENCY} tegelijk zoals de worker, ${b.labelThreads} classificatiethread(s))
  verhouding:        ${nl(b.ratio)} (werkproces ÷ gewone INSERT; doel ≥ ${nl(TARGET_RATIO)})  ${b.targets.ratio ? 'OK' : 'GEMIST'}
  statements:        ${nl(b.statementsPerMention)} per vermelding (${nl(b.statements)}, BEGIN en COMMIT meegeteld; was 13,3)
  2 werkprocessen:   ${nl(b.twoProcesses.perSecond)} vermeldingen/s samen (${nl(b.twoProcesses.stored)} op weer 50 andere, 25 elk; ${nl(Math.round((b.twoProcesses.perSecond / b.oneProcess.perSecond) * 100) / 100)}× één proces)
  verhalen:          ${b.storyViolations === 0 ? 'elk verhaal één leider, kopieën en tellingen kloppen' : `${nl(b.storyViolations)} ${b.storyViolations === 1 ? 'fout' : 'fouten'}: ${JSON.stringify(b.stories)}`}  ${b.storyViolations === 0 ? 'OK' : 'FOUT'}`;
