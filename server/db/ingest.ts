import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { MatchSpan, MediaItem, NewMention } from './schema.ts';

// What workers/pipeline.ts writes for a collected item: the mention, its links to the schools it is
// about, and unmatched items for the query preview window. The pipeline decides what is stored.

// Each school's fact sheet, for the board's schools.
export async function schoolFactSheets(db: DB, boardId: string) {
  return db.selectFrom('schools').select(['id', 'facts']).where('board_id', '=', boardId).execute();
}

// Two workers storing the same story at once must agree on which one is first: a transaction-scoped
// lock on the board's URL and on its text key, always taken in the same order.
export async function lockStory(trx: DB, boardId: string, story: { url: string | null; key: string | null }) {
  for (const lock of [story.url ? `u${story.url}` : '', story.key ? `t${story.key}` : ''].filter(Boolean).sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${boardId}|${lock}`}, 0))`.execute(trx);
  }
}

// The board's first mention of the story (same URL or same text key) that is itself no copy. Only a
// collected (public) post leads a story: a story's leader becomes visible to every school its copies
// are about, and what one school added by hand or a parent reported is not another school's to read.
// `withinSchools`: only a leader already about one of these schools (for what people add by hand or
// report, which must not pull another school's stored post into theirs).
export async function storyLeader(
  db: DB,
  boardId: string,
  story: { url: string | null; key: string | null },
  withinSchools?: string[],
) {
  const { url, key } = story;
  return db
    .selectFrom('mentions')
    .select('id')
    .where('board_id', '=', boardId)
    .where('story_id', 'is', null)
    .where('origin', '=', 'collected')
    .$if(withinSchools !== undefined, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('mention_schools')
            .select('mention_id')
            .whereRef('mention_schools.mention_id', '=', 'mentions.id')
            .where('mention_schools.school_id', 'in', withinSchools!.length ? withinSchools! : ['0']),
        ),
      ),
    )
    .where((eb) =>
      eb.or([...(url ? [eb('url', '=', url)] : []), ...(key ? [eb('story_key', '=', key)] : []), eb.val(false)]),
    )
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export type MentionRow = Omit<NewMention, 'media' | 'engagement'> & {
  media: MediaItem[];
  engagement: Record<string, number>;
};

// The new mention's id; undefined when the source already gave this item (source_id, external_id).
export async function insertMention(db: DB, m: MentionRow): Promise<string | undefined> {
  const row = await db
    .insertInto('mentions')
    .values({ ...m, media: JSON.stringify(m.media), engagement: JSON.stringify(m.engagement) })
    .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export type SchoolLink = { schoolId: string; matched: string[]; spans: MatchSpan[] };

// `keepExisting`: a link the mention already has stays as it is (a story's first mention gaining
// the schools of a copy).
export async function linkMentionSchools(
  db: DB,
  mentionId: string,
  links: SchoolLink[],
  opts: { keepExisting?: boolean } = {},
) {
  const q = db.insertInto('mention_schools').values(
    links.map((s) => ({
      mention_id: mentionId,
      school_id: s.schoolId,
      matched: s.matched,
      spans: JSON.stringify(s.spans),
    })),
  );
  await (opts.keepExisting ? q.onConflict((oc) => oc.columns(['mention_id', 'school_id']).doNothing()) : q).execute();
}

export type PreviewRow = { boardId: string; sourceId: string; externalId: string; item: object; searchText: string };

// An item already kept for its source stays as it was.
export async function keepPreviewItems(db: DB, items: PreviewRow[]) {
  const rows = items.map((p) => ({
    board_id: p.boardId,
    source_id: p.sourceId,
    external_id: p.externalId,
    item: JSON.stringify(p.item),
    search_text: p.searchText,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('preview_items')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
      .execute();
  }
}

export async function deletePreviewItemsOlderThan(db: DB, hours: number): Promise<number> {
  const r = await db
    .deleteFrom('preview_items')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
