import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { MatchSpan, MediaItem, NewMention } from './schema.ts';

// What workers/pipeline.ts writes for a collected item: the mention, its links to the schools it is
// about, and unmatched items for the query preview window. The pipeline decides what is stored.

// Each school's fact sheet, for the board's schools.
export async function schoolFactSheets(db: DB, boardId: string) {
  return db.selectFrom('schools').select(['id', 'facts']).where('board_id', '=', boardId).execute();
}

// The items of a source that are stored already (a feed collected again), so they are not read again.
export async function storedExternalIds(db: DB, sourceId: string, externalIds: string[]): Promise<Set<string>> {
  if (!externalIds.length) return new Set();
  const rows = await db
    .selectFrom('mention_keys')
    .select('external_id')
    .where('source_id', '=', sourceId)
    .where('external_id', 'in', externalIds)
    .execute();
  return new Set(rows.map((r) => r.external_id));
}

export type StoryRef = { url: string | null; key: string | null };

// Ids (bigint as text) in key order, the order in which settling batches take shared rows.
export const compareIds = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

// Two workers storing the same story at once must agree on which one is first: a transaction-scoped
// lock on the board's URL and on its text key. A batch takes each lock once, all in one statement and
// in the order of the lock ids, at its end (workers/storeBatch.ts), so two batches that share
// stories wait for each other only while the first settles its leaders, and never deadlock.
export async function lockStories(trx: DB, boardId: string, stories: StoryRef[]) {
  const names = new Set<string>();
  for (const s of stories) {
    if (s.url) names.add(`${boardId}|u${s.url}`);
    if (s.key) names.add(`${boardId}|t${s.key}`);
  }
  if (!names.size) return;
  await sql`select count(pg_advisory_xact_lock(h)) from (
      select distinct hashtextextended(k, 0) as h from unnest(${[...names]}::text[]) as k order by h
    ) as locks`.execute(trx);
}

// A story's leader is the board's first stored mention of the story (same URL or same text key) that
// is itself no copy; of two batches storing a new story at once, the one that settles first (see
// lockStories). Only a collected (public) post leads a story: a story's leader becomes visible to
// every school its copies are about, and what one school added by hand or a parent reported is not
// another school's to read. `withinSchools`: only a leader already about one of these schools (for
// what people add by hand or report, which must not pull another school's stored post into theirs).
export type LeaderCandidate = { id: string; url: string | null; story_key: string | null; school_ids: string[] };

// Every mention that may lead one of these stories, oldest first, with the schools it is about
// among `withinSchools` (when given, only mentions about one of them), other than `excluding` (a
// batch's own new posts).
export async function storyLeaderCandidates(
  db: DB,
  boardId: string,
  stories: StoryRef[],
  withinSchools?: string[],
  excluding: string[] = [],
): Promise<LeaderCandidate[]> {
  const urls = [...new Set(stories.flatMap((s) => (s.url ? [s.url] : [])))];
  const keys = [...new Set(stories.flatMap((s) => (s.key ? [s.key] : [])))];
  if (!urls.length && !keys.length) return [];
  const within = withinSchools?.length ? withinSchools : ['0'];
  // The leading posts are kept apart from the months (sql/0052): two index searches, no month read.
  const heads = (await db
    .selectFrom('story_heads as h')
    .select(['h.mention_id as id', 'h.url', 'h.story_key'])
    .select((eb) =>
      withinSchools === undefined
        ? sql<string[]>`'{}'::text[]`.as('school_ids')
        : eb
            .selectFrom('mention_schools')
            .select(sql<string[]>`coalesce(array_agg(school_id::text), '{}')`.as('s'))
            .whereRef('mention_schools.mention_id', '=', 'h.mention_id')
            .where('mention_schools.school_id', 'in', within)
            .as('school_ids'),
    )
    .where('h.board_id', '=', boardId)
    .$if(excluding.length > 0, (qb) => qb.where(sql<boolean>`h.mention_id <> all(${excluding}::bigint[])`))
    .$if(withinSchools !== undefined, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('mention_schools')
            .select('mention_id')
            .whereRef('mention_schools.mention_id', '=', 'h.mention_id')
            .where('mention_schools.school_id', 'in', within),
        ),
      ),
    )
    .where((eb) =>
      eb.or([
        ...(urls.length ? [sql<boolean>`h.url = any(${urls}::text[])`] : []),
        ...(keys.length ? [sql<boolean>`h.story_key = any(${keys}::text[])`] : []),
      ]),
    )
    .orderBy('h.mention_id')
    .execute()) as LeaderCandidate[];
  if (!heads.length) return heads;
  // The posts found are held until the batch commits, as reading them in mentions did: retention cannot
  // drop their month meanwhile (it waits, then tries again on its next pass), and a month dropped just
  // before leaves its posts out here, so no copy points at a post that is gone. By the ids as constants
  // the planner reads only their months.
  const held = await sql<{ id: string }>`select id::text as id from mentions
    where id in (${sql.join(heads.map((h) => sql.raw(String(BigInt(h.id)))))}) for key share`.execute(db);
  const still = new Set(held.rows.map((r) => r.id));
  return heads.filter((h) => still.has(h.id));
}

export type MentionRow = Omit<NewMention, 'media' | 'engagement'> & {
  media: MediaItem[];
  engagement: Record<string, number>;
};

// The new mentions' ids by external id: a row the source already gave is left as it is and not returned.
// One statement takes each item's key in mention_keys and stores the mentions whose key it took, so
// two workers storing the same item at once store it once (the second waits for the first's key).
// why: mentions is partitioned by id (sql/0040), so it cannot hold the unique (source, item) key itself.
// A row that sets created_at gets the id of that month (mention_id_for), so it lands in that month's
// partition; otherwise both are now().
export async function insertMentions(db: DB, rows: MentionRow[]): Promise<{ id: string; external_id: string }[]> {
  if (!rows.length) return [];
  const columns = [
    ...new Set(rows.flatMap((r) => Object.entries(r).flatMap(([k, v]) => (v === undefined || k === 'id' ? [] : [k])))),
  ];
  const result = await sql<{ id: string; external_id: string }>`
    with input as (
      select * from jsonb_populate_recordset(null::mentions, ${JSON.stringify(rows)}::jsonb) with ordinality
    ), firsts as (
      select distinct on (source_id, external_id) * from input order by source_id, external_id, ordinality
    ), keys as (
      insert into mention_keys (source_id, external_id, mention_id)
      select source_id, external_id, mention_id_for(coalesce(created_at, now())) from firsts
      on conflict do nothing
      returning source_id, external_id, mention_id
    )
    insert into mentions (id, ${sql.join(columns.map((c) => sql.id(c)))})
    select k.mention_id, ${sql.join(columns.map((c) => sql.ref(`f.${c}`)))}
    from keys k join firsts f on f.source_id = k.source_id and f.external_id = k.external_id
    returning id, external_id`.execute(db);
  return result.rows;
}

// The story of each of these posts of one batch (null: it leads its own), as the batch settled them under
// its locks. Their ids' bounds as constants, so the planner reads only their month.
export async function setStoryIds(db: DB, links: { id: string; storyId: string | null }[]) {
  if (!links.length) return;
  const ids = links.map((l) => BigInt(l.id));
  const lo = ids.reduce((a, b) => (b < a ? b : a));
  const hi = ids.reduce((a, b) => (b > a ? b : a));
  const values = sql.join(links.map((l) => sql`(${l.id}::bigint, ${l.storyId}::bigint)`));
  await sql`update mentions set story_id = v.story_id from (values ${values}) as v(id, story_id)
    where mentions.id = v.id and mentions.id between ${sql.raw(String(lo))} and ${sql.raw(String(hi))}`.execute(db);
}

// A stored batch settles the rollups' (school, day) pairs and its leaders' copy counts itself (sql/0054):
// said first, for its own transaction, so the triggers of links, posts and copies leave them out...
export async function batchSettlesItself(trx: DB) {
  await sql`select set_config('klankbord.batch_settles', pg_current_xact_id()::text, true)`.execute(trx);
}

// ...and counted at its end, after its story locks: the batch's copies per leader, in key order (its
// posts are all new, so these are all the counts they change)...
export async function countBatchCopies(trx: DB, copies: { leaderId: string; reported: boolean }[]) {
  const per = new Map<string, { copies: number; reported: number }>();
  for (const c of copies) {
    const n = per.get(c.leaderId) ?? { copies: 0, reported: 0 };
    n.copies++;
    if (c.reported) n.reported++;
    per.set(c.leaderId, n);
  }
  if (!per.size) return;
  const rows = [...per].sort(([a], [b]) => compareIds(a, b));
  await sql`insert into story_copies (leader_id, copies, reported)
    select * from unnest(${rows.map(([id]) => id)}::bigint[], ${rows.map(([, n]) => n.copies)}::int[],
      ${rows.map(([, n]) => n.reported)}::int[])
    on conflict (leader_id) do update
      set copies = story_copies.copies + excluded.copies, reported = story_copies.reported + excluded.reported`.execute(
    trx,
  );
}

// ...and the rollups' pairs queued in one statement and in key order: those of every link of these
// posts, and of the links the batch added to leaders.
export async function queueBatchStats(
  trx: DB,
  postIds: string[],
  leaderLinks: { mentionId: string; schoolId: string }[],
) {
  if (!postIds.length && !leaderLinks.length) return;
  await sql`insert into stats_dirty (school_id, day)
    select distinct x.school_id, dutch_day(x.published_at) from (
      select l.school_id, l.published_at from mention_schools l where l.mention_id = any(${postIds}::bigint[])
      union all
      select l.school_id, l.published_at
      from unnest(${leaderLinks.map((l) => l.mentionId)}::bigint[], ${leaderLinks.map((l) => l.schoolId)}::bigint[])
        as k(mention_id, school_id)
      join mention_schools l on l.mention_id = k.mention_id and l.school_id = k.school_id
    ) x
    where x.published_at is not null
    order by 1, 2
    on conflict do nothing`.execute(trx);
}

export type SchoolLink = { schoolId: string; matched: string[]; spans: MatchSpan[] };

// The linked post's time and shown risks, when the caller stored the post itself (sql/0043): the
// link carries copies of them, which the database otherwise reads from the post, one lookup per link.
export type LinkedPost = { publishedAt: Date; shownRisks: string[] };

// Mentions' links to the schools they are about, in one statement; the links it added. `keepExisting`: a
// link the mention already has stays as it is (a story's first mention gaining the schools of a copy);
// of two same links in one call the first wins.
export async function linkManyMentionSchools(
  db: DB,
  links: (SchoolLink & { mentionId: string; post?: LinkedPost })[],
  opts: { keepExisting?: boolean } = {},
): Promise<{ mentionId: string; schoolId: string }[]> {
  if (!links.length) return [];
  const q = db.insertInto('mention_schools').values(
    links.map((s) => ({
      mention_id: s.mentionId,
      school_id: s.schoolId,
      matched: s.matched,
      spans: JSON.stringify(s.spans),
      ...(s.post ? { published_at: s.post.publishedAt, shown_risks: s.post.shownRisks } : {}),
    })),
  );
  if (!opts.keepExisting) {
    await q.execute();
    return links.map((l) => ({ mentionId: l.mentionId, schoolId: String(l.schoolId) }));
  }
  const added = await q
    .onConflict((oc) => oc.columns(['mention_id', 'school_id']).doNothing())
    .returning(['mention_id', 'school_id'])
    .execute();
  return added.map((r) => ({ mentionId: r.mention_id, schoolId: r.school_id }));
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
