import { inTransaction, type DB } from '../../server/db/index.ts';
import { activeSchoolIds } from '../../server/db/caseFiling.ts';
import { lockUnfiledMentions } from '../../server/db/filingQueue.ts';
import { CLASSIFIER } from '../classify/index.ts';
import type { Risk } from '../classify/types.ts';
import { classifiedText } from '../labelling.ts';
import { actionsFromStore, type StoredAction } from '../policy/types.ts';
import { assignCases, RECENT_DAYS } from './assign.ts';

// Recent mentions whose stored prompts ask for something but that are in no case yet: those stored
// before cases existed, or by re-classification. Idle workers take a batch at a time, each batch
// locked with SKIP LOCKED, so two workers never file the same mention. Mentions a person corrected
// are filed when the correction is saved, from the labels as shown.
export async function backfillCases(db: DB, limit = 100, now = new Date()): Promise<number> {
  return inTransaction(db, async (trx) => {
    const rows = await lockUnfiledMentions(trx, {
      classifier: CLASSIFIER,
      since: new Date(now.getTime() - RECENT_DAYS * 86_400_000),
      limit,
    });
    for (const r of rows) {
      await assignCases(trx, {
        boardId: r.board_id,
        mentionId: r.id,
        externalId: r.external_id,
        threadId: r.thread_id,
        replyTo: r.reply_to,
        storyId: r.story_id,
        schoolIds: await activeSchoolIds(trx, r.id),
        text: classifiedText(r.title, r.body),
        risks: r.risks as Risk[],
        actions: actionsFromStore(r.actions as StoredAction[]),
        policy: { id: r.policy, version: r.policy_version },
        at: r.published_at,
        now,
      });
    }
    return rows.length;
  });
}
