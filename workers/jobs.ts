import type { DB } from '../server/db/index.ts';
import { CLASSIFIER } from './classify/index.ts';
import { maskSearchBatch, reclassifyBatch } from './classifications.ts';
import { backfillCases } from './cases/backfill.ts';
import { detectSpikes } from './cases/spike.ts';
import { queueDigests, sendPending } from './mail/outbox.ts';
import { queueMonthlyReports } from './mail/monthlyReports.ts';
import { purgePreview } from './pipeline.ts';
import { deleteExpiredSessions } from '../server/db/sessions.ts';
import { deleteExpiredLoginTickets } from '../server/db/totp.ts';
import { boardIds, purgeBoard, retentionOf } from '../server/db/retention.ts';
import { purgeDeletedSources } from '../server/db/sources.ts';
import { purgeArchivedSchools } from '../server/db/schools.ts';
import { jobDone, markJobDone } from '../server/db/jobState.ts';
import { rollupStats } from './stats/rollup.ts';
import { dropExpiredMonths, ensureMentionPartitions } from '../server/db/partitions.ts';

// All background work besides collecting, in one list. Every worker process runs the list; each job
// is bounded (a batch, a claimed day, an idempotent delete), so any number of workers can share it.
// `every`: at most once per this many ms per worker (0: every pass); `idle`: only when the pass
// collected nothing. `run` returns how much it did; a job that did something is logged with `says`.
// `now` is for tests of jobs that act on dates; the runner leaves it out.
export const RETENTION_EVERY = 6 * 60 * 60_000;

export type Job = {
  name: string;
  every: number;
  idle?: boolean;
  says: string;
  run: (db: DB, now?: Date) => Promise<Record<string, unknown> | undefined>;
};

const count = (key: string, n: number, extra: Record<string, unknown> = {}) => (n ? { [key]: n, ...extra } : undefined);

export const JOBS: readonly Job[] = [
  {
    name: 'purge-preview',
    every: 10 * 60_000,
    says: 'preview window: old unmatched items deleted',
    run: async (db) => count('purged', await purgePreview(db)),
  },
  {
    name: 'purge-sessions',
    every: 60 * 60_000,
    says: 'expired sessions and login tickets deleted',
    run: async (db) => {
      const sessions = await deleteExpiredSessions(db);
      const loginTickets = await deleteExpiredLoginTickets(db);
      return sessions || loginTickets ? { sessions, loginTickets } : undefined;
    },
  },
  {
    // Each board's terms (sql/0015_retention.sql), a bounded batch per table per pass.
    name: 'retention',
    every: RETENTION_EVERY,
    says: 'retention: old data deleted',
    run: async (db, at) => {
      const totals: Record<string, number> = {};
      for (const id of await boardIds(db)) {
        const now = at ?? new Date();
        const purged = {
          ...(await purgeBoard(db, id, await retentionOf(db, id), now)),
          sources: await purgeDeletedSources(db, id, now),
          ...(await purgeArchivedSchools(db, id, now)),
        };
        for (const [k, n] of Object.entries(purged)) if (n) totals[k] = (totals[k] ?? 0) + n;
      }
      // after the row purge: a month none of whose posts any board keeps goes as a whole
      const months = await dropExpiredMonths(db, at ?? new Date());
      if (months.length) totals.months = months.length;
      return Object.keys(totals).length ? totals : undefined;
    },
  },
  {
    // Posts land in the partition of their month (sql/0040): this month's and the next ones exist ahead.
    name: 'partitions',
    every: 60 * 60_000,
    says: 'months ahead made for new posts',
    run: async (db, now) => count('made', await ensureMentionPartitions(db, now ?? new Date())),
  },
  {
    name: 'digests',
    every: 60_000,
    says: 'daily digests queued',
    run: async (db) => count('digests', await queueDigests(db)),
  },
  {
    // Opted-in users get last month's report in the first days of a month; idle the rest of it.
    name: 'monthly-reports',
    every: 10 * 60_000,
    says: 'monthly reports queued',
    run: async (db, now) => count('reports', await queueMonthlyReports(db, now)),
  },
  {
    name: 'spikes',
    every: 10 * 60_000,
    says: 'online discussion rising well above baseline: escalate prompts raised',
    run: async (db) => {
      const found = await detectSpikes(db);
      return found.length ? { spikes: found.length, found } : undefined;
    },
  },
  {
    // The directors' charts: what changed is recounted within a pass (a few seconds), busy or not.
    name: 'rollups',
    every: 0,
    says: 'chart rollups recounted',
    run: async (db) => {
      const r = await rollupStats(db);
      return r.days ? r : undefined;
    },
  },
  {
    name: 'mail',
    every: 0,
    says: 'mail sent',
    run: async (db) => {
      const r = await sendPending(db);
      return r.sent || r.failed ? r : undefined;
    },
  },
  {
    name: 'reclassify',
    every: 0,
    idle: true,
    says: 'stored mentions re-classified',
    // A finished pass is remembered per classifier version: an idle worker then costs one lookup,
    // not an anti-join over every mention.
    run: async (db) => {
      if ((await jobDone(db, 'reclassify')) === CLASSIFIER) return undefined;
      const n = await reclassifyBatch(db);
      if (!n) await markJobDone(db, 'reclassify', CLASSIFIER);
      return count('reclassified', n, { classifier: CLASSIFIER });
    },
  },
  {
    // Posts stored before sql/0024 (or erased) are found by a search only once masked here.
    name: 'search-text',
    every: 0,
    idle: true,
    says: 'search text masked',
    run: async (db) => count('masked', await maskSearchBatch(db)),
  },
  {
    name: 'file-cases',
    every: 0,
    idle: true,
    says: 'recent mentions filed into cases',
    run: async (db) => count('filed', await backfillCases(db)),
  },
];

// The jobs due in this pass; `last` remembers per job when it last ran in this process.
export function dueJobs(last: Map<string, number>, now: number, idle: boolean): Job[] {
  return JOBS.filter((j) => (j.idle ? idle : true) && now - (last.get(j.name) ?? -Infinity) >= j.every);
}
