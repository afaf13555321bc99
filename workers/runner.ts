import crypto from 'node:crypto';
import os from 'node:os';
import type { DB } from '../server/db/index.ts';
import type { Source } from '../server/db/schema.ts';
import { log } from '../server/log.ts';
import { CollectError, type CollectContext } from './collectors/types.ts';
import { FetchError } from './http/guardedFetch.ts';
import { dueJobs, type Job } from './jobs.ts';
import { purgePreview, runSource } from './pipeline.ts';
import { releaseLeases } from '../server/db/sourceQueue.ts';
import { claimSources, finishFailure, finishSuccess } from './scheduler.ts';
import { startJetstream, type JetstreamSettings } from './stream.ts';

export const workerId = () => `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

async function handle(db: DB, source: Source, owner: string, ctx: CollectContext) {
  try {
    const r = await runSource(db, source, ctx);
    await finishSuccess(db, source, owner, r.result, r.inserted);
    log.info(
      { sourceId: source.id, kind: source.kind, collected: r.collected, matched: r.matched, newMentions: r.inserted },
      'collected',
    );
    return r.inserted;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof CollectError || err instanceof FetchError ? err.permanent : false;
    await finishFailure(
      db,
      source,
      owner,
      message,
      err instanceof CollectError ? err.retryAfterSeconds : undefined,
      permanent,
      err instanceof CollectError ? err.state : undefined,
    );
    log.warn({ sourceId: source.id, kind: source.kind, error: message }, 'collect failed');
    return 0;
  }
}

// How many sources one worker process works on at a time, unless told otherwise (`--concurrency`):
// one source's matching and classifying runs while another's batch is in the database.
export const WORKER_CONCURRENCY = 4;

// Collect every due source (or, with all, every enabled source) once, then return.
export async function collectOnce(db: DB, ctx: CollectContext, opts: { all?: boolean; concurrency?: number } = {}) {
  const owner = workerId();
  await purgePreview(db);
  const sources = await claimSources(db, owner, 10_000, opts);
  let next = 0;
  let inserted = 0;
  const lane = async () => {
    while (next < sources.length) {
      // not `inserted += await …`: that reads the total before the await and loses other lanes' counts
      const n = await handle(db, sources[next++], owner, ctx);
      inserted += n;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? WORKER_CONCURRENCY, sources.length) }, lane));
  return { sources: sources.length, inserted };
}

// How long a worker's lanes keep taking new sources before the jobs' turn (see startWorker).
export const TURN_MS = 5000;

export type Worker = { stop: () => Promise<void>; kick: () => void };

// A long-running worker: polls for due sources, works on up to `concurrency` at a time, and on
// stop() takes no new work, finishes what it holds and releases any lease it still has.
export function startWorker(
  db: DB,
  ctx: CollectContext,
  opts: { concurrency?: number; pollMs?: number; leaseSeconds?: number; jetstream?: JetstreamSettings } = {},
): Worker {
  const owner = workerId();
  // Every worker contends for the one Jetstream connection; the stream's lease decides who holds it.
  const stream = opts.jetstream && startJetstream(db, { ...opts.jetstream, owner });
  const concurrency = opts.concurrency ?? WORKER_CONCURRENCY;
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const last = new Map<string, number>();
  // One job at a time, each logged on its own line when it did something; a failing job is logged
  // with its stack and does not stop the others.
  const runJobs = async (jobs: Job[]) => {
    let did = false;
    for (const job of jobs) {
      if (stopping) break;
      last.set(job.name, Date.now());
      const started = Date.now();
      try {
        const result = await job.run(db);
        if (result) {
          did = true;
          log.info({ job: job.name, ms: Date.now() - started, ...result }, job.says);
        }
      } catch (err) {
        if (!stopping) log.error({ job: job.name, ms: Date.now() - started, error: err }, 'job failed');
      }
    }
    return did;
  };
  // Up to `concurrency` sources at a time, each lane taking the next due source as soon as its own is
  // stored. Taken in rounds (claim `concurrency`, wait for all), the round's slowest source held the
  // other slots idle: a warm process kept ~1.4 of 2 cores busy (bench/deploy.ts). The lanes take new
  // sources for a turn of TURN_MS, then finish what they hold, so the jobs still run in between (the
  // charts' rollups and mail every turn, as they ran every round), with no source in hand. A source
  // claimed just as the worker stops is left to stop(), which releases its lease.
  const claimOne = async () =>
    (await claimSources(db, owner, 1, { leaseSeconds: opts.leaseSeconds }))[0] as Source | undefined;
  const lane = async (turnEnds: number, first?: Source) => {
    for (let source = first ?? (await claimOne()); source && !stopping;) {
      await handle(db, source, owner, ctx);
      source = !stopping && Date.now() < turnEnds ? await claimOne() : undefined;
    }
  };
  const loop = (async () => {
    while (!stopping) {
      let first: Source | undefined;
      let idleWork = false;
      await runJobs(dueJobs(last, Date.now(), false));
      if (stopping) break;
      try {
        // one claim first: an idle worker asks once per poll, not once per lane
        first = await claimOne();
        if (first && !stopping) {
          const turnEnds = Date.now() + TURN_MS;
          const lanes = [lane(turnEnds, first), ...Array.from({ length: concurrency - 1 }, () => lane(turnEnds))];
          // allSettled: a lane that fails (the database gone) must not leave the others running into the next turn
          const failed = (await Promise.allSettled(lanes)).flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
          if (failed.length && !stopping) log.error({ error: failed[0], lanes: failed.length }, 'worker loop error');
        }
      } catch (err) {
        if (!stopping) log.error({ error: err }, 'worker loop error');
      }
      // Idle time goes to mentions a newer classifier version has not seen yet, and to filing cases.
      if (!first && !stopping) idleWork = await runJobs(dueJobs(last, Date.now(), true).filter((j) => j.idle));
      if (!first && !idleWork && !stopping) await sleep(opts.pollMs ?? 5000);
    }
  })();
  log.info({ worker: owner }, 'worker started');
  return {
    kick: () => wake?.(),
    stop: async () => {
      stopping = true;
      wake?.();
      await Promise.all([loop, stream?.stop()]);
      await releaseLeases(db, owner).catch(() => {});
    },
  };
}
