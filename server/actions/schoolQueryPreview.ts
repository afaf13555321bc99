import { audit } from '../db/audit.ts';
import type { Viewer } from '../access.ts';
import { boardExclusions } from '../db/boards.ts';
import type { DB } from '../db/index.ts';
import { loadSchools } from '../db/boardSchools.ts';
import { allPersonalData, maskText } from '../../workers/classify/personalData.ts';
import { compileExclusions, itemMatcher, type SchoolQueryRow } from '../../workers/match/board.ts';
import { parseQuery, QueryError } from '../../workers/match/query.ts';
import { log } from '../log.ts';
import { candidates, type Candidate } from './schoolQueries.ts';

// The live preview of an edited school query or of the board's exclusions: what would newly match and
// what would drop out, among stored mentions and the preview window's unmatched items (saving is in
// schoolQueries.ts).

export type PreviewEntry = {
  kind: 'mention' | 'window';
  id: string;
  title: string;
  text: string;
  url: string | null;
  source: string;
  publishedAt: string | null;
  clauses: string[];
};
export type QueryPreview =
  | {
      ok: true;
      newlyMatching: PreviewEntry[];
      droppingOut: PreviewEntry[];
      counts: { newlyMatching: number; droppingOut: number; stillMatching: number; checked: number };
    }
  | { ok: false; error: string; position: number };

const LIST_MAX = 50;

// A preview shows posts the way the inbox does: personal data masked.
const masked = (s: string) => maskText(s, allPersonalData(s));
const entry = (c: Candidate, clauses: string[]): PreviewEntry => ({
  kind: c.kind,
  id: c.id,
  title: masked(c.item.title),
  text: masked(c.item.text.slice(0, 300)),
  url: c.item.url,
  source: c.sourceKind,
  publishedAt: c.item.publishedAt ? new Date(c.item.publishedAt).toISOString() : null,
  clauses,
});

function checked(query: string | null): { error: string; position: number } | null {
  if (query === null || !query.trim()) return null;
  try {
    parseQuery(query);
    return null;
  } catch (err) {
    if (err instanceof QueryError) return { error: err.message, position: err.position };
    throw err;
  }
}

// Only over what the viewer may see (their schools' posts and unmatched ones), masked, and audited
// like every other look at stored posts.
export async function previewSchoolQuery(
  db: DB,
  viewer: Viewer,
  school: SchoolQueryRow & { slug?: string },
  query: string | null,
  ip?: string,
): Promise<QueryPreview> {
  const bad = checked(query);
  if (bad) return { ok: false, ...bad };
  const boardId = viewer.boardId;
  const match = itemMatcher(
    [{ ...school, query }],
    compileExclusions(await boardExclusions(db, boardId), log.warn),
    boardId,
    log.warn,
  );
  const list = await candidates(db, boardId, school.id, {
    limit: 5000,
    visibleSchools: viewer.allSchools ? undefined : viewer.schoolIds,
  });
  const result = compare(list, (c) => match(c.item, c.sourceKind)[0]?.matched ?? null);
  await audit(db, {
    boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'query.preview',
    targetType: 'school',
    targetId: school.id,
    ip,
    details: { counts: result.counts },
  });
  return result;
}

// The exclusions apply to the whole board: previewing them is for who may change them.
export async function previewExclusions(
  db: DB,
  viewer: Viewer,
  exclusions: string | null,
  ip?: string,
): Promise<QueryPreview> {
  const bad = checked(exclusions);
  if (bad) return { ok: false, ...bad };
  const boardId = viewer.boardId;
  const schools = await loadSchools(db, boardId);
  const match = itemMatcher(schools, compileExclusions(exclusions, log.warn), boardId, log.warn);
  const list = await candidates(db, boardId, null, { limit: 5000 });
  const result = compare(list, (c) => {
    const hits = match(c.item, c.sourceKind);
    return hits.length ? hits.flatMap((h) => h.matched) : null;
  });
  await audit(db, {
    boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'exclusions.preview',
    targetType: 'board',
    targetId: boardId,
    ip,
    details: { counts: result.counts },
  });
  return result;
}

function compare(list: Candidate[], matchOf: (c: Candidate) => string[] | null): Extract<QueryPreview, { ok: true }> {
  const newly: PreviewEntry[] = [];
  const dropping: PreviewEntry[] = [];
  let still = 0;
  let newCount = 0;
  let dropCount = 0;
  for (const c of list) {
    const clauses = matchOf(c);
    if (clauses && !c.linked) {
      newCount++;
      if (newly.length < LIST_MAX) newly.push(entry(c, clauses));
    } else if (!clauses && c.linked) {
      dropCount++;
      if (dropping.length < LIST_MAX) dropping.push(entry(c, []));
    } else if (clauses) still++;
  }
  return {
    ok: true,
    newlyMatching: newly,
    droppingOut: dropping,
    counts: { newlyMatching: newCount, droppingOut: dropCount, stillMatching: still, checked: list.length },
  };
}
