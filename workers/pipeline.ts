import { openSettings } from '../server/auth/secretBox.ts';
import { createHash } from 'node:crypto';
import { inTransaction, type DB } from '../server/db/index.ts';
import { boardExclusions } from '../server/db/boards.ts';
import {
  deletePreviewItemsOlderThan,
  insertMention,
  keepPreviewItems,
  linkMentionSchools,
  lockStory,
  schoolFactSheets,
  storyLeader,
} from '../server/db/ingest.ts';
import type { Origin, Source } from '../server/db/schema.ts';
import { log } from '../server/log.ts';
import { classifiedText, labelMention, storeClassification } from './classifications.ts';
import { assignCases } from './cases/assign.ts';
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
  // Each school's fact sheet, so a claim that contradicts it is flagged with the fact to quote.
  const factRows = await schoolFactSheets(db, source.board_id);
  const facts = new Map(factRows.map((r) => [String(r.id), r.facts]));
  const { preset, version } = await boardPolicy(db, source.board_id);
  const policy = { id: preset.id, version };
  let matched = 0;
  let inserted = 0;
  const ids: string[] = [];
  for (const item of items) {
    const full = classifiedText(item.title, item.text);
    const schools: SchoolMatch[] = match
      ? match(item, kind)
      : opts.schoolIds!.map((schoolId) => ({ schoolId, matched: [], spans: [] }));
    if (!schools.length) {
      unmatched.push(item);
      continue;
    }
    matched++;
    const labels = labelMention({
      title: item.title,
      body: item.text,
      facts: schools.flatMap((s) => facts.get(String(s.schoolId)) ?? []),
      preset,
      sourceKind: kind,
      media: item.media,
      now,
    });
    const published =
      item.publishedAt && item.publishedAt.getTime() <= now.getTime() + 86_400_000 ? item.publishedAt : now;
    const key = storyKey(full);
    const url = canonicalUrl(item.url) ?? item.url;
    const id = await inTransaction(db, async (trx) => {
      // Two workers storing the same story at once must agree on which one is first.
      await lockStory(trx, source.board_id, { url, key });
      // A collected post joins any story; a post added by hand or reported joins only a story its
      // school already has, so a known link never pulls another school's stored post into view.
      const within = (opts.origin ?? 'collected') === 'collected' ? undefined : schools.map((s) => String(s.schoolId));
      const leader = await storyLeader(trx, source.board_id, { url, key }, within);
      const mentionId = await insertMention(trx, {
        board_id: source.board_id,
        source_id: source.id,
        external_id: item.externalId.slice(0, 1000),
        url,
        title: item.title,
        body: item.text,
        author: item.author,
        author_handle: item.handle ?? null,
        // Only web links: a hostile platform or feed must not get a javascript: URL into a link.
        media: (item.media ?? []).filter((m) => /^https?:\/\//i.test(m.url)).slice(0, 20),
        reply_to: item.replyTo ?? null,
        thread_id: item.threadId ?? null,
        engagement: item.engagement ?? {},
        origin: opts.origin ?? 'collected',
        published_at: published,
        story_key: key,
        story_id: leader?.id ?? null,
      });
      if (!mentionId) return undefined;
      await linkMentionSchools(trx, mentionId, schools);
      // The story is shown once, under its first mention: that mention is then about every school
      // any of its copies is about.
      if (leader) await linkMentionSchools(trx, leader.id, schools, { keepExisting: true });
      // also the mention's search text, masked from these labels
      await storeClassification(trx, { id: mentionId, title: item.title, body: item.text }, labels);
      await opts.withMention?.(trx, mentionId);
      // The discussion's case gets this post and the prompts it asks for.
      if (opts.fileCases !== false)
        await assignCases(trx, {
          boardId: source.board_id,
          mentionId,
          externalId: item.externalId.slice(0, 1000),
          threadId: item.threadId,
          replyTo: item.replyTo,
          storyId: leader?.id,
          schoolIds: [...new Set([...schools.map((s) => String(s.schoolId))])],
          text: full,
          risks: labels.risks,
          actions: labels.actions as Action[],
          policy,
          at: published,
          now,
        });
      return mentionId;
    });
    if (id) {
      inserted++;
      ids.push(id);
    }
  }
  // Unmatched items are kept only in the preview window (for query editing), never in the inbox.
  if (unmatched.length && !opts.match) await keepForPreview(db, source, unmatched);
  return { matched, inserted, ids };
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
