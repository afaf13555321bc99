import { sql, type Updateable } from 'kysely';
import type { DB } from './index.ts';
import type { Database } from './schema.ts';

// A case's correction draft (at most one) and what drafting it reads; the rules are in
// server/actions/corrections.ts.

export async function caseDraft(db: DB, caseId: string) {
  return db
    .selectFrom('correction_drafts')
    .select(['id', 'state', 'text'])
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

// The facts the checklist prompt quotes (the school's fact sheet, found when the case was filed).
export async function caseActionFacts(db: DB, caseId: string, type: string) {
  const row = await db
    .selectFrom('case_actions')
    .select('facts')
    .where('case_id', '=', caseId)
    .where('type', '=', type)
    .executeTakeFirstOrThrow();
  return row.facts;
}

// The post to answer: the discussion's first post with an inaccuracy that has a link (else its
// first post with a link; undefined when none has one).
export async function correctionTarget(db: DB, caseId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('case_mentions as cm')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .innerJoin('classifications as cl', 'cl.mention_id', 'm.id')
    .select(['m.id'])
    .where('cm.case_id', '=', caseId)
    .where('m.url', 'is not', null)
    .orderBy(sql`(cl.risks @> '[{"type":"inaccuracy"}]'::jsonb)`, 'desc')
    .orderBy('m.published_at')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

export async function insertDraft(
  db: DB,
  d: { caseId: string; mentionId: string | null; text: string; draftedBy: string },
) {
  await db
    .insertInto('correction_drafts')
    .values({ case_id: d.caseId, mention_id: d.mentionId, text: d.text, drafted_by: d.draftedBy })
    .execute();
}

export async function updateDraft(db: DB, draftId: string, set: Updateable<Database['correction_drafts']>) {
  await db.updateTable('correction_drafts').set(set).where('id', '=', draftId).execute();
}

// Posting the response online is the checklist's correction or reply prompt, done.
export async function markOnlineActionsDone(db: DB, caseId: string, by: string, at: Date) {
  await db
    .updateTable('case_actions')
    .set({ status: 'gedaan', done_by: by, done_at: at })
    .where('case_id', '=', caseId)
    .where('type', 'in', ['correct_online', 'reply_online'])
    .execute();
}
