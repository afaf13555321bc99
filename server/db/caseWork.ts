import { sql, type Updateable } from 'kysely';
import type { DB } from './index.ts';
import type { ActionStatus, BreachStatus, Database } from './schema.ts';

// The writes behind server/actions/cases.ts: one function per statement, so the action decides what
// stands or falls together (inTransaction) and what goes into the case's dossier.

export type CaseEventRow = {
  caseId: string;
  userId: string | null;
  actor: string;
  kind: string;
  details: Record<string, unknown>;
  at?: Date; // the app's clock; the database's when not given
};

export async function insertCaseEvent(db: DB, e: CaseEventRow) {
  await db
    .insertInto('case_events')
    .values({
      case_id: e.caseId,
      user_id: e.userId,
      actor: e.actor,
      kind: e.kind,
      details: JSON.stringify(e.details),
      ...(e.at ? { created_at: e.at } : {}),
    })
    .execute();
}

export async function userNameAndEmail(db: DB, userId: string) {
  return db.selectFrom('users').select(['name', 'email']).where('id', '=', userId).executeTakeFirst();
}

export type CaseUpdate = Updateable<Database['cases']>;

export async function updateCaseRow(db: DB, caseId: string, set: CaseUpdate) {
  await db.updateTable('cases').set(set).where('id', '=', caseId).execute();
}

export async function setCaseActionStatus(
  db: DB,
  caseId: string,
  type: string,
  s: { status: ActionStatus; doneBy: string | null; doneAt: Date | null },
) {
  await db
    .updateTable('case_actions')
    .set({ status: s.status, done_by: s.doneBy, done_at: s.doneAt })
    .where('case_id', '=', caseId)
    .where('type', '=', type)
    .execute();
}

// The case is due when its earliest open prompt is (unchanged when none is open).
export async function refreshCaseDue(db: DB, caseId: string, now: Date) {
  await db
    .updateTable('cases')
    .set({
      updated_at: now,
      due_at: sql<Date>`coalesce((select min(due_at) from case_actions where case_id = ${caseId} and status = 'open'), due_at)`,
    })
    .where('id', '=', caseId)
    .execute();
}

export async function insertSchoolPoint(
  db: DB,
  p: { schoolId: string; caseId: string; kind: 'sterk' | 'verbeter'; text: string; createdBy: string },
) {
  const row = await db
    .insertInto('school_points')
    .values({ school_id: p.schoolId, case_id: p.caseId, kind: p.kind, text: p.text, created_by: p.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// The removed point's kind and text, or undefined when the case has no such point.
export async function deleteSchoolPoint(db: DB, caseId: string, pointId: string) {
  return db
    .deleteFrom('school_points')
    .where('id', '=', pointId)
    .where('case_id', '=', caseId)
    .returning(['kind', 'text'])
    .executeTakeFirst();
}

export async function setCaseBreach(db: DB, caseId: string, status: BreachStatus, reportedAt: Date | null, now: Date) {
  await db
    .updateTable('cases')
    .set({ breach_status: status, breach_reported_at: reportedAt, updated_at: now })
    .where('id', '=', caseId)
    .execute();
}

// What assigning a mention to cases needs beyond its labels.
export async function mentionForCases(db: DB, mentionId: string) {
  return db
    .selectFrom('mentions')
    .select(['external_id', 'thread_id', 'reply_to', 'story_id', 'title', 'body', 'published_at'])
    .where('id', '=', mentionId)
    .executeTakeFirstOrThrow();
}

export async function boardPolicyRef(db: DB, boardId: string) {
  return db
    .selectFrom('boards')
    .select(['policy', 'policy_version'])
    .where('id', '=', boardId)
    .executeTakeFirstOrThrow();
}

// After a person corrected a post's labels: the post's cases, each with its open prompts and, per
// prompt, whether another post of the case (not a copy of this story) still asks for it by its labels.
export async function openPromptsOfMentionCases(db: DB, mentionId: string, classifier: string) {
  const rows = await sql<{ case_id: string; type: string; asked_elsewhere: boolean }>`
    select a.case_id, a.type, exists (
      select 1 from case_mentions cm
      join mentions o on o.id = cm.mention_id
      join classifications c on c.mention_id = o.id and c.classifier = ${classifier}
      where cm.case_id = a.case_id and o.id <> ${mentionId} and o.story_id is distinct from ${mentionId}
        and exists (select 1 from jsonb_array_elements(c.actions) x where x ->> 'type' = a.type)
    ) as asked_elsewhere
    from case_actions a
    join case_mentions m on m.case_id = a.case_id and m.mention_id = ${mentionId}
    where a.status = 'open'
    order by a.case_id, a.type`.execute(db);
  return rows.rows;
}
