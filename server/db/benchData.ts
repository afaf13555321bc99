import { sql } from 'kysely';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import type { DB } from './index.ts';
import { ensureMentionPartitions } from './partitions.ts';

// Bulk data for the inbox benchmark (bench/inbox.ts): one board whose mentions, school links,
// classifications, stories, reports and cases are made by SQL, consistent with what the pipeline writes.

export const BENCH_SCHOOLS = 50;
const SCHOOLS = BENCH_SCHOOLS;

const WORDS = (
  'school leraar juf meester ouders kinderen klas groep lesuitval invaller rooster musical ouderavond schoolreis ' +
  'plein fiets gym toets rapport mentor directeur conciërge pauze kantine bus regen feest project excursie ' +
  'voetbal muziek tekenen rekenen taal lezen schrijven bibliotheek computer tablet huiswerk vakantie zomer winter'
).split(' ');

// The bench's "now" is 2026-11-01: the posts of the year before it, each collected ten minutes after it
// was published, so they fill twelve months' partitions (sql/0040) as a year of a board would.
const COLLECTED_FROM = new Date('2025-11-01T00:00:00Z');
export const BENCH_NOW = new Date('2026-11-01T00:00:00Z');

export async function generateMentions(
  owner: DB,
  board: string,
  schools: string[],
  sources: string[],
  from: number,
  to: number,
) {
  await ensureMentionPartitions(owner, COLLECTED_FROM, 13);
  const CHUNK = 100_000;
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(to, start + CHUNK);
    await owner.transaction().execute(async (trx) => {
      // why: a bulk load as the owner; the shown labels are written directly, so the triggers that keep
      // them for single writes are skipped, as are foreign-key checks of rows made consistent here
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`create temp table ins (id bigint primary key, i int) on commit drop`.execute(trx);
      await sql`with x as (
        insert into mentions (id, board_id, source_id, external_id, url, title, body, author, published_at, created_at,
          search_text, search_masked_by, story_id, origin, shown_sentiment, shown_risks)
        select mention_id_for(published + interval '10 minutes'), ${board}, (${sql.val(sources)}::bigint[])[1 + (i % ${sources.length})], 'b-' || i,
          'https://nieuws.example.nl/' || i, '',
          w1 || ' ' || w2 || ' ' || w3 || ' op school ' || (1 + i % ${SCHOOLS}) || ' bericht ' || i,
          null, published, published + interval '10 minutes',
          w1 || ' ' || w2 || ' ' || w3 || ' op school ' || (1 + i % ${SCHOOLS}) || ' bericht ' || i, ${CLASSIFIER},
          null,
          case when i % 200 = 7 then 'reported' else 'collected' end,
          case when i % 10 < 5 then 'neutral' when i % 10 < 8 then 'negative' else 'positive' end,
          array_remove(array[
            case when i % 200 = 3 then 'threat' end, case when i % 333 = 5 then 'discrimination' end,
            case when i % 500 = 11 then 'sexual' end, case when i % 33 = 2 then 'shaming' end,
            case when i % 50 = 9 then 'personal_data' end, case when i % 100 = 13 then 'inaccuracy' end], null)
        from (select i, (${sql.val(WORDS)}::text[])[1 + (i * 7) % ${WORDS.length}] as w1,
                (${sql.val(WORDS)}::text[])[1 + (i * 13) % ${WORDS.length}] as w2,
                (${sql.val(WORDS)}::text[])[1 + (i * 31) % ${WORDS.length}] as w3,
                timestamptz '2026-11-01' - make_interval(secs => (${to} - i) * 31536000.0 / ${to}) as published
              from generate_series(${start}::int, ${end - 1}::int) i) g
        returning id, substr(external_id, 3)::int as i)
        insert into ins select id, i from x`.execute(trx);
      await sql`insert into mention_keys (source_id, external_id, mention_id)
        select m.source_id, m.external_id, m.id from mentions m join ins on ins.id = m.id`.execute(trx);
      const range = sql`m.id in (select id from ins)`;
      // 5% are copies of the post just before them (one story, listed once)
      await sql`update mentions m set story_id = p.id from ins c join ins p on p.i = c.i - 1
        where m.id = c.id and c.i % 20 = 19`.execute(trx);
      // the link's copy of its post's time and risks (sql/0038, 0039), as the triggers would write it
      await sql`insert into mention_schools (mention_id, school_id, matched, active, published_at, shown_risks)
        select m.id, (${sql.val(schools)}::bigint[])[1 + (substr(m.external_id, 3)::int % ${SCHOOLS})], '{}', true,
          m.published_at, m.shown_risks
        from mentions m where m.board_id = ${board} and ${range}`.execute(trx);
      await sql`insert into mention_schools (mention_id, school_id, matched, active, published_at, shown_risks)
        select m.id, (${sql.val(schools)}::bigint[])[1 + ((substr(m.external_id, 3)::int + 1) % ${SCHOOLS})], '{}', true,
          m.published_at, m.shown_risks
        from mentions m where m.board_id = ${board} and ${range} and substr(m.external_id, 3)::int % 20 = 4`.execute(
        trx,
      );
      await sql`insert into classifications (mention_id, classifier, language, sentiment, sentiment_score, risks, actions, masks)
        select m.id, ${CLASSIFIER}, 'nl', m.shown_sentiment, 0.5,
          coalesce((select jsonb_agg(jsonb_build_object('type', t, 'severity', 'medium', 'confidence', 0.9, 'evidence', '[]'::jsonb))
            from unnest(m.shown_risks) t), '[]'::jsonb), '[]', '[]'
        from mentions m where m.board_id = ${board} and ${range}`.execute(trx);
      await sql`insert into reports (mention_id, school_id)
        select m.id, (${sql.val(schools)}::bigint[])[1 + (substr(m.external_id, 3)::int % ${SCHOOLS})]
        from mentions m where m.board_id = ${board} and ${range} and m.origin = 'reported'`.execute(trx);
      // one case per 100 mentions, most closed long ago, holding that post and keyed by it
      await sql`with made as (
          select m.id as mention_id, m.external_id, m.published_at,
            (${sql.val(schools)}::bigint[])[1 + (substr(m.external_id, 3)::int % ${SCHOOLS})] as school_id,
            nextval(pg_get_serial_sequence('cases', 'id')) as id
          from mentions m where m.board_id = ${board} and ${range} and substr(m.external_id, 3)::int % 100 = 1),
        cased as (
          insert into cases (id, board_id, school_id, kind, severity, state, due_at, last_mention_at, policy,
            created_at, closed_at)
          overriding system value
          select id, ${board}, school_id, 'concern', 'medium',
            case when published_at > timestamptz '2026-10-25' then 'nieuw' else 'afgerond' end,
            published_at + interval '5 days', published_at, 'edu-ley', published_at,
            case when published_at > timestamptz '2026-10-25' then null else published_at + interval '3 days' end
          from made),
        keyed as (insert into case_thread_keys (case_id, key) select id, 'm:' || external_id from made)
        insert into case_mentions (case_id, mention_id) select id, mention_id from made`.execute(trx);
    });
  }
  // the story copies and story heads the triggers keep (sql/0042, sql/0052), once for the bulk-loaded posts
  await recountStoryCopies(owner, board);
  await refillStoryHeads(owner, board);
  // the case totals the triggers keep (sql/0041), counted once for the bulk-loaded cases
  await sql`delete from case_counts where school_id = any(${sql.val(schools)}::bigint[])`.execute(owner);
  await sql`insert into case_counts (school_id, state, n)
    select school_id, state, count(*) from cases where board_id = ${board} group by 1, 2`.execute(owner);
  // and the posts that name the cases (sql/0046)
  await sql`select case_headlines_recount(array(select id from cases where board_id = ${board} order by id))`.execute(
    owner,
  );
  // what autovacuum does after a bulk fill: statistics, and the text indexes' pending entries merged
  await sql`vacuum (analyze)`.execute(owner);
  // and the fill written out now, not by the checkpointer while queries are timed (needs the owner's
  // pg_checkpoint right; without it the timing may include some of that writing)
  await sql`checkpoint`.execute(owner).catch(() => undefined);
}

// What the story-copies triggers (sql/0042) would have counted for a board's (or every board's) posts
// loaded with triggers off.
export async function recountStoryCopies(owner: DB, board?: string) {
  await sql`insert into story_copies (leader_id, copies, reported)
    select story_id, count(*), count(*) filter (where origin = 'reported') from mentions
    where story_id is not null ${board ? sql`and board_id = ${board}` : sql``} group by story_id
    on conflict (leader_id) do update set copies = excluded.copies, reported = excluded.reported`.execute(owner);
}

// What the story-heads triggers (sql/0052) would have kept for a board's (or every board's) posts loaded
// with triggers off.
export async function refillStoryHeads(owner: DB, board?: string) {
  const only = board ? sql`and board_id = ${board}` : sql``;
  await sql`delete from story_heads where true ${only}`.execute(owner);
  await sql`insert into story_heads (mention_id, board_id, url, story_key)
    select id, board_id, url, story_key from mentions
    where story_id is null and origin = 'collected' and (url is not null or story_key is not null) ${only}`.execute(
    owner,
  );
}

// A bench board with its schools and one feed per school, emptied of earlier runs' posts and cases.
export async function benchBoard(db: DB) {
  const board = (
    await sql<{ id: string }>`insert into boards (slug, name) values ('bench', 'Bench')
    on conflict (slug) do update set name = excluded.name returning id`.execute(db)
  ).rows[0].id;
  await sql`delete from mentions where board_id = ${board}`.execute(db);
  await sql`delete from cases where board_id = ${board}`.execute(db);
  await sql`insert into schools (board_id, slug, name) select ${board}, 'school-' || i, 'School ' || i
    from generate_series(1, ${SCHOOLS}) i on conflict do nothing`.execute(db);
  const schools = (
    await sql<{ id: string }>`select id from schools where board_id = ${board} order by id`.execute(db)
  ).rows.map((r) => r.id);
  await sql`insert into sources (board_id, school_id, kind, name, url)
    select ${board}, s.id, 'rss', 'Feed ' || s.slug, 'https://nieuws.example.nl/' || s.slug || '.xml'
    from schools s where s.board_id = ${board} and not exists (select 1 from sources x where x.school_id = s.id)`.execute(
    db,
  );
  const sources = (
    await sql<{ id: string }>`select id from sources where board_id = ${board} order by id`.execute(db)
  ).rows.map((r) => r.id);

  return { board, schools, sources };
}

export async function planOf(db: DB, query: { explain: () => Promise<Record<string, unknown>[]> }) {
  return (await query.explain()).map((r) => String(r['QUERY PLAN'])).join('\n');
}

// The idle benchmark: no source is due, so a worker does only its background jobs.
export async function parkSources(db: DB, board: string) {
  await sql`update sources set next_check_at = now() + interval '30 days' where board_id = ${board}`.execute(db);
}

// The server processes serving connections that announced themselves as `applicationName`.
export async function backendPids(db: DB, applicationName: string): Promise<number[]> {
  const r = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where application_name = ${applicationName}`.execute(db);
  return r.rows.map((x) => x.pid);
}
