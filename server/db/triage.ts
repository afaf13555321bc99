import { sql } from 'kysely';
import type { DB } from './index.ts';

// The inbox's triage states (sql/0036_mention_triage.sql); the rules are in server/actions/triage.ts.
export type TriageState = 'seen' | 'handled' | 'irrelevant';

// Of `ids`, the posts in an inbox of one of `schoolIds` (first copies and copies alike).
export async function visibleMentionIds(db: DB, boardId: string, schoolIds: string[], ids: string[]) {
  if (!ids.length || !schoolIds.length) return [];
  const rows = await db
    .selectFrom('mentions as m')
    .select('m.id')
    .where('m.board_id', '=', boardId)
    .where('m.id', 'in', ids)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('mention_schools as ms')
          .select(sql`1`.as('one'))
          .whereRef('ms.mention_id', '=', 'm.id')
          .where('ms.school_id', 'in', schoolIds)
          .where('ms.active', '=', true),
      ),
    )
    .execute();
  return rows.map((r) => r.id);
}

export async function triageOf(db: DB, ids: string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('mention_triage')
    .select(['mention_id', 'state', 'actor', 'at', 'inactive_schools'])
    .where('mention_id', 'in', ids)
    .execute();
}

export async function setTriageRows(
  db: DB,
  rows: {
    mentionId: string;
    boardId: string;
    state: TriageState;
    userId: string;
    actor: string;
    at: Date;
    inactive?: string[];
  }[],
) {
  if (!rows.length) return;
  await db
    .insertInto('mention_triage')
    .values(
      rows.map((r) => ({
        mention_id: r.mentionId,
        board_id: r.boardId,
        state: r.state,
        user_id: r.userId,
        actor: r.actor,
        at: r.at,
        inactive_schools: r.inactive ?? [],
      })),
    )
    .onConflict((oc) =>
      oc.column('mention_id').doUpdateSet((eb) => ({
        state: eb.ref('excluded.state'),
        user_id: eb.ref('excluded.user_id'),
        actor: eb.ref('excluded.actor'),
        at: eb.ref('excluded.at'),
        inactive_schools: eb.ref('excluded.inactive_schools'),
      })),
    )
    .execute();
}

export async function deleteTriage(db: DB, ids: string[]) {
  if (!ids.length) return;
  await db.deleteFrom('mention_triage').where('mention_id', 'in', ids).execute();
}

// "Niet relevant": the post leaves these schools' inboxes (and their counts); returns the schools
// whose link was on.
export async function switchLinks(db: DB, mentionId: string, schoolIds: string[], active: boolean) {
  if (!schoolIds.length) return [];
  const rows = await db
    .updateTable('mention_schools')
    .set({ active })
    .where('mention_id', '=', mentionId)
    .where('school_id', 'in', schoolIds)
    .where('active', '=', !active)
    .returning('school_id')
    .execute();
  return rows.map((r) => r.school_id);
}

// Posts of the last days not handled yet in the inbox of `schoolIds`, counted up to `cap` (a header
// badge: a bounded range of the inbox's index, not a scan).
export async function openCount(
  db: DB,
  boardId: string,
  schoolIds: string[],
  since: Date,
  cap = 1000,
): Promise<number> {
  if (!schoolIds.length) return 0;
  const r = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from mentions m
      where m.board_id = ${boardId} and m.story_id is null and m.published_at >= ${since}
        and exists (select 1 from mention_schools ms where ms.mention_id = m.id and ms.active
          and ms.school_id = any(${schoolIds}::bigint[]))
        and not exists (select 1 from mention_triage t where t.mention_id = m.id and t.state = 'handled')
      order by m.published_at desc
      limit ${cap}
    ) x`.execute(db);
  return r.rows[0]?.n ?? 0;
}
