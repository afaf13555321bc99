import { openSettings } from '../server/auth/secretBox.ts';
import { createHash } from 'node:crypto';
import { inTransaction, type DB } from '../server/db/index.ts';
import { boardExclusions } from '../server/db/boards.ts';
import {
  deletePreviewItemsOlderThan,
  insertMentions,
  keepPreviewItems,
  linkManyMentionSchools,
  lockStories,
  schoolFactSheets,
  setStoryIds,
  storedExternalIds,
  storyLeaderCandidates,
  type LeaderCandidate,
} from '../server/db/ingest.ts';
import type { Origin, Source } from '../server/db/schema.ts';
import { log } from '../server/log.ts';
import { newMentionSearch, newMentionShown, storeNewClassifications } from './classifications.ts';
import { classifiedText } from './labelling.ts';
import { labelMentions } from './labelThreads.ts';
import { assignNewMentions } from './cases/assignBatch.ts';
import { claimQueuedMentions } from '../server/db/filingQueue.ts';
import type { Classification } from './classify/types.ts';
import { boardPolicy } from '../server/db/policy.ts';
import { collectorFor } from './collectors/registry.ts';
import type { CollectContext, CollectedItem, CollectResult } from './collectors/types.ts';
import { compileExclusions, itemMatcher, type ItemMatcher, type SchoolMatch } from './match/board.ts';
import { loadSchools } from '../server/db/boardSchools.ts';
import { foldText } from './normalise.ts';
import { dbQuota } from './quota.ts';
import { canonicalUrl } from './urls.ts';
import type { Action } from './policy/types.ts';

export type PipelineResult = { collected: number; matched: number; inserted: number; result: CollectResult };

export type ProcessOptions = {
  now?: Date;
  // The meldpunt and staff additions say which school a mention is about; no matching then.
  schoolIds?: string[];
  origin?: Origin;
  // Matching other than the board's current queries (re-applying one school's edited query).
  match?: ItemMatcher;
  sourceKind?: string;
  // false: store without filing into a case (a meldpunt report held back in a flood starts no case
  // and no alert).
  fileCases?: boolean;
  // More rows that belong with the new mention, written in its transaction (a report's own row), so
  // no worker ever sees the mention without them.
  withMention?: (trx: DB, mentionId: string) => Promise<void>;
};

// The text key of a story: the same words (case, accents, punctuation and spacing aside) are the
// same story. Short texts ("Gefeliciteerd!") are too common to say anything and get no key.
export function storyKey(full: string): string | null {
  const words = foldText(full)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return words.length >= 40 ? createHash('sha256').update(words).digest('base64url').slice(0, 32) : null;
}

// Items that match no school are not stored at all (privacy by design: we keep only what is about
// a school). Re-running a collection inserts nothing twice: (source_id, external_id) is unique.
// Matching and classification run first, outside any transaction; then the new items are stored a
// batch at a time (BATCH per transaction), with the same outcome as storing them one by one in order.
export async function processItems(
  db: DB,
  source: Pick<Source, 'id' | 'board_id' | 'school_id'> & { kind?: string },
  items: CollectedItem[],
  opts: ProcessOptions = {},
) {
  const now = opts.now ?? new Date();
  const match = opts.schoolIds
    ? undefined
    : (opts.match ?? (await boardMatcher(db, source.board_id, source.school_id)));
  const kind = opts.sourceKind ?? source.kind ?? 'rss';
  const unmatched: CollectedItem[] = [];
  const found: { item: CollectedItem; schools: SchoolMatch[] }[] = [];
  for (const item of items) {
    const schools: SchoolMatch[] = match
      ? match(item, kind)
      : opts.schoolIds!.map((schoolId) => ({ schoolId, matched: [], spans: [] }));
    if (schools.length) found.push({ item, schools });
    else unmatched.push(item);
  }
  // A feed collected again: what it gave before is neither read nor stored again.
  const stored = await storedExternalIds(
    db,
    source.id,
    found.map((f) => externalIdOf(f.item)),
  );
  const fresh = found.filter((f) => !stored.has(externalIdOf(f.item)));
  let inserted = 0;
  const ids: string[] = [];
  if (fresh.length) {
    // Each school's fact sheet, so a claim that contradicts it is flagged with the fact to quote.
    const factRows = await schoolFactSheets(db, source.board_id);
    const facts = new Map(factRows.map((r) => [String(r.id), r.facts]));
    const { preset, version } = await boardPolicy(db, source.board_id);
    const ctx = { source, opts, now, policy: { id: preset.id, version } };
    const labellings = fresh.map(({ item, schools }) => ({
      title: item.title,
      body: item.text,
      facts: schools.flatMap((s) => facts.get(String(s.schoolId)) ?? []),
      preset,
      sourceKind: kind,
      media: item.media,
      now,
    }));
    // Every batch's labels are asked for at once: the classification threads label the next batch
    // while this one is stored. (A batch that fails to store leaves the rest unawaited: no unhandled
    // rejection then.)
    const labelled: Promise<Classification[]>[] = [];
    for (let i = 0; i < fresh.length; i += BATCH) {
      const asked = labelMentions(labellings.slice(i, i + BATCH));
      asked.catch(() => {});
      labelled.push(asked);
    }
    for (let i = 0; i < fresh.length; i += BATCH) {
      const labels = await labelled[i / BATCH]!;
      const prepared = fresh.slice(i, i + BATCH).map(({ item, schools }, k) => prepare(item, schools, now, labels[k]!));
      const stored = await inTransaction(db, (trx) => storeBatch(trx, ctx, prepared));
      // Filed in a transaction of its own, so the schools' case locks are held for the filing alone and
      // workers storing posts about the same schools do not wait for each other's whole batch. A crash
      // in between loses nothing: the new posts are on the filing queue (sql/0030), which a worker's
      // file-cases job empties.
      if (opts.fileCases !== false && stored.length) await inTransaction(db, (trx) => fileBatch(trx, ctx, stored));
      inserted += stored.length;
      ids.push(...stored.map((n) => n.id));
    }
  }
  // Unmatched items are kept only in the preview window (for query editing), never in the inbox.
  if (unmatched.length && !opts.match) await keepForPreview(db, source, unmatched);
  return { matched: found.length, inserted, ids };
}

// New mentions per transaction: large enough that a batch costs a few statements per hundred
// mentions, small enough that the story and case locks are not held long.
export const BATCH = 200;

const externalIdOf = (item: CollectedItem) => item.externalId.slice(0, 1000);

type Prepared = {
  item: CollectedItem;
  schools: SchoolMatch[];
  labels: Classification;
  full: string;
  published: Date;
  story: { url: string | null; key: string | null };
  // the mention's search text, masked from its labels, and its labels as shown (stored with it)
  columns: ReturnType<typeof newMentionSearch> & ReturnType<typeof newMentionShown>;
};

function prepare(item: CollectedItem, schools: SchoolMatch[], now: Date, labels: Classification): Prepared {
  const full = classifiedText(item.title, item.text);
  const published =
    item.publishedAt && item.publishedAt.getTime() <= now.getTime() + 86_400_000 ? item.publishedAt : now;
  return {
    item,
    schools,
    labels,
    full,
    published,
    story: { url: canonicalUrl(item.url) ?? item.url, key: storyKey(full) },
    columns: { ...newMentionSearch({ title: item.title, body: item.text }, labels), ...newMentionShown(labels) },
  };
}

type BatchContext = {
  source: Pick<Source, 'id' | 'board_id'>;
  opts: ProcessOptions;
  now: Date;
  policy: { id: string; version: number | null };
};

type Stored = { p: Prepared; id: string; leader: string | undefined };

// One transaction: the batch's new mentions with their story, school links and labels. The new
// mentions, in the order of the items.
async function storeBatch(trx: DB, ctx: BatchContext, batch: Prepared[]): Promise<Stored[]> {
  const { source, opts } = ctx;
  const boardId = source.board_id;
  const origin = opts.origin ?? 'collected';
  // Two workers storing the same story at once must agree on which one is first.
  await lockStories(
    trx,
    boardId,
    batch.map((p) => p.story),
  );
  // A collected post joins any story; a post added by hand or reported joins only a story its
  // school already has, so a known link never pulls another school's stored post into view.
  const within = origin === 'collected' ? undefined : [...new Set(batch.flatMap((p) => schoolIdsOf(p)))];
  const candidates = await storyLeaderCandidates(
    trx,
    boardId,
    batch.map((p) => p.story),
    within,
  );
  const stored = storedLeaders(batch, candidates, origin !== 'collected');
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
      story_id: stored[i] ?? null,
      ...p.columns,
    })),
  );
  const idOf = new Map(rows.map((r) => [r.external_id, r.id]));
  const news = batch.flatMap((p, i) => {
    const id = idOf.get(externalIdOf(p.item));
    if (!id) return [];
    idOf.delete(externalIdOf(p.item)); // the same item twice in one batch is stored once
    return [{ p, id, leader: stored[i] }];
  });
  // A story whose first mention is in this batch: later copies in the batch follow it, as they
  // would have had it been stored before them. Only a collected post leads (see storyLeader).
  const copies: { id: string; storyId: string }[] = [];
  if (origin === 'collected') {
    const leaders: { id: string; story: Prepared['story'] }[] = [];
    for (const n of [...news].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))) {
      if (n.leader) continue;
      const first = leaders.find((l) => sameStory(l.story, n.p.story));
      if (first) {
        n.leader = first.id;
        copies.push({ id: n.id, storyId: first.id });
      } else leaders.push({ id: n.id, story: n.p.story });
    }
  }
  await setStoryIds(trx, copies);
  await linkManyMentionSchools(
    trx,
    news.flatMap((n) => {
      const post = { publishedAt: n.p.published, shownRisks: n.p.columns.shown_risks };
      return n.p.schools.map((s) => ({ ...s, mentionId: n.id, post }));
    }),
  );
  // The story is shown once, under its first mention: that mention is then about every school
  // any of its copies is about.
  await linkManyMentionSchools(
    trx,
    news.flatMap((n) => (n.leader ? n.p.schools.map((s) => ({ ...s, mentionId: n.leader! })) : [])),
    { keepExisting: true },
  );
  await storeNewClassifications(
    trx,
    news.map((n) => ({ mentionId: n.id, labels: n.p.labels })),
  );
  if (opts.withMention) for (const n of news) await opts.withMention(trx, n.id);
  return news;
}

// The discussion's case gets each post and the prompts it asks for: the posts this batch stored, as
// far as a file-cases job has not taken them off the filing queue since (it files those itself).
async function fileBatch(trx: DB, ctx: BatchContext, stored: Stored[]) {
  const { source, now } = ctx;
  const boardId = source.board_id;
  const mine = await claimQueuedMentions(
    trx,
    stored.map((n) => n.id),
  );
  await assignNewMentions(
    trx,
    stored
      .filter((n) => mine.has(n.id))
      .map(({ p, id, leader }) => ({
        boardId,
        mentionId: id,
        externalId: externalIdOf(p.item),
        threadId: p.item.threadId,
        replyTo: p.item.replyTo,
        storyId: leader,
        schoolIds: schoolIdsOf(p),
        text: p.full,
        risks: p.labels.risks,
        actions: p.labels.actions as Action[],
        policy: ctx.policy,
        at: p.published,
        now,
      })),
  );
}

const schoolIdsOf = (p: Prepared) => [...new Set(p.schools.map((s) => String(s.schoolId)))];

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

export const PREVIEW_HOURS = 72;

async function keepForPreview(db: DB, source: Pick<Source, 'id' | 'board_id'>, items: CollectedItem[]) {
  await keepPreviewItems(
    db,
    items.map((item) => ({
      boardId: source.board_id,
      sourceId: source.id,
      externalId: item.externalId.slice(0, 1000),
      item,
      searchText: foldText(`${item.title}\n${item.text}`).slice(0, 20_000),
    })),
  );
}

// The window closes: unmatched items older than PREVIEW_HOURS are deleted.
export const purgePreview = (db: DB, hours = PREVIEW_HOURS): Promise<number> => deletePreviewItemsOlderThan(db, hours);

// The board's current queries and exclusions (or one school's query, for a school's own source).
async function boardMatcher(db: DB, boardId: string, schoolId?: string | null): Promise<ItemMatcher> {
  const [schools, exclusions] = await Promise.all([loadSchools(db, boardId, schoolId), boardExclusions(db, boardId)]);
  return itemMatcher(schools, compileExclusions(exclusions, log.warn), boardId, log.warn);
}

export async function runSource(db: DB, source: Source, ctx: CollectContext): Promise<PipelineResult> {
  const collector = collectorFor(source.kind);
  const result = await collector.collect(
    {
      id: source.id,
      kind: source.kind,
      url: source.url,
      settings: openSettings(source.kind, source.settings),
      etag: source.etag,
      lastModified: source.last_modified,
      state: source.state,
    },
    { ...ctx, quota: ctx.quota ?? dbQuota(db) },
  );
  const { matched, inserted } = await processItems(db, source, result.items, { sourceKind: source.kind });
  return { collected: result.items.length, matched, inserted, result };
}
