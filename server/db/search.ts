import { sql } from 'kysely';
import { foldText } from '../../workers/normalise.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import type { DB } from './index.ts';
import { recentMonths } from './partitions.ts';
import { preparedRows } from './prepared.ts';

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
// `checkOnly`: terms so common that reading their hits from the indexes costs more than checking the
// rows the other terms' hits give (written so no index can serve them).
export function searchWhere<Q extends Whereable>(q: Q, text: string, checkOnly?: ReadonlySet<string>): Q {
  type Any = { where: (...args: unknown[]) => Any };
  let out = (q as unknown as Any).where('m.search_masked_by', '=', CLASSIFIER);
  for (const term of searchTerms(text)) {
    const tsquery = term.phrase
      ? sql`phraseto_tsquery('dutch', ${term.text})`
      : sql`plainto_tsquery('dutch', ${term.text})`;
    const like = `%${likeEscape(term.text)}%`;
    out = out.where(
      checkOnly?.has(term.text)
        ? sql<boolean>`((m.search_text || '') like ${like} or (m.search_tsv || ''::tsvector) @@ ${tsquery})`
        : sql<boolean>`(m.search_text like ${like} or m.search_tsv @@ ${tsquery})`,
    );
  }
  return out as unknown as Q;
}

// How common a search is, from the statistics ANALYZE keeps of the stored Dutch vectors (the planner's
// own figures: the most common lexemes and the share of posts with each), read at most every ten
// minutes per process. A word's share is that of its stem among them (Dutch stems drop a doubled
// vowel and an ending: "school" → "schol"); a word not among them is rare. Only speed depends on it.
const STATS_MS = 10 * 60_000;
let lexemes: { at: number; share: Map<string, number> } | null = null;
async function lexemeShares(db: DB): Promise<Map<string, number>> {
  if (lexemes && Date.now() - lexemes.at < STATS_MS) return lexemes.share;
  // a partitioned table's own statistics are only made by an explicit ANALYZE: each month's count too
  // (the largest share a lexeme has in any of them)
  const rows = await sql<{ e: string; f: number }>`select x.e, max(x.f) as f
    from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as x(e, f)
    where s.schemaname = current_schema() and s.attname = 'search_tsv' and x.e is not null
      and (s.tablename = 'mentions' or s.tablename in (select c.relname from pg_inherits i
        join pg_class c on c.oid = i.inhrelid where i.inhparent = 'mentions'::regclass))
    group by x.e`.execute(db);
  lexemes = { at: Date.now(), share: new Map(rows.rows.map((r) => [r.e, Number(r.f)])) };
  return lexemes.share;
}
const collapse = (w: string) => w.replace(/([aeiou])\1/g, '$1');
function wordShare(word: string, share: Map<string, number>): number {
  const c = collapse(word);
  let best = 0;
  // a number is itself; a word's stem keeps at least four letters
  const shortest = /\d/.test(c) ? c.length : Math.min(c.length, Math.max(4, c.length - 3));
  for (let k = c.length; k >= shortest; k--) best = Math.max(best, share.get(c.slice(0, k)) ?? 0);
  return best;
}

// The estimated share of posts a search matches (its terms' shares multiplied), and its common terms.
export async function searchShare(db: DB, text: string): Promise<{ share: number; common: Set<string> }> {
  const share = await lexemeShares(db);
  let all = 1;
  const common = new Set<string>();
  for (const term of searchTerms(text)) {
    const s = Math.min(...term.text.split(/\s+/).map((w) => wordShare(w, share)));
    all *= s;
    if (s >= COMMON_SHARE) common.add(term.text);
  }
  return { share: all, common };
}
// A search this common fills a page from the newest SEARCH_WINDOW posts (50 of 3,000 is 1.7%).
export const COMMON_SHARE = 0.02;

// A search finds its posts through the text indexes first, up to SEARCH_HITS of them; only a term that
// common walks the inbox's ordered index (where hits come soon). Without this a rare term made the
// planner walk a million rows in date order looking for 51 hits.
export const SEARCH_HITS = 1000;
// `months`: only posts collected from `idFloor`'s month on and/or before `idCeil`'s (constants, so the
// planner reads those months alone); `max`: fewer hits than SEARCH_HITS (what is left of it).
// Each hit with its publication time, so the inbox can try the newest ones first (listMentions).
export type SearchHit = { id: string; published_at: Date };
export async function searchHits(
  db: DB,
  boardId: string,
  text: string,
  checkOnly?: ReadonlySet<string>,
  months: { idFloor?: string; idCeil?: string; max?: number } = {},
): Promise<SearchHit[] | null> {
  const { idFloor, idCeil, max = SEARCH_HITS } = months;
  if (max < 0) return null;
  const q = searchWhere(
    db
      .selectFrom('mentions as m')
      .select(['m.id', 'm.published_at'])
      .where('m.board_id', '=', boardId)
      .where('m.story_id', 'is', null)
      .$if(!!idFloor, (q) => q.where(sql<boolean>`m.id >= ${sql.raw(String(BigInt(idFloor!)))}`))
      .$if(!!idCeil, (q) => q.where(sql<boolean>`m.id < ${sql.raw(String(BigInt(idCeil!)))}`)),
    text,
    checkOnly,
  ).limit(max + 1);
  // planned once per connection (prepared.ts): the plan over every month's text indexes cost twice the search
  const rows = await preparedRows(db, q.compile());
  return rows.length > max ? null : rows;
}

// How many of the newest hits a page of `limit` is tried with first: a page and a quarter, so a list
// that drops up to a fifth of them (a filter, a school) still fills. Twice a page only helped lists that
// drop between a fifth and half, and cost ~1.3 ms at 1M.
export const newestTried = (limit: number) => limit + 1 + Math.ceil(limit / 4);

// The newest hits past `cursor` in the inbox's order (newest first, then the highest id) that a page of
// `limit` is tried with first: newestTried(limit) of them.
export function newestHits(hits: SearchHit[], cursor: { publishedAt: Date; id: string } | undefined, limit: number) {
  const t = cursor?.publishedAt.getTime();
  const id = cursor && BigInt(cursor.id);
  const after = cursor
    ? hits.filter((h) => {
        const ht = h.published_at.getTime();
        return ht < t! || (ht === t && BigInt(h.id) < id!);
      })
    : hits;
  return after
    .map((h) => ({ h, t: h.published_at.getTime(), id: BigInt(h.id) }))
    .sort((a, b) => b.t - a.t || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0))
    .slice(0, newestTried(limit))
    .map((x) => x.h.id);
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
  now = new Date(),
): Promise<Date | null> {
  // the recent months alone first, as the inbox's page (mentions.ts, newestFirst)
  const recent = recentMonths(before?.publishedAt ?? now);
  const near = await floorQuery(db, boardId, before, recent.id);
  if (near && near >= recent.publishedBefore) return near;
  return floorQuery(db, boardId, before);
}

async function floorQuery(
  db: DB,
  boardId: string,
  before: { publishedAt: Date; id: string } | undefined,
  idFloor?: string,
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
    .$if(!!idFloor, (q) => q.where(sql<boolean>`id >= ${sql.raw(String(BigInt(idFloor!)))}`))
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .offset(SEARCH_WINDOW)
    .limit(1)
    .executeTakeFirst();
  return row?.published_at ?? null;
}
