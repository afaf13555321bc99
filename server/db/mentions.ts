import type { DB } from './index.ts';
import { toItem, type Row } from './mentionView.ts';
import { recentMonths } from './partitions.ts';
import type { RiskType } from '../../workers/classify/types.ts';
import { inboxQuery } from './inboxQuery.ts';
import { preparedRows } from './prepared.ts';
import {
  COMMON_SHARE,
  newestHits,
  searchHits,
  searchShare,
  searchTerms,
  windowFloor,
  newestTried,
  SEARCH_HITS,
  type SearchHit,
} from './search.ts';
import type { MentionItem } from './mentionTypes.ts';
import { withSchools, withStoryCounts } from './mentionRows.ts';

export type MentionFilters = {
  schoolIds: string[]; // already limited to what the viewer may see
  boardId: string;
  sentiment?: 'positive' | 'neutral' | 'negative';
  risk?: RiskType;
  q?: string;
  since?: Date;
  until?: Date; // exclusive
  cursor?: { publishedAt: Date; id: string; phase?: 0 | 1 };
  // only mentions staff corrected a label of
  corrected?: boolean;
  // the team's triage (sql/0036): open = not handled yet (new or seen)
  state?: 'open' | 'handled';
  // list urgent risks first (two passes: the urgent posts newest first, then the rest)
  urgentFirst?: boolean;
  urgent?: 'only' | 'none';
  // the search's hits found beforehand (searchHits): the list is these, in the inbox's order
  within?: string[];
  // exactly these mentions, story copies included (a case's discussion)
  ids?: string[];
  // only posts collected from this id's month on (sql/0040: the month is in the id), so the planner
  // reads those months' partitions alone
  idFloor?: string;
  // the clock that says which months are recent and which were made ahead (routes pass theirs, the
  // bench its own: a list's plan must not depend on the day it runs)
  now?: Date;
  limit: number;
};

// phase: with "risks first", 0 while listing the urgent posts, 1 for the rest (newest first again).
export function encodeCursor(publishedAt: Date, id: string, phase?: 0 | 1) {
  return Buffer.from(`${publishedAt.toISOString()}|${id}${phase === undefined ? '' : `|${phase}`}`).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): { publishedAt: Date; id: string; phase?: 0 | 1 } | undefined {
  const [iso, id, phase] = Buffer.from(cursor, 'base64url').toString().split('|');
  const publishedAt = new Date(iso);
  if (!id || !/^\d{1,18}$/.test(id) || Number.isNaN(publishedAt.getTime())) return undefined;
  if (phase !== undefined && phase !== '0' && phase !== '1') return undefined;
  return { publishedAt, id, ...(phase === undefined ? {} : { phase: Number(phase) as 0 | 1 }) };
}

// where the urgent posts' second pass starts: before every post
const PHASE_ONE_START = { publishedAt: new Date('9999-12-31T00:00:00Z'), id: '999999999999999999' };

export async function listMentions(
  db: DB,
  f: MentionFilters,
  opts: { unmasked?: boolean } = {},
): Promise<{ items: MentionItem[]; nextCursor: string | null }> {
  f = { ...f, now: f.now ?? new Date() }; // one clock for the whole request
  let probed: Row[] | undefined;
  const estimate = f.q && !f.within && !f.ids ? await searchShare(db, f.q) : null;
  if (estimate && estimate.share >= COMMON_SHARE && !f.urgentFirst) {
    // The page of a common word is among the newest posts (search.ts, SEARCH_WINDOW): if the walk
    // from the cursor down to the window's floor fills the page, no hit older than the floor can be
    // on it; without a floor the walk covered every post left.
    const floor = await windowFloor(db, f.boardId, f.cursor, f.now);
    const since = floor && (!f.since || f.since < floor) ? floor : f.since;
    const rows = await inboxRows(db, { ...f, since });
    if (rows.length > f.limit || !floor) probed = rows;
  }
  if (f.q && estimate && !probed) {
    // a rare word's hits from the indexes; the common words of the search only checked on those
    const terms = searchTerms(f.q).length;
    const common = estimate.common.size < terms ? estimate.common : undefined;
    // The hits of the months the page's posts were likely collected in first, as newestFirst asks: when
    // those fill the page and it ends within them, no older hit can be on it. So a word whose hits grow
    // with the years kept reads about a month of them, not every month's (at 10M posts: 10× the hits of
    // 1M). Otherwise the older months' hits follow, as many as SEARCH_HITS leaves.
    let hits: SearchHit[] | null = null;
    let near: SearchHit[] | null | undefined;
    const recent = recentMonths(f.cursor?.publishedAt ?? f.now!);
    if (!f.urgentFirst) {
      near = await searchHits(db, f.boardId, f.q, common, { idFloor: recent.id });
      if (near && near.length > f.limit) {
        // the newest of them first (newestTried, as below), then all of them when the filters leave too few
        // (unless the newest were all of them past the cursor)
        const newest = newestHits(near, f.cursor, f.limit);
        let rows = await inboxRows(db, { ...f, within: newest });
        if (rows.length <= f.limit && newest.length === newestTried(f.limit) && newest.length < near.length)
          rows = await inboxRows(db, { ...f, within: near.map((h) => h.id) });
        if (rows.length > f.limit && rows[f.limit]!.published_at >= recent.publishedBefore) probed = rows;
      }
    }
    // Too many hits to list (a number or part of a word found inside many others): the walk in date order
    // below finds the page.
    if (!probed && near !== null) {
      const older = await searchHits(
        db,
        f.boardId,
        f.q,
        common,
        near ? { idCeil: recent.id, max: SEARCH_HITS - near.length } : {},
      );
      hits = older && (near ? [...near, ...older] : older);
      if (hits) f = { ...f, within: hits.map((h) => h.id) };
    }
    if (!probed && hits && hits.length > f.limit + 1 && !f.urgentFirst) {
      // The newest hits past the cursor first (search.ts, newestTried): when the list of those alone is
      // full, every other hit is older than its last row, so it is the page. The planner then reads the
      // few months those hits were collected in, not every month the hits span.
      const newest = newestHits(hits, f.cursor, f.limit);
      if (newest.length < hits.length) {
        const rows = await inboxRows(db, { ...f, within: newest });
        if (rows.length > f.limit) probed = rows;
      }
      // otherwise the page's hits first, then everything else for those rows only
      if (!probed) {
        const page = await inboxRows(db, f, { idsOnly: true });
        f = { ...f, within: page.map((r) => r.id) };
      }
    }
  }
  let page: Row[];
  let nextCursor: string | null = null;
  if (!f.urgentFirst) {
    const rows = probed ?? (await newestFirst(db, f));
    page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    if (rows.length > f.limit && last) nextCursor = encodeCursor(last.published_at, last.id);
  } else {
    // Urgent posts are few: the risk indexes find them; the rest follow through the inbox's own index.
    page = [];
    if ((f.cursor?.phase ?? 0) === 0) {
      const urgent = await inboxRows(db, { ...f, urgent: 'only' });
      page = urgent.slice(0, f.limit);
      const last = page[page.length - 1];
      if (urgent.length > f.limit && last) nextCursor = encodeCursor(last.published_at, last.id, 0);
    }
    const room = f.limit - page.length;
    if (!nextCursor && room > 0) {
      const cursor = f.cursor?.phase === 1 ? f.cursor : PHASE_ONE_START;
      const rest = await inboxRows(db, { ...f, urgent: 'none', cursor, limit: room });
      page = [...page, ...rest.slice(0, room)];
      const last = page[page.length - 1];
      if (rest.length > room && last) nextCursor = encodeCursor(last.published_at, last.id, 1);
    } else if (!nextCursor && room === 0) {
      nextCursor = encodeCursor(PHASE_ONE_START.publishedAt, PHASE_ONE_START.id, 1);
    }
  }
  const [, schools] = await Promise.all([withStoryCounts(db, page), withSchools(db, page, f.schoolIds)]);
  return { items: page.map((r) => toItem(r, schools.get(r.id) ?? [], opts.unmasked)), nextCursor };
}

// An inbox statement's rows, kept prepared (prepared.ts): its text names at most a month's bounds.
const inboxRows = async (db: DB, f: MentionFilters, opts?: { idsOnly?: boolean }) =>
  (await preparedRows(db, inboxQuery(db, f, opts).compile())) as Row[];

// A page is first asked of the months its posts were most likely collected in: the 40 days before its
// cursor (or now) and later. The planner then reads those months' partitions alone instead of
// planning every month's indexes. The answer is the page only if its last row was published after the
// first of those months began (plus two days): a post collected earlier was published before that, as
// the pipeline never dates a post more than a day after it collected it. Otherwise all months are asked.
async function newestFirst(db: DB, f: MentionFilters): Promise<Row[]> {
  if (!f.ids && !f.within) {
    const recent = recentMonths(f.cursor?.publishedAt ?? f.now!);
    const rows = await inboxRows(db, { ...f, idFloor: recent.id });
    if (rows.length > f.limit && rows[f.limit]!.published_at >= recent.publishedBefore) return rows;
  }
  return inboxRows(db, f);
}
