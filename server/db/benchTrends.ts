import { sql } from 'kysely';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import type { DB } from './index.ts';
import { recountStoryCopies, refillStoryHeads } from './benchData.ts';
import { buckets, unit, type Bucket, type Period } from './stats/period.ts';

// Bulk data for the trends benchmark (bench/trends.ts): the nation's schools in many boards, a year of
// first copies linked to them, written by set-based SQL the way the pipeline and its triggers would
// leave them; and the raw GROUP BY over mentions that each chart query is compared with.

export const TREND_END = '2026-10-31';
const START = sql`timestamptz '2026-11-01 00:00 Europe/Amsterdam'`;
const HOSTS = ['nieuws.example.nl', 'forum.example.nl', 'mastodon.example.nl', 'bsky.example.nl', 'krant.example.nl'];

// `schools` over `boards` boards (school k in board k % boards), two sources per board.
export async function trendBoards(db: DB, boards: number, schools: number) {
  await sql`insert into boards (slug, name) select 'trend-' || b, 'Bestuur ' || b from generate_series(0, ${boards - 1}) b
    on conflict (slug) do nothing`.execute(db);
  const boardIds = (
    await sql<{ id: string }>`select id from boards where slug like 'trend-%' order by substr(slug, 7)::int`.execute(db)
  ).rows.map((r) => r.id);
  await sql`insert into schools (board_id, slug, name)
    select (${boardIds}::bigint[])[1 + k % ${boards}], 'school-' || k, 'School ' || k
    from generate_series(0, ${schools - 1}) k on conflict do nothing`.execute(db);
  // why: enabled = false, so no worker ever fetches these made-up addresses
  await sql`insert into sources (board_id, kind, name, url, enabled)
    select b, kind, kind || ' ' || b, 'https://' || kind || '.example.nl/' || b, false
    from unnest(${boardIds}::bigint[]) b cross join unnest(array['rss', 'mastodon']) kind
    on conflict do nothing`.execute(db);
  const schoolIds = (
    await sql<{ id: string }>`select s.id from schools s join boards b on b.id = s.board_id
      where b.slug like 'trend-%' order by substr(s.slug, 8)::int`.execute(db)
  ).rows.map((r) => r.id);
  return { boardIds, schoolIds };
}

// `count` first copies (1 in 20 gets a later copy in the other source) over the 365 days up to
// TREND_END; a few schools are much talked about, most little. 1 in 20 posts is about two schools.
export async function generateTrendMentions(db: DB, boardIds: string[], schoolIds: string[], count: number) {
  const CHUNK = 200_000;
  const nb = boardIds.length;
  const ns = schoolIds.length;
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    await db.transaction().execute(async (trx) => {
      // why: a bulk load as the owner with the shown labels written directly, as the triggers would
      // leave them; the rollup queue is filled once afterwards (queueAllStats)
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`create temp table g on commit drop as
        select i, k, (${sql.val(schoolIds)}::bigint[])[1 + k] as school, (${sql.val(boardIds)}::bigint[])[1 + k % ${nb}] as board
        from (select i, floor(${ns} * power(((i * 0.6180339887) % 1)::float8, 2))::int as k
              from generate_series(${start}::bigint, ${end - 1}::bigint) i) x`.execute(trx);
      await sql`create temp table ins (id bigint, i bigint) on commit drop`.execute(trx);
      await sql`with x as (insert into mentions (board_id, source_id, external_id, url, published_at, search_masked_by,
          shown_sentiment, shown_risks, corrected)
        select g.board, src.id, 't-' || g.i,
          'https://' || (${sql.val(HOSTS)}::text[])[1 + g.i % ${HOSTS.length}] || '/p/' || g.i,
          ${START} - make_interval(secs => (g.i * 31536000 / ${count})::float8 + 1),
          ${CLASSIFIER},
          case when g.i % 10 < 5 then 'neutral' when g.i % 10 < 8 then 'negative' else 'positive' end,
          array_remove(array[case when g.i % 200 = 3 then 'threat' end, case when g.i % 33 = 2 then 'shaming' end], null),
          g.i % 500 = 0
        from g join sources src on src.board_id = g.board and src.kind = case when g.i % 3 = 0 then 'mastodon' else 'rss' end
        returning id, substr(external_id, 3)::bigint as i)
        insert into ins select id, i from x`.execute(trx);
      await sql`insert into mention_schools (mention_id, school_id, matched, active, published_at, shown_risks)
        select m.id, g.school, '{}', true, m.published_at, m.shown_risks from g join ins on ins.i = g.i join mentions m on m.id = ins.id`.execute(
        trx,
      );
      // a second school of the same board (k + nb is in board k % nb)
      await sql`insert into mention_schools (mention_id, school_id, matched, active, published_at, shown_risks)
        select m.id, (${sql.val(schoolIds)}::bigint[])[1 + (g.k + ${nb}) % ${ns}], '{}', true, m.published_at, m.shown_risks
        from g join ins on ins.i = g.i join mentions m on m.id = ins.id
        where g.i % 20 = 4 and (g.k + ${nb}) < ${ns}`.execute(trx);
      // later copies of the same story in the board's other source: listed once, counted once
      await sql`insert into mentions (board_id, source_id, external_id, url, published_at, search_masked_by, story_id,
          shown_sentiment, shown_risks)
        select m.board_id, src.id, 'c-' || g.i, m.url || '?copy', m.published_at + interval '1 hour', m.search_masked_by, m.id,
          m.shown_sentiment, m.shown_risks
        from g join ins on ins.i = g.i join mentions m on m.id = ins.id
        join sources src on src.board_id = g.board and src.id <> m.source_id
        where g.i % 20 = 19`.execute(trx);
    });
  }
  await recountStoryCopies(db);
  await refillStoryHeads(db);
  await sql`analyze`.execute(db);
}

// Every (school, day) with a link, queued for refresh_stats, as migration 0031 does for old data.
export async function queueAllStats(db: DB): Promise<number> {
  const r = await sql`insert into stats_dirty (school_id, day)
    select distinct ms.school_id, dutch_day(m.published_at)
    from mention_schools ms join mentions m on m.id = ms.mention_id
    on conflict do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

// What autovacuum does on a running server after a bulk fill: statistics, and the pages marked
// all-visible so the rollups' covering indexes are read alone.
export async function vacuumRollups(db: DB) {
  await sql`vacuum (analyze) stats_daily, stats_risks_daily, stats_board_daily, stats_national_daily`.execute(db);
}

export async function dirtyCount(db: DB): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from stats_dirty`.execute(db)).rows[0].n;
}

// What a day's counts in the rollup are for one school (the lag check reads it).
export async function schoolDayCounts(db: DB, schoolId: string, day: string) {
  const r = await sql<{ mentions: number; corrected: number }>`
    select coalesce(sum(mentions), 0)::int as mentions, coalesce(sum(mentions) filter (where corrected), 0)::int as corrected
    from stats_daily where school_id = ${schoolId} and day = ${day}::date`.execute(db);
  return r.rows[0];
}

// A first copy that the pipeline just stored for a school: mention, classification (the triggers set
// its shown labels) and link (the trigger queues its day).
export async function insertFreshMention(db: DB, boardId: string, schoolId: string, publishedAt: Date, tag: string) {
  return db.transaction().execute(async (trx) => {
    const m = await sql<{
      id: string;
    }>`insert into mentions (board_id, source_id, external_id, url, published_at, search_masked_by)
      select ${boardId}, id, ${tag}, 'https://nieuws.example.nl/' || ${tag}, ${publishedAt}, ${CLASSIFIER}
      from sources where board_id = ${boardId} and kind = 'rss' returning id`.execute(trx);
    const id = m.rows[0].id;
    await sql`insert into mention_keys (source_id, external_id, mention_id)
      select source_id, external_id, id from mentions where id = ${id}`.execute(trx);
    await sql`insert into classifications (mention_id, classifier, language, sentiment, sentiment_score, risks, actions, masks)
      values (${id}, ${CLASSIFIER}, 'nl', 'negative', 0.9, '[]', '[]', '[]')`.execute(trx);
    await sql`insert into mention_schools (mention_id, school_id, matched, active) values (${id}, ${schoolId}, '{}', true)`.execute(
      trx,
    );
    return id;
  });
}

// An uncorrected first copy of a school on a day, to correct.
export async function firstCopyOf(db: DB, schoolId: string, day: string) {
  const r = await sql<{ id: string; shown_sentiment: string }>`
    select m.id, m.shown_sentiment from mention_schools ms join mentions m on m.id = ms.mention_id
    where ms.school_id = ${schoolId} and ms.active and m.story_id is null and not m.corrected
      and dutch_day(m.published_at) = ${day}::date
    order by m.id limit 1`.execute(db);
  return r.rows[0];
}

// --- The raw GROUP BY each chart query replaces: first copies in the schools' inboxes, counted per link.
const range = (p: Period) =>
  sql`m.published_at >= (${p.from}::date)::timestamp at time zone 'Europe/Amsterdam'
    and m.published_at < (${p.to}::date + 1)::timestamp at time zone 'Europe/Amsterdam'`;

async function rawTrend(db: DB, where: ReturnType<typeof sql>, p: Period, b: Bucket) {
  const r = await sql<{ bucket: string; positive: number; neutral: number; negative: number; corrected: number }>`
    with agg as (
      select date_trunc(${unit(b)}, dutch_day(m.published_at))::date as bucket,
        count(*) filter (where m.shown_sentiment = 'positive') as positive,
        count(*) filter (where coalesce(m.shown_sentiment, 'neutral') = 'neutral') as neutral,
        count(*) filter (where m.shown_sentiment = 'negative') as negative,
        count(*) filter (where m.corrected) as corrected
      from mentions m join mention_schools ms on ms.mention_id = m.id and ms.active
      where m.story_id is null and ${range(p)} and ${where}
      group by 1
    )
    select to_char(b.bucket, 'YYYY-MM-DD') as bucket, coalesce(a.positive, 0)::int as positive,
      coalesce(a.neutral, 0)::int as neutral, coalesce(a.negative, 0)::int as negative,
      coalesce(a.corrected, 0)::int as corrected
    from (${buckets(p, b)}) b left join agg a on a.bucket = b.bucket
    order by b.bucket`.execute(db);
  return r.rows;
}

export const rawSchoolTrend = (db: DB, schoolId: string, p: Period, b: Bucket) =>
  rawTrend(db, sql`ms.school_id = ${schoolId}`, p, b);
export const rawBoardTrend = (db: DB, boardIds: string[], p: Period, b: Bucket) =>
  rawTrend(db, sql`m.board_id = any(${boardIds}::bigint[])`, p, b);

export async function rawTopSchools(db: DB, p: Period, limit: number) {
  const r = await sql<{ school_id: string; mentions: number; negative: number }>`
    select ms.school_id, count(*)::int as mentions, count(*) filter (where m.shown_sentiment = 'negative')::int as negative
    from mentions m join mention_schools ms on ms.mention_id = m.id and ms.active
    where m.story_id is null and ${range(p)}
    group by 1 order by 2 desc, 1 limit ${limit}`.execute(db);
  return r.rows;
}

// Who corrects a label in the lag check.
export async function trendBenchUser(db: DB, boardId: string) {
  const r = await sql<{ id: string; email: string }>`insert into users (email, board_id, role, password_hash)
    values ('trends-bench@example.nl', ${boardId}, 'communicatie', 'x')
    on conflict (email) do update set name = users.name returning id, email`.execute(db);
  return r.rows[0];
}

export async function trendMentionCount(db: DB): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from mentions m join boards b on b.id = m.board_id
    where b.slug like 'trend-%' and m.story_id is null`.execute(db);
  return r.rows[0].n;
}
