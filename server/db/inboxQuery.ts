import { sql } from 'kysely';
import type { DB } from './index.ts';
import { correctionsOf } from './labels.ts';
import type { MentionFilters } from './mentions.ts';
import { collectedBefore, DATED_AFTER_COLLECTED_MS, monthStartId } from './partitions.ts';
import { searchWhere } from './search.ts';
import type { RiskType } from '../../workers/classify/types.ts';

// The inbox's query: the posts a viewer's schools may see with their labels, narrowed by the list's
// filters, in date order (mentions.ts decides which months and which hits to ask it for).

// "Risks first": threats, sexual content, personal data and discrimination before everything else.
const URGENT = sql<boolean>`m.shown_risks && '{discrimination,personal_data,sexual,threat}'::text[]`;

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
  // and between the list's lowest and highest id, so the other months are left out: by the planner, or, in the
  // plan a prepared statement keeps, when it starts (parameters, so every list is one statement)
  const amongIds = (ids: string[]) => {
    if (!ids.length) return sql<boolean>`false`;
    const sorted = ids.map((id) => BigInt(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return sql<boolean>`(m.id in (select unnest(${sql.val(ids)}::bigint[])) and m.id between ${String(sorted[0])}::bigint and ${String(sorted.at(-1))}::bigint)`;
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
  // a post published after `since` was collected at most two days before it (see newestFirst in mentions.ts)
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
