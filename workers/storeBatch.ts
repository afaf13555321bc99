import type { DB } from '../server/db/index.ts';
import {
  batchSettlesItself,
  compareIds,
  countBatchCopies,
  insertMentions,
  linkManyMentionSchools,
  lockStories,
  queueBatchStats,
  setStoryIds,
  storyLeaderCandidates,
  type LeaderCandidate,
} from '../server/db/ingest.ts';
import type { Source } from '../server/db/schema.ts';
import { newMentionSearch, newMentionShown, storeNewClassifications } from './classifications.ts';
import type { Classification } from './classify/types.ts';
import type { CollectedItem } from './collectors/types.ts';
import type { SchoolMatch } from './match/board.ts';
import type { ProcessOptions } from './pipeline.ts';

// Storing one batch of new posts for workers/pipeline.ts: the posts with their story, school links and
// labels, in one transaction, settled against the batches other workers store at the same time.

export const externalIdOf = (item: CollectedItem) => item.externalId.slice(0, 1000);

export type Prepared = {
  item: CollectedItem;
  schools: SchoolMatch[];
  labels: Classification;
  full: string;
  published: Date;
  story: { url: string | null; key: string | null };
  // the mention's search text, masked from its labels, and its labels as shown (stored with it)
  columns: ReturnType<typeof newMentionSearch> & ReturnType<typeof newMentionShown>;
};

export type BatchContext = {
  source: Pick<Source, 'id' | 'board_id'>;
  opts: ProcessOptions;
  now: Date;
  policy: { id: string; version: number | null };
};

export type Stored = { p: Prepared; id: string; leader: string | undefined };

// One transaction: the batch's new mentions with their story, school links and labels. The new
// mentions, in the order of the items.
// The posts, their own links and their labels are stored first, a post whose story already has a leader
// (committed by another batch) as its copy, the others as if they led; only then does the batch take its
// story locks, to settle which posts lead and which are copies (a second lookup, and one update of the
// posts whose story it changed: a copy of the batch's own first post, or of a leader another batch
// committed meanwhile) and to link the leaders to their copies' schools, just before it commits. So
// another batch with the same stories waits only for that last step, not for the whole batch, and a batch
// waiting on a story lock holds no row another batch writes while settling: the leaders' copy counts and
// the rollups' pairs it writes itself once it holds its locks (sql/0054).
export async function storeBatch(trx: DB, ctx: BatchContext, batch: Prepared[]): Promise<Stored[]> {
  const { source, opts } = ctx;
  const boardId = source.board_id;
  const origin = opts.origin ?? 'collected';
  // A collected post joins any story; a post added by hand or reported joins only a story its
  // school already has, so a known link never pulls another school's stored post into view.
  const within = origin === 'collected' ? undefined : [...new Set(batch.flatMap((p) => schoolIdsOf(p)))];
  await batchSettlesItself(trx);
  const early = storedLeaders(
    batch,
    await storyLeaderCandidates(
      trx,
      boardId,
      batch.map((p) => p.story),
      within,
    ),
    origin !== 'collected',
  );
  const rows = await insertMentions(
    trx,
    batch.map((p, i) => ({
      board_id: boardId,
      source_id: source.id,
      external_id: externalIdOf(p.item),
      url: p.story.url,
      title: p.item.title,
      body: p.item.text,
      author: p.item.author,
      author_handle: p.item.handle ?? null,
      // Only web links: a hostile platform or feed must not get a javascript: URL into a link.
      media: (p.item.media ?? []).filter((m) => /^https?:\/\//i.test(m.url)).slice(0, 20),
      reply_to: p.item.replyTo ?? null,
      thread_id: p.item.threadId ?? null,
      engagement: p.item.engagement ?? {},
      origin,
      published_at: p.published,
      // collected at the pipeline's clock (a test's too), which also says the post's month (sql/0040)
      created_at: ctx.now,
      story_key: p.story.key,
      story_id: early[i] ?? null,
      ...p.columns,
    })),
  );
  const idOf = new Map(rows.map((r) => [r.external_id, r.id]));
  const news: (Stored & { early: string | undefined })[] = batch.flatMap((p, i) => {
    const id = idOf.get(externalIdOf(p.item));
    if (!id) return [];
    idOf.delete(externalIdOf(p.item)); // the same item twice in one batch is stored once
    return [{ p, id, leader: undefined, early: early[i] }];
  });
  await linkManyMentionSchools(
    trx,
    news.flatMap((n) => {
      const post = { publishedAt: n.p.published, shownRisks: n.p.columns.shown_risks };
      return n.p.schools.map((s) => ({ ...s, mentionId: n.id, post }));
    }),
  );
  await storeNewClassifications(
    trx,
    news.map((n) => ({ mentionId: n.id, labels: n.p.labels })),
  );
  // (what it writes is the new post's own; any rollup pair or copy count it changed would not be queued)
  if (opts.withMention) for (const n of news) await opts.withMention(trx, n.id);

  // Settling: two batches storing the same story at once must agree on which post leads.
  const stories = news.map((n) => n.p.story);
  await lockStories(trx, boardId, stories);
  const candidates = await storyLeaderCandidates(
    trx,
    boardId,
    stories,
    within,
    news.map((n) => n.id),
  );
  settleLeaders(news, candidates, origin);
  await setStoryIds(
    trx,
    news.flatMap((n) => (n.leader !== n.early ? [{ id: n.id, storyId: n.leader ?? null }] : [])),
  );
  await countBatchCopies(
    trx,
    news.flatMap((n) => (n.leader ? [{ leaderId: n.leader, reported: origin === 'reported' }] : [])),
  );
  // The story is shown once, under its leader: that post is then about every school any of its
  // copies is about. In key order, as every batch settling at the same time takes them.
  const leaderLinks = news
    .flatMap((n) => (n.leader ? n.p.schools.map((s) => ({ ...s, mentionId: n.leader! })) : []))
    .sort((a, b) => compareIds(a.mentionId, b.mentionId) || compareIds(String(a.schoolId), String(b.schoolId)));
  const added = await linkManyMentionSchools(trx, leaderLinks, { keepExisting: true });
  await queueBatchStats(
    trx,
    news.map((n) => n.id),
    added,
  );
  return news.map(({ p, id, leader }) => ({ p, id, leader }));
}

// Each new post's leader: the first of the mentions stored before (committed by other batches) that
// may lead its story; else, for a collected post, the batch's own first post of that story, as if they
// had been stored one by one in order. Only a collected post leads (see storyLeaderCandidates).
function settleLeaders(news: Stored[], candidates: LeaderCandidate[], origin: string) {
  const stored = storedLeaders(
    news.map((n) => n.p),
    candidates,
    origin !== 'collected',
  );
  news.forEach((n, i) => (n.leader = stored[i]));
  if (origin !== 'collected') return;
  const leaders: { id: string; story: Prepared['story'] }[] = [];
  for (const n of [...news].sort((a, b) => compareIds(a.id, b.id))) {
    if (n.leader) continue;
    const first = leaders.find((l) => sameStory(l.story, n.p.story));
    if (first) n.leader = first.id;
    else leaders.push({ id: n.id, story: n.p.story });
  }
}

export const schoolIdsOf = (p: Prepared) => [...new Set(p.schools.map((s) => String(s.schoolId)))];

const sameStory = (a: Prepared['story'], b: Prepared['story']) =>
  (!!a.url && a.url === b.url) || (!!a.key && a.key === b.key);

// Each item's leader among the mentions stored before this batch: the first that may lead its story
// (candidates come oldest first), for hand-added and reported posts only one about their schools.
function storedLeaders(batch: Prepared[], candidates: LeaderCandidate[], within: boolean): (string | undefined)[] {
  return batch.map((p) => {
    const mine = schoolIdsOf(p);
    return candidates.find(
      (c) =>
        sameStory({ url: c.url, key: c.story_key }, p.story) && (!within || c.school_ids.some((s) => mine.includes(s))),
    )?.id;
  });
}
