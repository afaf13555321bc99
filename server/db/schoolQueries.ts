import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { MatchSpan } from './schema.ts';

// What a changed school query (or board exclusions) could affect, and re-linking mentions to
// schools after the change.

// The board's collected mentions, newest first, with whether they are linked to `schoolId` (or,
// without one, to any school). For a school, only board-wide sources and the school's own.
// `visibleSchools`: only mentions a viewer of those schools may see — linked to one of them, or to
// no school at all; never a post that is (or was) only about another school.
export async function storedCandidates(
  db: DB,
  boardId: string,
  schoolId: string | null,
  limit?: number,
  visibleSchools?: string[],
) {
  let mentions = db
    .selectFrom('mentions as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .select([
      'm.id',
      'm.external_id',
      'm.url',
      'm.title',
      'm.body',
      'm.author',
      'm.published_at',
      'm.origin',
      's.kind',
      's.id as source_id',
      's.school_id as source_school',
    ])
    .select(
      schoolId
        ? sql<boolean>`exists (select 1 from mention_schools ms where ms.mention_id = m.id and ms.school_id = ${schoolId} and ms.active)`.as(
            'linked',
          )
        : sql<boolean>`exists (select 1 from mention_schools ms where ms.mention_id = m.id and ms.active)`.as('linked'),
    )
    .where('m.board_id', '=', boardId)
    // Reports and staff additions were given for a school; no query decides about them.
    .where('m.origin', '=', 'collected')
    .where('m.story_id', 'is', null)
    .orderBy('m.id', 'desc');
  if (schoolId)
    mentions = mentions.where((eb) => eb.or([eb('s.school_id', 'is', null), eb('s.school_id', '=', schoolId)]));
  if (visibleSchools) {
    const mine = visibleSchools.length ? visibleSchools : ['-1'];
    mentions = mentions.where(
      sql<boolean>`(exists (select 1 from mention_schools ms where ms.mention_id = m.id and ms.school_id = any(${mine}::bigint[]))
        or not exists (select 1 from mention_schools ms where ms.mention_id = m.id))`,
    );
  }
  if (limit) mentions = mentions.limit(limit);
  return mentions.execute();
}

// The board's unmatched items of the last `hours` hours (the preview window), newest first.
export async function windowCandidates(db: DB, boardId: string, hours: number, limit?: number) {
  const window = db
    .selectFrom('preview_items as p')
    .innerJoin('sources as s', 's.id', 'p.source_id')
    .select(['p.id', 'p.item', 's.kind', 's.id as source_id', 's.school_id as source_school'])
    .where('p.board_id', '=', boardId)
    .where('p.created_at', '>', sql<Date>`now() - make_interval(hours => ${hours})`)
    .orderBy('p.id', 'desc');
  return (limit ? window.limit(limit) : window).execute();
}

export async function deletePreviewItem(db: DB, id: string) {
  await db.deleteFrom('preview_items').where('id', '=', id).execute();
}

export async function schoolLinksOfMention(db: DB, mentionId: string) {
  return db.selectFrom('mention_schools').select(['school_id', 'active']).where('mention_id', '=', mentionId).execute();
}

// A post the team marked "niet relevant" stays out of the inbox when a query matches it again.
const notIrrelevant = (mentionId: string) =>
  sql<boolean>`not exists (select 1 from mention_triage t where t.mention_id = ${mentionId} and t.state = 'irrelevant')`;

export async function linkMentionToSchool(
  db: DB,
  mentionId: string,
  hit: { schoolId: string; matched: string[]; spans: MatchSpan[] },
) {
  await db
    .insertInto('mention_schools')
    .values({
      mention_id: mentionId,
      school_id: hit.schoolId,
      matched: hit.matched,
      spans: JSON.stringify(hit.spans),
      active: notIrrelevant(mentionId),
    })
    .onConflict((oc) =>
      oc
        .columns(['mention_id', 'school_id'])
        .doUpdateSet({ matched: hit.matched, spans: JSON.stringify(hit.spans), active: notIrrelevant(mentionId) }),
    )
    .execute();
}

// The mention leaves those schools' inboxes but stays stored, so an edit can be undone.
export async function unlinkMentionFromSchools(db: DB, mentionId: string, schoolIds: string[]) {
  await db
    .updateTable('mention_schools')
    .set({ active: false })
    .where('mention_id', '=', mentionId)
    .where('school_id', 'in', schoolIds)
    .execute();
}
