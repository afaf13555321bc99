import { openSettings } from '../server/auth/secretBox.ts';
import { createHash } from 'node:crypto';
import { inTransaction, type DB } from '../server/db/index.ts';
import { boardExclusions } from '../server/db/boards.ts';
import {
  deletePreviewItemsOlderThan,
  keepPreviewItems,
  schoolFactSheets,
  storedExternalIds,
} from '../server/db/ingest.ts';
import type { Origin, Source } from '../server/db/schema.ts';
import { log } from '../server/log.ts';
import { newMentionSearch, newMentionShown } from './classifications.ts';
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
import { externalIdOf, schoolIdsOf, storeBatch, type BatchContext, type Prepared, type Stored } from './storeBatch.ts';
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
// batch at a time (BATCH per transaction), with the same outcome as storing them one by one in order
// (of two workers storing the same new story at once, the one that settles it first leads it:
// workers/storeBatch.ts).
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
      const stored = await againAfterDeadlock(() => inTransaction(db, (trx) => storeBatch(trx, ctx, prepared)));
      // Filed in a transaction of its own, so the schools' case locks are held for the filing alone and
      // workers storing posts about the same schools do not wait for each other's whole batch. A crash
      // in between loses nothing: the new posts are on the filing queue (sql/0030), which a worker's
      // file-cases job empties.
      if (opts.fileCases !== false && stored.length)
        await againAfterDeadlock(() => inTransaction(db, (trx) => fileBatch(trx, ctx, stored)));
      inserted += stored.length;
      ids.push(...stored.map((n) => n.id));
    }
  }
  // Unmatched items are kept only in the preview window (for query editing), never in the inbox.
  if (unmatched.length && !opts.match) await keepForPreview(db, source, unmatched);
  return { matched: found.length, inserted, ids };
}

// A batch that PostgreSQL chose to break a deadlock with is stored (or filed) again, after a short pause
// that grows with each try: it was rolled back whole, so nothing of it is stored yet. None is known
// between batches (workers/storeBatch.ts, server/db/caseFiling.ts); a month dropped by retention just
// as a batch settles onto one of its posts can still meet one.
export async function againAfterDeadlock<T>(work: () => Promise<T>, attempts = 3, pauseMs = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= attempts) throw err;
      log.warn({ attempt }, 'batch rolled back to break a deadlock; tried again');
      await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt * (1 + Math.random())));
    }
  }
}

// New mentions per transaction: large enough that a batch costs a few statements per hundred
// mentions, small enough that its story locks (while it settles) and case locks (while it is filed)
// are not held long.
export const BATCH = 200;

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
