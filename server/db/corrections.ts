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

// The live correction (not rejected) of the same post in another case, with that case's school.
export async function draftOfPostElsewhere(db: DB, mentionId: string, caseId: string) {
  return db
    .selectFrom('correction_drafts as d')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .select(['d.case_id', 'd.state', 's.name as school', 'c.school_id'])
    .where('d.mention_id', '=', mentionId)
    .where('d.case_id', '<>', caseId)
    .where('d.state', '<>', 'afgewezen')
    .executeTakeFirst();
}

// The other cases (at other schools) that hold a post of this case: one discussion seen by several
// schools. Only cases of `schoolIds` (what the viewer may see).
export async function relatedCases(db: DB, caseId: string, schoolIds: string[]) {
  if (!schoolIds.length) return [];
  return db
    .selectFrom('case_mentions as mine')
    .innerJoin('case_mentions as other', (j) =>
      j.onRef('other.mention_id', '=', 'mine.mention_id').on('other.case_id', '<>', caseId),
    )
    .innerJoin('cases as c', 'c.id', 'other.case_id')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .leftJoin('correction_drafts as d', 'd.case_id', 'c.id')
    .select(['c.id', 'c.state', 's.name as school', 'd.state as correction'])
    .where('mine.case_id', '=', caseId)
    .where('c.school_id', 'in', schoolIds)
    .groupBy(['c.id', 'c.state', 's.name', 'd.state'])
    .orderBy('c.id')
    .execute();
}
