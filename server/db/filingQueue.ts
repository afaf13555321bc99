import { sql } from 'kysely';
import type { DB } from './index.ts';
import { notHeldReport } from './reports.ts';

// The filing queue (sql/0030_filing_queue.sql): the mentions the database queued for filing into cases
// as they were labelled or linked anew, and who takes them off it — the pipeline its own new posts, a
// worker's file-cases job the rest.

// The pipeline's own new posts off the filing queue, for it to file them (workers/pipeline.ts): the ids
// it got. One a file-cases job took first is not among them (the job files it); one the job holds
// right now is waited for, and then not among them either.
export async function claimQueuedMentions(trx: DB, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await sql<{ mention_id: string }>`delete from filing_queue
    where mention_id in (select unnest(${ids}::bigint[])) returning mention_id`.execute(trx);
  return new Set(r.rows.map((x) => x.mention_id));
}

// Takes up to `limit` mentions off the filing queue (sql/0030_filing_queue.sql) and returns, locked
// for the caller's transaction, those that still need filing: recent, labelled by `classifier` with a
// prompt beyond monitoring, in no case yet, not corrected by a person, no report held back. The rest
// leave the queue: what changes them later (a new classification, a new school link) queues them
// again. Queue rows and mentions are taken with SKIP LOCKED, so workers never wait on each other.
export async function lockUnfiledMentions(trx: DB, q: { classifier: string; since: Date; limit: number }) {
  const taken = await trx
    .deleteFrom('filing_queue')
    .where('mention_id', 'in', (eb) =>
      eb.selectFrom('filing_queue').select('mention_id').orderBy('mention_id').limit(q.limit).forUpdate().skipLocked(),
    )
    .returning('mention_id')
    .execute();
  if (!taken.length) return [];
  return trx
    .selectFrom('mentions as m')
    .innerJoin('classifications as c', (j) =>
      j.onRef('c.mention_id', '=', 'm.id').on('c.classifier', '=', q.classifier),
    )
    .innerJoin('boards as b', 'b.id', 'm.board_id')
    .select([
      'm.id',
      'm.board_id',
      'm.external_id',
      'm.thread_id',
      'm.reply_to',
      'm.story_id',
      'm.title',
      'm.body',
      'm.published_at',
      'c.risks',
      'c.actions',
      'b.policy',
      'b.policy_version',
    ])
    .where(
      'm.id',
      'in',
      taken.map((t) => t.mention_id),
    )
    .where('m.published_at', '>=', q.since)
    .where(sql<boolean>`exists (select 1 from jsonb_array_elements(c.actions) a where a->>'type' <> 'monitor')`)
    .where(sql<boolean>`not exists (select 1 from case_mentions cm where cm.mention_id = m.id)`)
    .where(sql<boolean>`not exists (select 1 from label_corrections lc where lc.mention_id = m.id)`)
    .where(notHeldReport)
    .orderBy('m.id')
    .forUpdate('m')
    .skipLocked()
    .execute();
}
