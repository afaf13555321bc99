import { sql } from 'kysely';
import type { DB } from '../../server/db/index.ts';
import { CLASSIFIER } from '../classify/index.ts';
import type { Risk } from '../classify/types.ts';
import { classifiedText } from '../classifications.ts';
import type { Action } from '../policy/types.ts';
import { assignCases, RECENT_DAYS } from './assign.ts';

// Recent mentions whose stored prompts ask for something but that are in no case yet: those stored
// before cases existed, or by re-classification. Idle workers take a batch at a time, each batch
// locked with SKIP LOCKED, so two workers never file the same mention. Mentions a person corrected
// are filed when the correction is saved, from the labels as shown.
export async function backfillCases(db: DB, limit = 100, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('mentions as m')
      .innerJoin('classifications as c', (j) => j.onRef('c.mention_id', '=', 'm.id').on('c.classifier', '=', CLASSIFIER))
      .innerJoin('boards as b', 'b.id', 'm.board_id')
      .select(['m.id', 'm.board_id', 'm.external_id', 'm.thread_id', 'm.reply_to', 'm.story_id', 'm.title', 'm.body', 'm.published_at', 'c.risks', 'c.actions', 'b.policy', 'b.policy_version'])
      .where('m.published_at', '>=', new Date(now.getTime() - RECENT_DAYS * 86_400_000))
      .where(sql<boolean>`exists (select 1 from jsonb_array_elements(c.actions) a where a->>'type' <> 'monitor')`)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('case_mentions as cm').select(sql`1`.as('one')).whereRef('cm.mention_id', '=', 'm.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('label_corrections as lc').select(sql`1`.as('one')).whereRef('lc.mention_id', '=', 'm.id'))))
      .orderBy('m.id')
      .limit(limit)
      .forUpdate('m')
      .skipLocked()
      .execute();
    for (const r of rows) {
      const schools = await trx.selectFrom('mention_schools').select('school_id').where('mention_id', '=', r.id).where('active', '=', true).execute();
      await assignCases(trx, {
        boardId: r.board_id,
        mentionId: r.id,
        externalId: r.external_id,
        threadId: r.thread_id,
        replyTo: r.reply_to,
        storyId: r.story_id,
        schoolIds: schools.map((s) => s.school_id),
        text: classifiedText(r.title, r.body),
        risks: r.risks as Risk[],
        actions: r.actions as Action[],
        policy: { id: r.policy, version: r.policy_version },
        at: r.published_at,
        now,
      });
    }
    return rows.length;
  });
}
