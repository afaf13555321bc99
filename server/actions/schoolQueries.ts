import { audit } from '../db/audit.ts';
import type { Viewer } from '../access.ts';
import { boardExclusions, setBoardExclusions } from '../db/boards.ts';
import { inTransaction, type DB } from '../db/index.ts';
import {
  deletePreviewItem,
  linkMentionToSchool,
  schoolLinksOfMention,
  storedCandidates,
  unlinkMentionFromSchools,
  windowCandidates,
} from '../db/schoolQueries.ts';
import { schoolBySlug, setSchoolQuery } from '../db/schools.ts';
import { sourceSchools } from '../db/sources.ts';
import type { CollectedItem } from '../../workers/collectors/types.ts';
import { compileExclusions, effectiveQuery, itemMatcher, type SchoolQueryRow } from '../../workers/match/board.ts';
import { loadSchools } from '../db/boardSchools.ts';
import { defaultQuery } from '../../workers/match/defaults.ts';
import { parseQuery } from '../../workers/match/query.ts';
import { PREVIEW_HOURS, processItems } from '../../workers/pipeline.ts';
import { log } from '../log.ts';

// Editing a school's query (or the board's exclusions): a live preview of what would newly match
// and what would drop out — among stored mentions and among the unmatched items of the preview
// window (schoolQueryPreview.ts) — and saving, which re-applies the change. Mentions that no longer
// match leave the inbox (mention_schools.active = false) but stay stored until retention, so an edit
// can be undone.

export type Candidate = {
  kind: 'mention' | 'window';
  id: string;
  item: CollectedItem;
  sourceKind: string;
  sourceId: string;
  linked: boolean;
};

function reviveItem(raw: Record<string, unknown>): CollectedItem {
  const item = raw as unknown as CollectedItem & { publishedAt: string | Date | null };
  return { ...item, publishedAt: item.publishedAt ? new Date(item.publishedAt) : null };
}

// Everything a changed query could affect for one school: the board's stored mentions (for a
// school-scoped source only its own) and the preview window.
export async function candidates(
  db: DB,
  boardId: string,
  schoolId: string | null,
  opts: { limit?: number; visibleSchools?: string[] } = {},
): Promise<Candidate[]> {
  const [ms, ws] = await Promise.all([
    storedCandidates(db, boardId, schoolId, opts.limit, opts.visibleSchools),
    windowCandidates(db, boardId, PREVIEW_HOURS, opts.limit),
  ]);
  const out: Candidate[] = ms.map((m) => ({
    kind: 'mention',
    id: m.id,
    sourceKind: m.kind,
    sourceId: m.source_id,
    linked: m.linked,
    item: {
      externalId: m.external_id,
      url: m.url,
      title: m.title,
      text: m.body,
      author: m.author,
      publishedAt: m.published_at,
    },
  }));
  for (const w of ws) {
    if (schoolId && w.source_school && w.source_school !== schoolId) continue;
    out.push({
      kind: 'window',
      id: w.id,
      sourceKind: w.kind,
      sourceId: w.source_id,
      linked: false,
      item: reviveItem(w.item),
    });
  }
  return out;
}

export async function schoolForQuery(
  db: DB,
  viewer: Viewer,
  slug: string,
): Promise<(SchoolQueryRow & { slug: string }) | undefined> {
  const s = await schoolBySlug(db, viewer.boardId, slug);
  return s && viewer.schoolIds.includes(s.id) ? s : undefined;
}

export type ApplyResult = { added: number; removed: number; fromWindow: number };

// Re-apply the board's current queries to stored mentions and the preview window, for one school
// or (after the exclusions changed) all of them.
export async function reapply(db: DB, boardId: string, schoolId: string | null): Promise<ApplyResult> {
  const [schools, exclusions] = await Promise.all([loadSchools(db, boardId, schoolId), boardExclusions(db, boardId)]);
  const match = itemMatcher(schools, compileExclusions(exclusions, log.warn), boardId, log.warn);
  const ids = new Set(schools.map((s) => s.id));
  const result: ApplyResult = { added: 0, removed: 0, fromWindow: 0 };
  const list = await candidates(db, boardId, schoolId);
  const schoolOfSource = await sourceSchools(db, boardId);
  for (const c of list) {
    // A school-scoped source only ever speaks for its own school.
    const scope = schoolOfSource.get(c.sourceId);
    const hits = match(c.item, c.sourceKind).filter((h) => !scope || h.schoolId === scope);
    if (c.kind === 'window') {
      if (!hits.length) continue;
      const source = { id: c.sourceId, board_id: boardId, school_id: scope ?? null, kind: c.sourceKind };
      await processItems(db, source, [c.item], { match: () => hits, sourceKind: c.sourceKind });
      await deletePreviewItem(db, c.id);
      result.fromWindow++;
      continue;
    }
    await inTransaction(db, async (trx) => {
      const current = await schoolLinksOfMention(trx, c.id);
      for (const h of hits) {
        const was = current.find((r) => r.school_id === h.schoolId);
        if (!was?.active) result.added++;
        await linkMentionToSchool(trx, c.id, h);
      }
      const gone = current
        .filter((r) => r.active && ids.has(r.school_id) && !hits.some((h) => h.schoolId === r.school_id))
        .map((r) => r.school_id);
      if (gone.length) {
        result.removed += gone.length;
        await unlinkMentionFromSchools(trx, c.id, gone);
      }
    });
  }
  return result;
}

export async function saveSchoolQuery(
  db: DB,
  viewer: Viewer,
  school: SchoolQueryRow,
  query: string | null,
): Promise<ApplyResult> {
  const value = query?.trim() ? query.trim() : null;
  if (value) parseQuery(value); // throws QueryError with the position
  await setSchoolQuery(db, school.id, value);
  const result = await reapply(db, viewer.boardId, school.id);
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'school.query',
    targetType: 'school',
    targetId: school.id,
    details: { before: school.query, after: value, ...result },
  });
  return result;
}

export async function saveExclusions(db: DB, viewer: Viewer, exclusions: string | null): Promise<ApplyResult> {
  const value = exclusions?.trim() ? exclusions.trim() : null;
  if (value) parseQuery(value);
  const before = await boardExclusions(db, viewer.boardId);
  await setBoardExclusions(db, viewer.boardId, value);
  const result = await reapply(db, viewer.boardId, null);
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'board.exclusions',
    targetType: 'board',
    targetId: viewer.boardId,
    details: { before, after: value, ...result },
  });
  return result;
}

export const describeQuery = (s: SchoolQueryRow) => ({
  query: s.query,
  defaultQuery: defaultQuery(s),
  effective: effectiveQuery(s),
});
