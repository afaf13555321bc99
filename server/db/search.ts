import { sql } from 'kysely';
import { foldText } from '../../workers/normalise.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import type { DB } from './index.ts';

// The inbox's text search: what a search box means (words, "quoted phrases"), the conditions it adds
// to a query on `mentions as m`, and finding a search's hits through the text indexes.

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

// The search box: "quoted phrases" and single words, folded like the stored search text; at most 10.
export function searchTerms(q: string): { text: string; phrase: boolean }[] {
  const out: { text: string; phrase: boolean }[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(q); m && out.length < 10; m = re.exec(q)) {
    const text = foldText(m[1] ?? m[2]).trim();
    if (text) out.push({ text, phrase: m[1] !== undefined && /\s/.test(text) });
  }
  return out;
}

// Only the text as lists show it, masked by the running classifier's detector: a search must not find a
// post by personal data the list hides (sql/0024_search_masked.sql). Each word, or "quoted phrase", must
// be in the text: as a substring (names, handles, parts of words; trigram index) or as a Dutch word
// form, a phrase in order (full-text index, sql/0029).
// Typed loosely on purpose: it adds the same conditions to the inbox query and to the bare hits query.
type Whereable = { where: (...args: never[]) => unknown };
export function searchWhere<Q extends Whereable>(q: Q, text: string): Q {
  type Any = { where: (...args: unknown[]) => Any };
  let out = (q as unknown as Any).where('m.search_masked_by', '=', CLASSIFIER);
  for (const term of searchTerms(text)) {
    const tsquery = term.phrase
      ? sql`phraseto_tsquery('dutch', ${term.text})`
      : sql`plainto_tsquery('dutch', ${term.text})`;
    out = out.where(sql<boolean>`(m.search_text like ${`%${likeEscape(term.text)}%`} or m.search_tsv @@ ${tsquery})`);
  }
  return out as unknown as Q;
}

// A search finds its posts through the text indexes first, up to SEARCH_HITS of them; only a term that
// common walks the inbox's ordered index (where hits come soon). Without this a rare term made the
// planner walk a million rows in date order looking for 51 hits.
export const SEARCH_HITS = 1000;
export async function searchHits(db: DB, boardId: string, text: string): Promise<string[] | null> {
  const rows = await searchWhere(
    db.selectFrom('mentions as m').select('m.id').where('m.board_id', '=', boardId).where('m.story_id', 'is', null),
    text,
  )
    .limit(SEARCH_HITS + 1)
    .execute();
  return rows.length > SEARCH_HITS ? null : rows.map((r) => r.id);
}

// The newest posts a search looks through first (listMentions): a common word has its page among
// them, found by walking the inbox's date index, where asking the text indexes for its hits means
// reading tens of thousands of them. Only a rarer word goes on to the text indexes.
export const SEARCH_WINDOW = 3000;

// The publication time of the board's SEARCH_WINDOW-th newest listed post (after `before`, a page's
// cursor), or null when fewer posts are left: a walk from there on is short anyway.
export async function windowFloor(
  db: DB,
  boardId: string,
  before?: { publishedAt: Date; id: string },
): Promise<Date | null> {
  const row = await db
    .selectFrom('mentions')
    .select('published_at')
    .where('board_id', '=', boardId)
    .where('story_id', 'is', null)
    .$if(!!before, (q) =>
      q.where((eb) =>
        eb.or([
          eb('published_at', '<', before!.publishedAt),
          eb.and([eb('published_at', '=', before!.publishedAt), eb('id', '<', before!.id)]),
        ]),
      ),
    )
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .offset(SEARCH_WINDOW)
    .limit(1)
    .executeTakeFirst();
  return row?.published_at ?? null;
}
