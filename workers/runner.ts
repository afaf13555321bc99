import crypto from 'node:crypto';
import os from 'node:os';
import type { DB } from '../server/db/index.ts';
import type { Source } from '../server/db/schema.ts';
import { log } from '../server/log.ts';
import { CollectError, type CollectContext } from './collectors/types.ts';
import { FetchError } from './http/guardedFetch.ts';
import { CLASSIFIER } from './classify/index.ts';
import { reclassifyBatch } from './classifications.ts';
import { backfillCases } from './cases/backfill.ts';
import { detectSpikes } from './cases/spike.ts';
import { queueDigests, sendPending } from './mail/outbox.ts';
import { purgePreview, runSource } from './pipeline.ts';
import { claimSources, finishFailure, finishSuccess, releaseLeases } from './scheduler.ts';

export const workerId = () => `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

async function handle(db: DB, source: Source, owner: string, ctx: CollectContext) {
  try {
    const r = await runSource(db, source, ctx);
    await finishSuccess(db, source, owner, r.result, r.inserted);
    log.info({ sourceId: source.id, kind: source.kind, collected: r.collected, matched: r.matched, newMentions: r.inserted }, 'collected');
    return r.inserted;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof CollectError || err instanceof FetchError ? err.permanent : false;
    await finishFailure(db, source, owner, message, err instanceof CollectError ? err.retryAfterSeconds : undefined, permanent, err instanceof CollectError ? err.state : undefined);
    log.warn({ sourceId: source.id, kind: source.kind, error: message }, 'collect failed');
    return 0;
  }
}

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
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, sources.length) }, lane));
  return { sources: sources.length, inserted };
}

export type Worker = { stop: () => Promise<void>; kick: () => void };

// A long-running worker: polls for due sources, works on up to `concurrency` at a time, and on
// stop() takes no new work, finishes what it holds and releases any lease it still has.
export function startWorker(db: DB, ctx: CollectContext, opts: { concurrency?: number; pollMs?: number; leaseSeconds?: number } = {}): Worker {
  const owner = workerId();
  const concurrency = opts.concurrency ?? 4;
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
  let lastPurge = 0;
  let lastDigestCheck = 0;
  let lastSpikeCheck = 0;
  const loop = (async () => {
    while (!stopping) {
      let claimed: Source[] = [];
      let reclassified = 0;
      try {
        // Every worker closes the preview window now and then; the delete is idempotent.
        if (Date.now() - lastPurge > 10 * 60_000) {
          lastPurge = Date.now();
          const purged = await purgePreview(db);
          if (purged) log.info({ purged }, 'preview window: old unmatched items deleted');
        }
        // Mail: the day's digests once a minute at most, and whatever is due in the outbox.
        if (Date.now() - lastDigestCheck > 60_000) {
          lastDigestCheck = Date.now();
          const digests = await queueDigests(db);
          if (digests) log.info({ digests }, 'daily digests queued');
        }
        if (Date.now() - lastSpikeCheck > 10 * 60_000) {
          lastSpikeCheck = Date.now();
          const spikes = await detectSpikes(db);
          if (spikes.length) log.info({ spikes }, 'online discussion rising well above baseline: escalate prompts raised');
        }
        const mail = await sendPending(db);
        if (mail.sent || mail.failed) log.info(mail, 'mail sent');
        claimed = await claimSources(db, owner, concurrency, { leaseSeconds: opts.leaseSeconds });
        await Promise.all(claimed.map((s) => handle(db, s, owner, ctx)));
        // Idle time goes to mentions a newer classifier version has not seen yet.
        if (!claimed.length) {
          reclassified = await reclassifyBatch(db);
          if (reclassified) log.info({ reclassified, classifier: CLASSIFIER }, 'stored mentions re-classified');
          const filed = await backfillCases(db);
          if (filed) log.info({ filed }, 'recent mentions filed into cases');
          reclassified += filed;
        }
      } catch (err) {
        if (!stopping) log.error({ error: err }, 'worker loop error');
      }
      if (!claimed.length && !reclassified && !stopping) await sleep(opts.pollMs ?? 5000);
    }
  })();
  log.info({ worker: owner }, 'worker started');
  return {
    kick: () => wake?.(),
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
      await releaseLeases(db, owner).catch(() => {});
    },
  };
}
