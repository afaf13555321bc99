import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { importBoard } from '../server/actions/boardConfig.ts';
import { parseBoardFile } from '../server/actions/boardFile.ts';
import { startEmbedded } from '../server/db/embedded.ts';
import { connect, ensureDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { streamMentionsAfter } from '../server/db/streams.ts';
import { BSKY_SITE, JETSTREAM_KIND, parseFrame, readFrame } from '../workers/collectors/blueskyJetstream.ts';
import { deploymentMatcher } from '../workers/match/board.ts';
import { startJetstream } from '../workers/stream.ts';

// Issue 18: Bluesky's Jetstream. (1) Events per second on one core through what every event costs
// in workers/stream.ts: the screen over the raw frame, and for frames it cannot rule out JSON.parse
// and the one matcher over 7,300 schools (their generated default queries, ten boards). Posts mix
// Dutch and English words with accents and emoji, so part of the frames take the non-ASCII path. (2) Post → inbox latency, p95, end to end into PostgreSQL (embedded, a throwaway data
// directory): a local Jetstream-shaped server in a worker thread replays posts at 10,000 events/s
// (ten times Bluesky's peak of about 1,000 posts/s) and the inbox is polled for each stored post.

const SCHOOLS = 7300;
const BOARDS = 10;
const FRAMES = 20_000;
const MATCH_SHARE = 0.01; // far more than reality: at most a handful of posts a day name a Dutch school
// In the replay: still ten times what a generous guess of reality would give (10 stored posts a second).
const REPLAY_MATCH_SHARE = 0.001;
const REPLAY_RATE = 10_000;
const REPLAY_SECONDS = 15;

function rng(seed: number) {
  return () => {
    seed = (seed + 0x9e3779b9) | 0;
    let t = Math.imul(seed ^ (seed >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
  };
}
const rand = rng(18_2026);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const SYL = 'bor,ke,lin,de,zon,ster,wa,hof,meer,bron,dal,ven,lei,gaard,horst,ak,pel,rij,vaart,es,bos,wijk,mo,ter'.split(
  ',',
);
const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
const made = new Set<string>();
const core = (): string => {
  const w = cap(Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYL)).join(''));
  return made.has(w) ? core() : (made.add(w), w);
};
const places = Array.from({ length: 600 }, core);
const schools = Array.from({ length: SCHOOLS }, (_, i) => {
  const c = core();
  return {
    id: String(i + 1),
    boardId: String((i % BOARDS) + 1),
    name: `${pick(['obs', 'cbs', 'rkbs', 'ikc', 'basisschool'])} ${pick(['De ', 'Het ', ''])}${c}`,
    aliases: [`${c}school`],
    place: pick(places),
    query: null,
  };
});
const boards = Array.from({ length: BOARDS }, (_, i) => ({ id: String(i + 1), exclusions: null }));

const WORDS =
  'the a and to of in is it you that was for on are with this be at have just so my not but what all like out today new love good time one day more people get now really got going think know see would make back vandaag de het een en van in op met voor naar over bij was is zijn mooi weer goed nieuws dag week feest buurt fiets regen zon school kinderen ouders'.split(
    ' ',
  );
const NON_ASCII_WORDS = ['één', 'café', 'geïnteresseerd', 'privé', '😀', '🎉', '❤️', '👍🏽', '—', '“echt”'];
function text(mention?: (typeof schools)[number]): string {
  const words: string[] = [];
  const at = Math.floor(rand() * 8);
  // about a third of posts carry an accent or an emoji somewhere
  const extra = rand() < 0.35 ? Math.floor(rand() * 12) : -1;
  while (words.join(' ').length < 120 + rand() * 60) {
    if (words.length === extra) words.push(pick(NON_ASCII_WORDS));
    if (mention && words.length === at)
      words.push(rand() < 0.5 ? mention.name : `${mention.aliases[0]} in ${mention.place}`);
    else words.push(pick(WORDS));
  }
  return words.join(' ');
}
const texts = Array.from({ length: FRAMES }, () => text(rand() < MATCH_SHARE ? pick(schools) : undefined));
const replayTexts = Array.from({ length: FRAMES }, () => text(rand() < REPLAY_MATCH_SHARE ? pick(schools) : undefined));
const langs = (i: number) => (i % 10 === 0 ? undefined : i % 3 === 0 ? ['nl'] : ['en']);
const frame = (i: number, us: number, t: string) =>
  JSON.stringify({
    did: `did:plc:bench${i % 5000}`,
    time_us: us,
    kind: 'commit',
    commit: {
      rev: `3lbench${i}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: `r${i}`,
      record: { $type: 'app.bsky.feed.post', createdAt: '2024-09-09T19:46:02.102Z', langs: langs(i), text: t },
      cid: 'bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi',
    },
  });
const frames = texts.map((t, i) => frame(i, 1_725_911_162_000_000 + i, t));

// (1) parse → match, one core, median of three rounds after a warm-up.
const matcher = deploymentMatcher(schools, boards, JETSTREAM_KIND);
const collect = () => (globalThis as { gc?: () => void }).gc?.();
const once = () => {
  let matched = 0;
  for (const f of frames) {
    const e = readFrame(f, matcher.couldMatchText);
    if (e.bad || !e.post) continue;
    const p = e.post;
    if (
      matcher.match({
        text: p.text,
        author: p.did,
        url: BSKY_SITE,
        lang: p.lang,
      }).size
    )
      matched++;
  }
  return matched;
};
// The screen must not change what is found: the same frames through the full parse and match.
const full = () =>
  frames.filter((f) => {
    const e = parseFrame(f);
    return (
      !e.bad &&
      e.post &&
      matcher.match({ text: e.post.text, author: e.post.did, url: BSKY_SITE, lang: e.post.lang }).size
    );
  }).length;
if (once() !== full()) throw new Error('jetstream bench: the screen passed over a frame the matcher finds a school in');
const rates: number[] = [];
let matchedPerRound = 0;
for (let round = 0; round < 3; round++) {
  collect();
  const t0 = performance.now();
  for (let k = 0; k < 5; k++) matchedPerRound = once();
  rates.push((5 * FRAMES) / ((performance.now() - t0) / 1000));
}
const eventsPerSecond = Math.round([...rates].sort((a, b) => a - b)[1]);

// (2) latency into PostgreSQL under a 10× peak replay.
const REPLAY = `(async () => {
const { parentPort, workerData } = await import('node:worker_threads');
const ws = await import(workerData.ws);
const WebSocketServer = ws.WebSocketServer ?? ws.default.WebSocketServer;
const { texts, rate, seconds } = workerData;
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('listening', () => parentPort.postMessage({ port: wss.address().port }));
wss.on('connection', (ws) => {
  let seq = 0, last = 0;
  const start = Date.now(), total = rate * seconds;
  const tick = () => {
    const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000));
    for (; seq < due; seq++) {
      last = Math.max(last + 1, Date.now() * 1000);
      ws.send(JSON.stringify({ did: 'did:plc:replay' + (seq % 5000), time_us: last, kind: 'commit',
        commit: { rev: 'r' + seq, operation: 'create', collection: 'app.bsky.feed.post', rkey: 's' + seq + '-' + last,
          record: { $type: 'app.bsky.feed.post', createdAt: new Date().toISOString(), langs: ['nl'], text: texts[seq % texts.length] + ' #' + seq },
          cid: 'bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi' } }));
    }
    if (seq < total) setTimeout(tick, 5);
    else parentPort.postMessage({ sent: seq, ms: Date.now() - start });
  };
  tick();
});
})();`;

async function latency() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-bench-jetstream-'));
  fs.chmodSync(dir, 0o711);
  const server = await startEmbedded(dir);
  try {
    await ensureDatabase(server.url, 'klankbord_bench');
    const u = new URL(server.url);
    u.pathname = '/klankbord_bench';
    const conn = connect(u.toString(), 10);
    try {
      await migrate(conn.db);
      for (const b of boards) {
        const own = schools.filter((s) => s.boardId === b.id);
        const yaml = `board: { slug: bestuur-${b.id}, name: Bestuur ${b.id} }\nschools:\n${own
          .map((s) => `  - { slug: s${s.id}, name: "${s.name}", aliases: ["${s.aliases[0]}"], place: "${s.place}" }`)
          .join('\n')}\n`;
        await importBoard(conn.db, parseBoardFile(yaml), 'bench');
      }
      const worker = new Worker(REPLAY, {
        eval: true,
        workerData: {
          ws: pathToFileURL(createRequire(import.meta.url).resolve('ws')).href,
          texts: replayTexts,
          rate: REPLAY_RATE,
          seconds: REPLAY_SECONDS,
        },
      });
      const port = await new Promise<number>((r) => worker.once('message', (m) => r(m.port)));
      const replayed = new Promise<{ sent: number; ms: number }>((r) => worker.on('message', (m) => m.sent && r(m)));
      const stream = startJetstream(conn.db, {
        url: `ws://127.0.0.1:${port}/subscribe`,
        collections: ['app.bsky.feed.post'],
        owner: 'bench',
      });
      const latencies: number[] = [];
      let after = '0';
      let done: { sent: number; ms: number } | undefined;
      void replayed.then((d) => (done = d));
      let quietSince = Date.now();
      while (!done || Date.now() - quietSince < 3000) {
        await new Promise((r) => setTimeout(r, 25));
        const rows = await streamMentionsAfter(conn.db, JETSTREAM_KIND, after);
        const seen = Date.now();
        if (rows.length) quietSince = seen;
        for (const r of rows) {
          after = r.id;
          latencies.push(seen - Number(r.external_id.split('-').pop()) / 1000);
        }
      }
      const stats = stream.stats();
      await stream.stop();
      await worker.terminate();
      latencies.sort((a, b) => a - b);
      const q = (p: number) =>
        Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN);
      return {
        sent: done.sent,
        sentPerSecond: Math.round(done.sent / (done.ms / 1000)),
        events: stats.events,
        stored: latencies.length,
        p50Ms: q(0.5),
        p95Ms: q(0.95),
        maxMs: Math.round(latencies.at(-1) ?? NaN),
        maxQueued: stats.maxQueued,
        pauses: stats.pauses,
      };
    } finally {
      await conn.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const replay = await latency();
export const jetstreamBench = {
  schools: SCHOOLS,
  boards: BOARDS,
  frames: FRAMES,
  matchShare: MATCH_SHARE,
  eventsPerSecondPerCore: eventsPerSecond,
  matchedPerRound,
  rounds: rates.map(Math.round),
  replay: { rate: REPLAY_RATE, seconds: REPLAY_SECONDS, matchShare: REPLAY_MATCH_SHARE, ...replay },
  targets: { eventsPerSecond: eventsPerSecond >= 250_000, latencyP95: replay.p95Ms <= 5000 },
};
