import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { GuidancePart } from '../../workers/policy/types.ts';

// The prompts filing gives a case (server/db/caseFiling.ts files the mentions): one per type and case,
// written inside the filing worker's transaction.

export type FiledAction = {
  type: string;
  article: string;
  basis: string;
  rule: string;
  roles: string[];
  guidance: string;
  parts: GuidancePart[];
  points: string[];
  facts: string[];
  dueAt: Date;
};

const actionRow = (caseId: string, a: FiledAction) => ({
  case_id: caseId,
  type: a.type,
  article: a.article,
  basis: a.basis,
  rule: a.rule,
  roles: a.roles,
  guidance: a.guidance,
  parts: JSON.stringify(a.parts),
  points: JSON.stringify(a.points),
  facts: JSON.stringify(a.facts),
  due_at: a.dueAt,
});

// One prompt per type and case: a prompt the case already has keeps its status and due date, and
// gains the contradicted facts and talking points it did not have. `inserted` tells the new ones.
export async function mergeCaseActions(
  db: DB,
  caseId: string,
  actions: FiledAction[],
): Promise<{ type: string; inserted: boolean }[]> {
  return db
    .insertInto('case_actions')
    .values(actions.map((a) => actionRow(caseId, a)))
    .onConflict((oc) =>
      oc.columns(['case_id', 'type']).doUpdateSet({
        facts: sql`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(case_actions.facts || excluded.facts) x)`,
        points: sql`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(case_actions.points || excluded.points) x)`,
      }),
    )
    .returning(['type', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();
}

// mergeCaseActions for several cases at once, one row per case and prompt type: `repeated` when more
// than one post of the batch brings the type, whose facts and talking points are then stored as
// merging them one post at a time would leave them (distinct), and as given otherwise.
export async function mergeManyCaseActions(
  db: DB,
  rows: { caseId: string; action: FiledAction; repeated: boolean }[],
): Promise<{ case_id: string; type: string; inserted: boolean }[]> {
  if (!rows.length) return [];
  const distinct = (xs: string[]) =>
    sql<string>`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(${JSON.stringify(xs)}::jsonb) x)`;
  return db
    .insertInto('case_actions')
    .values(
      rows.map((r) => ({
        ...actionRow(r.caseId, r.action),
        ...(r.repeated ? { points: distinct(r.action.points), facts: distinct(r.action.facts) } : {}),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['case_id', 'type']).doUpdateSet({
        facts: sql`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(case_actions.facts || excluded.facts) x)`,
        points: sql`(select coalesce(jsonb_agg(distinct x), '[]') from jsonb_array_elements(case_actions.points || excluded.points) x)`,
      }),
    )
    .returning(['case_id', 'type', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();
}

export async function insertCaseAction(db: DB, caseId: string, action: FiledAction) {
  await db.insertInto('case_actions').values(actionRow(caseId, action)).execute();
}

// Adds the prompt unless the case has one of its type: its id, or undefined when it was there.
export async function addCaseActionIfMissing(db: DB, caseId: string, action: FiledAction): Promise<string | undefined> {
  const row = await db
    .insertInto('case_actions')
    .values(actionRow(caseId, action))
    .onConflict((oc) => oc.columns(['case_id', 'type']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
