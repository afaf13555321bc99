import type { CollectedItem } from '../collectors/types.ts';
import { detectLanguage } from '../classify/language.ts';
import { defaultQuery } from './defaults.ts';
import type { Span } from './evaluate.ts';
import { MatcherIndex } from './index.ts';
import { parseQuery, type Node } from './query.ts';

// The matcher a pipeline run uses: every school of a board (or the one school a source belongs
// to), each with its own query or the generated default, and the board's exclusion list. A stored
// query that no longer parses is reported through `warn` (the caller logs it).

export type SchoolMatch = { schoolId: string; matched: string[]; spans: Span[] };
export type Warn = (fields: Record<string, unknown>, msg: string) => void;
const unheard: Warn = () => {};
export type ItemMatcher = (item: CollectedItem, sourceKind: string, lang?: string | null) => SchoolMatch[];
export type SchoolQueryRow = {
  id: string;
  name: string;
  aliases: string[];
  place: string | null;
  query: string | null;
};

export const effectiveQuery = (s: SchoolQueryRow) => s.query?.trim() || defaultQuery(s);

export function compileSchool(s: SchoolQueryRow, warn: Warn = unheard): Node {
  try {
    return parseQuery(effectiveQuery(s));
  } catch (err) {
    // A stored query was checked when it was saved; if it no longer parses, fall back loudly.
    warn({ schoolId: s.id, error: (err as Error).message }, 'stored query does not parse; using the default');
    return parseQuery(defaultQuery(s));
  }
}

export function compileExclusions(text: string | null | undefined, warn: Warn = unheard): Node | null {
  if (!text?.trim()) return null;
  try {
    return parseQuery(text);
  } catch (err) {
    warn({ error: (err as Error).message }, 'stored board exclusions do not parse; ignored');
    return null;
  }
}

export function itemMatcher(
  schools: SchoolQueryRow[],
  exclusions: Node | null,
  boardId: string,
  warn: Warn = unheard,
): ItemMatcher {
  const index = new MatcherIndex();
  index.setExclusion(boardId, exclusions);
  for (const s of schools) index.set({ id: s.id, boardId, query: compileSchool(s, warn) });
  return (item, sourceKind, lang) => {
    const full = item.title && item.text ? `${item.title}\n\n${item.text}` : item.title || item.text;
    return index
      .match({
        title: item.title,
        text: item.text,
        author: item.author,
        url: item.url,
        // only worked out when a query asks for it (~25 µs a post)
        lang: lang ?? (index.asksLanguage ? detectLanguage(full) : null),
        source: sourceKind,
      })
      .map((h) => ({ schoolId: h.id, matched: h.clauses, spans: h.spans }));
  };
}

// One matcher over every school of every board (a stream that sees all posts once): each hit is
// grouped under its board, with that board's exclusions applied.
export type DeploymentMatcher = {
  size: number;
  match: (post: {
    text: string;
    author?: string | null;
    url?: string | null;
    lang?: string | null;
  }) => Map<string, SchoolMatch[]>;
  // false: no school's query can match a post with this text (see MatcherIndex.couldMatchText)
  couldMatchText: (text: string) => boolean;
};

export function deploymentMatcher(
  schools: (SchoolQueryRow & { boardId: string })[],
  boards: { id: string; exclusions: string | null }[],
  sourceKind: string,
  warn: Warn = unheard,
): DeploymentMatcher {
  const index = new MatcherIndex();
  for (const b of boards) index.setExclusion(b.id, compileExclusions(b.exclusions, warn));
  for (const s of schools) index.set({ id: s.id, boardId: s.boardId, query: compileSchool(s, warn) });
  const boardOf = new Map(schools.map((s) => [s.id, s.boardId]));
  return {
    size: index.size,
    couldMatchText: (text) => index.couldMatchText(text),
    match(post) {
      const out = new Map<string, SchoolMatch[]>();
      const hits = index.match({
        text: post.text,
        author: post.author,
        url: post.url,
        lang: post.lang ?? (index.asksLanguage ? detectLanguage(post.text) : null),
        source: sourceKind,
      });
      for (const h of hits) {
        const board = boardOf.get(h.id)!;
        (out.get(board) ?? out.set(board, []).get(board)!).push({ schoolId: h.id, matched: h.clauses, spans: h.spans });
      }
      return out;
    },
  };
}
