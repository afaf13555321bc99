import type { DB } from './index.ts';

// mentions.search_text: the title and text as the lists show them, personal data masked
// (sql/0024_search_masked.sql). The inbox search matches it only when `search_masked_by` is the
// running classifier version; the masking itself is workers/classifications.ts's.

export async function setSearchText(db: Pick<DB, 'updateTable'>, mentionId: string, text: string, by: string) {
  await db
    .updateTable('mentions')
    .set({ search_text: text, search_masked_by: by })
    .where('id', '=', mentionId)
    .execute();
}

// Posts with what masking them needs (workers/classifications.ts maskFields): their text and their
// latest labels' stored spans and risks. Used for the search text and for a case's headline.
export function postsWithMaskLabels(db: DB) {
  return db
    .selectFrom('mentions as m')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('classifications')
          .select(['masks', 'classifier', 'risks'])
          .whereRef('classifications.mention_id', '=', 'm.id')
          .orderBy('classifications.id', 'desc')
          .limit(1)
          .as('k'),
      (j) => j.onTrue(),
    )
    .select(['m.id', 'm.title', 'm.body', 'k.masks', 'k.classifier', 'k.risks']);
}

// Mentions without a masked search text, newest first, with their latest labels; the rows are locked
// for the caller's transaction (SKIP LOCKED) before the labels are read.
export async function lockUnmaskedSearch(trx: DB, limit: number) {
  return postsWithMaskLabels(trx)
    .where('m.search_masked_by', 'is', null)
    .orderBy('m.id', 'desc')
    .limit(limit)
    .forUpdate('m')
    .skipLocked()
    .execute();
}
