import { sql } from 'kysely';
import type { DB } from './index.ts';
import { toItem, type Row } from './mentionView.ts';
import { collectedBefore, DATED_AFTER_COLLECTED_MS, monthStartId, recentMonths } from './partitions.ts';
import {
  COMMON_SHARE,
  newestHits,
  searchHits,
  searchShare,
  searchTerms,
  searchWhere,
  windowFloor,
  newestTried,
  SEARCH_HITS,
  type SearchHit,
} from './search.ts';
import type { RiskType } from '../../workers/classify/types.ts';
import { correctionsOf } from './labels.ts';
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

// "Risks first": threats, sexual content, personal data and discrimination before everything else.
const URGENT = sql<boolean>`m.shown_risks && '{discrimination,personal_data,sexual,threat}'::text[]`;
const PHASE_ONE_START = { publishedAt: new Date('9999-12-31T00:00:00Z'), id: '999999999999999999' };

// The posts in an inbox of one of the viewer's schools (board and school scope), nothing joined yet.
function boardVisibleQuery(db: DB, f: Pick<MentionFilters, 'schoolIds' | 'boardId'>) {
  return db
    .selectFrom('mentions as m')
    .where('m.board_id', '=', f.boardId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('mention_schools as ms')
          .select(sql`1`.as('one'))
          .whereRef('ms.mention_id', '=', 'm.id')
          .where('ms.active', '=', true)
          // why: "+ 0" keeps the planner on the (mention_id, school_id) index, one probe per row,
          // instead of one index search per school of the list on (school_id, mention_id)
          .where(sql<string>`ms.school_id + 0`, 'in', f.schoolIds.length ? f.schoolIds : ['-1']),
      ),
    );
}

// One school's list starts from its links, which carry the post's time (sql/0038): it walks that
// school's own date index instead of the board's, where 49 of 50 posts can be another school's.
function visibleQuery(db: DB, f: Pick<MentionFilters, 'schoolIds' | 'boardId'>, bySchool = false) {
  if (!bySchool || f.schoolIds.length !== 1) return boardVisibleQuery(db, f);
  return db
    .selectFrom('mention_schools as ms')
    .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
    .where('ms.school_id', '=', f.schoolIds[0]!)
    .where('ms.active', '=', true)
    .where('m.board_id', '=', f.boardId) as unknown as ReturnType<typeof boardVisibleQuery>;
}

export function baseQuery(db: DB, f: Pick<MentionFilters, 'schoolIds' | 'boardId'>, bySchool = false) {
  return visibleQuery(db, f, bySchool)
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('classifications')
          .select(['language', 'sentiment', 'sentiment_score', 'risks', 'classifier', 'sentiment_evidence', 'masks'])
          .whereRef('classifications.mention_id', '=', 'm.id')
          .orderBy('classifications.id', 'desc')
          .limit(1)
          .as('c'),
      (j) => j.onTrue(),
    )
    .leftJoinLateral(
      (eb) => correctionsOf(eb),
      (j) => j.onTrue(),
    );
}

export const columns = [
  'm.id',
  'm.url',
  'm.title',
  'm.body',
  'm.author',
  'm.published_at',
  's.id as source_id',
  's.kind as source_kind',
  's.name as source_name',
  'c.language',
  'c.sentiment',
  'c.sentiment_score',
  'c.risks',
  'm.author_handle',
  'm.media',
  'm.engagement',
  'm.reply_to',
  'm.origin',
  'm.created_at',
  'c.classifier',
  'c.sentiment_evidence',
  'c.masks',
  'lc.corr',
] as const;

const RISK_LITERAL: Record<RiskType, string> = {
  threat: 'threat',
  discrimination: 'discrimination',
  sexual: 'sexual',
  shaming: 'shaming',
  personal_data: 'personal_data',
  inaccuracy: 'inaccuracy',
};

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
    const rows = (await inboxQuery(db, { ...f, since }).execute()) as Row[];
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
        let rows = (await inboxQuery(db, { ...f, within: newest }).execute()) as Row[];
        if (rows.length <= f.limit && newest.length === newestTried(f.limit) && newest.length < near.length)
          rows = (await inboxQuery(db, { ...f, within: near.map((h) => h.id) }).execute()) as Row[];
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
        const rows = (await inboxQuery(db, { ...f, within: newest }).execute()) as Row[];
        if (rows.length > f.limit) probed = rows;
      }
      // otherwise the page's hits first, then everything else for those rows only
      if (!probed) {
        const page = (await inboxQuery(db, f, { idsOnly: true }).execute()) as { id: string }[];
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
      const urgent = (await inboxQuery(db, { ...f, urgent: 'only' }).execute()) as Row[];
      page = urgent.slice(0, f.limit);
      const last = page[page.length - 1];
      if (urgent.length > f.limit && last) nextCursor = encodeCursor(last.published_at, last.id, 0);
    }
    const room = f.limit - page.length;
    if (!nextCursor && room > 0) {
      const cursor = f.cursor?.phase === 1 ? f.cursor : PHASE_ONE_START;
      const rest = (await inboxQuery(db, { ...f, urgent: 'none', cursor, limit: room }).execute()) as Row[];
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

// A page is first asked of the months its posts were most likely collected in: the 40 days before its
// cursor (or now) and later. The planner then reads those months' partitions alone instead of
// planning every month's indexes. The answer is the page only if its last row was published after the
// first of those months began (plus two days): a post collected earlier was published before that, as
// the pipeline never dates a post more than a day after it collected it. Otherwise all months are asked.
async function newestFirst(db: DB, f: MentionFilters): Promise<Row[]> {
  if (!f.ids && !f.within) {
    const recent = recentMonths(f.cursor?.publishedAt ?? f.now!);
    const rows = (await inboxQuery(db, { ...f, idFloor: recent.id }).execute()) as Row[];
    if (rows.length > f.limit && rows[f.limit]!.published_at >= recent.publishedBefore) return rows;
  }
  return (await inboxQuery(db, f).execute()) as Row[];
}

// The inbox's one query (exported so a test can check its plan uses the indexes).
const withColumns = (db: DB, f: MentionFilters, bySchool = false) => baseQuery(db, f, bySchool).select(columns);

// idsOnly: the page's ids alone, nothing joined (narrowing a search's hits to one page first, so the
// labels and corrections are read for that page only).
export function inboxQuery(db: DB, f: MentionFilters, opts: { idsOnly?: boolean } = {}) {
  // one school, listed in date order: from that school's links (not for fixed id lists)
  const bySchool = f.schoolIds.length === 1 && !f.ids && !f.within;
  const start = opts.idsOnly
    ? (visibleQuery(db, f, bySchool).select('m.id') as unknown as ReturnType<typeof withColumns>)
    : withColumns(db, f, bySchool);
  const time = bySchool ? sql<Date>`ms.published_at` : sql<Date>`m.published_at`;
  const key = bySchool ? sql<string>`ms.mention_id` : sql<string>`m.id`;
  // A story is listed once, under its first mention.
  // why: a list of ids as a join, not `id = any(…)`: with months as partitions, each month's index would
  // be searched for every id of the list (300 hits: 50 ms instead of 2)
  // and between the list's lowest and highest id as constants, so the planner leaves the other months out
  const amongIds = (ids: string[]) => {
    if (!ids.length) return sql<boolean>`false`;
    const sorted = ids.map((id) => BigInt(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return sql<boolean>`(m.id in (select unnest(${sql.val(ids)}::bigint[])) and m.id between ${sql.raw(String(sorted[0]))} and ${sql.raw(String(sorted.at(-1)))})`;
  };
  let q = f.ids ? start.where(amongIds(f.ids)) : start.where('m.story_id', 'is', null);
  // The labels as shown are kept on the mention (sql/0027): each filter walks its own partial index in
  // the list's order. The risk type is a literal so the planner can pick that index.
  if (f.sentiment) q = q.where('m.shown_sentiment', '=', f.sentiment);
  // One school's list reads the copy on its links (sql/0039), whose index per risk is in date order.
  if (f.risk)
    q = q.where(
      sql<boolean>`${sql.raw(bySchool ? 'ms' : 'm')}.shown_risks @> ${sql.lit(`{${RISK_LITERAL[f.risk]}}`)}::text[]`,
    );
  if (f.since) q = q.where(time, '>=', f.since);
  // a post published after `since` was collected at most two days before it (see newestFirst)
  const floors = [f.idFloor, f.since && monthStartId(new Date(f.since.getTime() - DATED_AFTER_COLLECTED_MS))].filter(
    (x): x is string => !!x,
  );
  if (floors.length)
    q = q.where(
      sql<boolean>`m.id >= ${sql.raw(String(BigInt(floors.reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b)))))}`,
    );
  // and none was collected in the months made ahead
  if (!f.ids && !f.within)
    q = q.where(sql<boolean>`m.id < ${sql.raw(String(BigInt(collectedBefore(f.now ?? new Date()))))}`);
  if (f.until) q = q.where(time, '<', f.until);
  if (f.corrected) q = q.where('m.corrected', '=', true);
  if (f.urgent) q = q.where(f.urgent === 'only' ? URGENT : sql<boolean>`not (${URGENT})`);
  if (f.state) {
    const handled = sql<boolean>`exists (select 1 from mention_triage t where t.mention_id = m.id and t.state = 'handled')`;
    q = q.where(f.state === 'handled' ? handled : sql<boolean>`not ${handled}`);
  }
  if (f.within) q = q.where(amongIds(f.within));
  else if (f.q) q = searchWhere(q, f.q);
  if (f.cursor) {
    const { publishedAt, id } = f.cursor;
    q = q.where((eb) => eb.or([eb(time, '<', publishedAt), eb.and([eb(time, '=', publishedAt), eb(key, '<', id)])]));
  }
  return q
    .orderBy(time, 'desc')
    .orderBy(key, 'desc')
    .limit(f.limit + 1);
}
