import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { labelMention, type Labelling } from './labelling.ts';
import type { Classification } from './classify/types.ts';
import type { Preset } from './policy/types.ts';

// Classifying costs ~0.5 ms of CPU per mention, two thirds of what storing a post costs the worker. On
// the main thread it blocks everything else the process does — the statements of the other sources'
// batches, holding their story and case locks, wait for it. So a batch's mentions are labelled on
// classification threads (workers/labelThread.ts) while the main thread talks to the database.
// KLANKBORD_LABEL_THREADS sets how many (0: on the main thread); by default one per core but one, at
// least one, at most four. A few mentions (a report, a stream's trickle) are labelled in place: sending
// them costs more than labelling them.

export const IN_PLACE_BELOW = 8;
const CHUNK = 50;
const THREAD = new URL('./labelThread.ts', import.meta.url);

// Read as server/config.ts checks it at start (a whole number, 0–16); anything else: the default.
export function labelThreadCount(env: NodeJS.ProcessEnv = process.env, node = process.versions.node): number {
  // Node 22.2.0 hangs when a worker registers module hooks (nodejs/node#53182, fixed in 22.3.0)
  if (node === '22.2.0') return 0;
  const set = env.KLANKBORD_LABEL_THREADS?.trim();
  const n = Number(set);
  if (set && Number.isInteger(n) && n >= 0 && n <= 16) return n;
  return Math.min(4, Math.max(1, os.availableParallelism() - 1));
}

type Pending = { size: number; resolve: (labels: Classification[]) => void; reject: (err: Error) => void };
// known: the presets this thread has been sent (by presetKey)
type Thread = { worker: Worker; pending: Map<number, Pending>; load: number; known: Set<string> };

let threads: Thread[] = [];
let nextId = 0;

// The thread registers the TypeScript loader the process runs under (tsx) before it loads its
// module: a worker's own `--import` does not reach its first module on Node 20.
// Only dynamic imports: the code runs as a script or, under `--input-type=module`, as a module.
const BOOT = `import('node:worker_threads').then(({ workerData }) =>
  import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.thread); }));`;
function tsxApi() {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as TsxPackage).exports['./esm/api'].import.default;
  return pathToFileURL(path.join(path.dirname(pkg), api)).href;
}
type TsxPackage = { exports: { './esm/api': { import: { default: string } } } };

function start(): Thread {
  const worker = new Worker(BOOT, { eval: true, workerData: { tsx: tsxApi(), thread: THREAD.href } });
  const t: Thread = { worker, pending: new Map(), load: 0, known: new Set() };
  const fail = (err: Error) => {
    threads = threads.filter((x) => x !== t);
    for (const p of t.pending.values()) p.reject(err);
    t.pending.clear();
  };
  worker.on('message', (m: { id: number; labels?: Classification[]; error?: string }) => {
    const p = t.pending.get(m.id);
    if (!p) return;
    t.pending.delete(m.id);
    t.load -= p.size;
    if (!t.pending.size) worker.unref();
    if (m.error !== undefined) p.reject(new Error(`classificeren mislukt: ${m.error}`));
    else p.resolve(m.labels!);
  });
  worker.on('error', (err) => fail(new Error(`classificatiethread gestopt: ${err.message}`)));
  // an answer that cannot be read would leave its batch waiting for good: the thread is given up
  worker.on('messageerror', (err) => {
    fail(new Error(`classificatiethread onleesbaar: ${err.message}`));
    void worker.terminate();
  });
  worker.on('exit', (code) => fail(new Error(`classificatiethread gestopt (code ${code})`)));
  worker.unref();
  return t;
}

function send(t: Thread, m: LabelMessage): Promise<Classification[]> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    t.pending.set(id, { size: m.items.length, resolve, reject });
    t.load += m.items.length;
    t.worker.ref(); // a process waiting for labels does not exit
    try {
      t.worker.postMessage({ id, ...m });
    } catch (err) {
      // not sent (a post that cannot be copied): as if never asked, and the thread still lacks these rules
      t.pending.delete(id);
      t.load -= m.items.length;
      if (!t.pending.size) t.worker.unref();
      for (const k of Object.keys(m.presets)) t.known.delete(k);
      reject(new Error(`classificeren mislukt: ${err instanceof Error ? err.message : String(err)}`));
    }
  });
}

// The least loaded thread, or a new one while there are fewer than allowed.
function pick(count: number): Thread {
  const idle = threads.find((t) => t.load === 0);
  if (idle) return idle;
  if (threads.length < count) {
    const t = start();
    threads.push(t);
    return t;
  }
  return threads.reduce((a, b) => (b.load < a.load ? b : a));
}

// Each mention's labels, in order: the same as labelMention gives for each.
export async function labelMentions(items: Labelling[], count = labelThreadCount()): Promise<Classification[]> {
  if (count === 0 || items.length < IN_PLACE_BELOW) return items.map(labelMention);
  const chunks: Promise<Classification[]>[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const t = pick(count);
    chunks.push(send(t, labelMessage(items.slice(i, i + CHUNK), t.known)));
  }
  return (await Promise.all(chunks)).flat();
}

// A board's rules (its policy preset) go to a thread once, under a key of their content, and the thread
// keeps that copy: the rules' phrase lists are compiled per wording (workers/policy/engine.ts), and a
// copy sent with every chunk cost more to send than the chunk's posts. The same rules read again (in a
// transaction, or after a restart of the cache) have the same key, so a thread keeps one copy of each.
const presetKeys = new WeakMap<Preset, string>();
function presetKey(p: Preset): string {
  let k = presetKeys.get(p);
  if (k === undefined) presetKeys.set(p, (k = createHash('sha256').update(JSON.stringify(p)).digest('base64url')));
  return k;
}

// A chunk's message: each mention with its preset's key, and the presets `known` lacks (added to it).
export function labelMessage(items: Labelling[], known: Set<string>): LabelMessage {
  const presets: Record<string, Preset> = {};
  const rows = items.map(({ preset, ...rest }) => {
    const k = presetKey(preset);
    if (!known.has(k)) {
      known.add(k);
      presets[k] = preset;
    }
    return { ...rest, preset: k };
  });
  return { presets, items: rows };
}

export type LabelMessage = {
  presets: Record<string, Preset>;
  items: (Omit<Labelling, 'preset'> & { preset: string })[];
};

// Stops the threads (tests, a process shutting down); the next labelling starts new ones.
export async function stopLabelThreads() {
  const all = threads;
  threads = [];
  await Promise.all(all.map((t) => t.worker.terminate()));
}
