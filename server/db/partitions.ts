import { sql } from 'kysely';
import { inTransaction, type DB } from './index.ts';
import { RETENTION_DEFAULTS } from './retention.ts';

// mentions is partitioned by the month a post was collected in (sql/0040). Making and dropping a
// partition needs the owner's rights; the app role does both through the two functions there.

// The current month and the next three, so a post never finds its month missing when a worker was
// down at the turn of a month. Returns how many were made (0 once they exist).
export const MONTHS_AHEAD = 3;

export async function ensureMentionPartitions(db: DB, now: Date, months = MONTHS_AHEAD + 1): Promise<number> {
  const r = await sql<{
    made: number;
  }>`select ensure_mention_partitions(${now}::timestamptz, ${months}) as made`.execute(db);
  return Number(r.rows[0].made);
}

export type MentionPartition = { part: string; lo: string | null; hi: string };

export async function mentionPartitions(db: DB): Promise<MentionPartition[]> {
  const r = await sql<MentionPartition>`select part::text as part, lo::text as lo, hi::text as hi
    from mention_partitions() order by hi`.execute(db);
  return r.rows;
}

// Each month before the current one whose every post may go is dropped whole; the function states the
// rule (the row purge's, for every board at once). Oldest first; returns the partitions dropped.
export async function dropExpiredMonths(db: DB, now: Date): Promise<string[]> {
  const before = await sql<{ part: string; lo: string | null; hi: string }>`select part::text as part,
      lo::text as lo, hi::text as hi from mention_partitions()
    where hi <= mention_month_start(mention_month(${now}::timestamptz)) order by hi`.execute(db);
  const dropped: string[] = [];
  for (const { part, lo, hi } of before.rows) {
    // One transaction: a month goes with its copies counted out of their leaders, or not at all.
    const gone = await inTransaction(db, async (trx) => {
      // The month's copies of leaders in other months: an earlier month kept (a case still needs the
      // leader, or a board keeps reports longer) or a later one (two batches storing a story on either
      // side of a month's first second, workers/storeBatch.ts). A drop deletes no rows, so no trigger
      // counts them out: those leaders are recounted once the month is gone.
      const elsewhere = (
        await trx
          .selectFrom('mentions')
          .select('story_id')
          .distinct()
          .where('id', '<', hi)
          .$if(lo !== null, (q) => q.where('id', '>=', lo!))
          .where((eb) =>
            lo === null ? eb('story_id', '>=', hi) : eb.or([eb('story_id', '<', lo), eb('story_id', '>=', hi)]),
          )
          .execute()
      ).map((m) => m.story_id!);
      const r = await sql<{ dropped: boolean }>`select drop_expired_mention_partition(${part}::regclass,
        ${now}::timestamptz, ${RETENTION_DEFAULTS.mentionsMonths}, ${RETENTION_DEFAULTS.reportsMonths}) as dropped`.execute(
        trx,
      );
      if (!r.rows[0].dropped) return false;
      // the month's stories went with it
      await trx
        .deleteFrom('story_copies')
        .where('leader_id', '<', hi)
        .$if(lo !== null, (q) => q.where('leader_id', '>=', lo!))
        .execute();
      await recountCopies(trx, elsewhere);
      return true;
    });
    if (gone) dropped.push(part);
  }
  return dropped;
}

// These leaders' copy counts as their copies are now. Their rows are taken first (in key order, as a
// settling batch takes them), so a batch that stored a copy meanwhile adds it after the recount.
async function recountCopies(trx: DB, leaders: string[]) {
  if (!leaders.length) return;
  await sql`select 1 from story_copies where leader_id = any(${leaders}::bigint[]) order by leader_id for update`.execute(
    trx,
  );
  await sql`update story_copies c set copies = n.copies, reported = n.reported from (
      select l as leader_id, count(m.id)::int as copies, count(m.id) filter (where m.origin = 'reported')::int as reported
      from unnest(${leaders}::bigint[]) as l left join mentions m on m.story_id = l group by l
    ) n where c.leader_id = n.leader_id`.execute(trx);
}

// The first id of a month (as mention_month_start(mention_month(t)) in sql/0040), for queries that may
// leave older months out: a constant in the query lets the planner skip those months altogether.
const MONTH_IDS = 2 ** 36;
export function monthStartId(t: Date): string {
  return String(((t.getUTCFullYear() - 2000) * 12 + t.getUTCMonth()) * MONTH_IDS);
}

// A post is dated at most a day after it was collected (the pipeline moves a later date back), and the
// app's and the database's clocks may differ a little: two days.
export const DATED_AFTER_COLLECTED_MS = 2 * 86_400_000;

// The newest posts of a list were collected in the last weeks. A post collected before `from`'s
// month has an id below `id`, so it was published before `publishedBefore`.
export function recentMonths(now: Date, days = 40): { id: string; publishedBefore: Date } {
  const from = new Date(now.getTime() - days * 86_400_000);
  const monthStart = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1);
  return { id: monthStartId(from), publishedBefore: new Date(monthStart + DATED_AFTER_COLLECTED_MS) };
}

// Every post was collected before the month after `now` (plus the clocks' margin) began: the months
// made ahead are empty, and a list need not plan them.
export function collectedBefore(now: Date): string {
  const t = new Date(now.getTime() + DATED_AFTER_COLLECTED_MS);
  return monthStartId(new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)));
}
