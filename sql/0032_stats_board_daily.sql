-- Issue 19, fast at any size: a board's (and the nation's) trend over a year would sum thousands of
-- per-school rows per day; this rollup holds the board's totals per day and sentiment, recounted from
-- stats_daily by refresh_stats for every (board, day) it touches. It holds what stats_daily holds, so
-- archived schools still count; `corrected`: how many of the mentions carry a staff correction.
create table stats_board_daily (
  board_id bigint not null references boards (id) on delete cascade,
  day date not null,
  sentiment text not null,
  mentions integer not null,
  corrected integer not null,
  primary key (board_id, day, sentiment)
);
create index stats_board_daily_day_idx on stats_board_daily (day);

-- why: the nation's year would still sum 150 boards × 365 days × 3 sentiments; its totals per day are
-- recounted from stats_board_daily for every day refresh_stats touches.
create table stats_national_daily (
  day date not null,
  sentiment text not null,
  mentions integer not null,
  corrected integer not null,
  primary key (day, sentiment)
);

-- why: a school's year and the top schools of a week read hundreds to tens of thousands of rows that
-- lie all over the table (it is written day by day for every school); with the counts in the index
-- they are read from it alone (an index-only scan, once vacuum has marked the pages all-visible).
create index stats_daily_school_cover_idx on stats_daily (school_id, day) include (sentiment, corrected, mentions);
drop index stats_daily_day_idx;
create index stats_daily_day_cover_idx on stats_daily (day, school_id) include (sentiment, mentions);

-- why: refresh_stats takes the queue's oldest days first; with a long queue (a first fill, a large
-- import) it sorted the whole queue on every pass.
create index stats_dirty_day_idx on stats_dirty (day, school_id);

-- Recounts the given boards' days from stats_daily.
create function recount_board_days(boards bigint[], days date[]) returns void language sql as $$
  delete from stats_board_daily b
  using unnest(boards, days) t(board_id, day)
  where b.board_id = t.board_id and b.day = t.day;
  insert into stats_board_daily (board_id, day, sentiment, mentions, corrected)
  select s.board_id, d.day, d.sentiment, sum(d.mentions)::int, coalesce(sum(d.mentions) filter (where d.corrected), 0)::int
  from unnest(boards, days) t(board_id, day)
  join schools s on s.board_id = t.board_id
  join stats_daily d on d.school_id = s.id and d.day = t.day
  group by 1, 2, 3;
$$;

create function recount_national_days(days date[]) returns void language sql as $$
  delete from stats_national_daily n where n.day = any(days);
  insert into stats_national_daily (day, sentiment, mentions, corrected)
  select b.day, b.sentiment, sum(b.mentions)::int, sum(b.corrected)::int
  from stats_board_daily b where b.day = any(days)
  group by 1, 2;
$$;

-- As in 0031, plus the boards' days. A (board, day) can be touched by two workers at once (each holding
-- other schools of it): the one that comes second waits here for the first to commit, so its recount
-- reads both schools' new rows instead of overwriting them with a stale sum.
create or replace function refresh_stats(lim integer) returns table (school_id bigint, day date) language plpgsql as $$
declare
  b bigint;
  d date;
begin
  create temp table if not exists taken_stats (school_id bigint, day date) on commit drop;
  truncate taken_stats;
  with taken as (
    delete from stats_dirty d
    where (d.school_id, d.day) in (
      select x.school_id, x.day from stats_dirty x order by x.day, x.school_id limit lim for update skip locked
    )
    returning d.school_id, d.day
  )
  insert into taken_stats select * from taken;
  -- why: without statistics the planner guesses the batch's size and reads every mention of the
  -- table instead of the batch's days through mentions_first_day_idx
  analyze taken_stats;

  delete from stats_daily s using taken_stats t where s.school_id = t.school_id and s.day = t.day;
  delete from stats_risks_daily s using taken_stats t where s.school_id = t.school_id and s.day = t.day;

  insert into stats_daily (school_id, day, source_kind, platform, sentiment, corrected, mentions, reach)
  select ms.school_id, t.day, src.kind,
    -- the site or network a post was on (a news feed's articles are on many sites); without a public
    -- address (a meldpunt report, a post on this machine) the source's own name
    coalesce(nullif(lower(substring(m.url from '^https?://(?:www\.)?([^/:?#]+)')), '127.0.0.1'), src.name),
    coalesce(m.shown_sentiment, 'neutral'), m.corrected, count(*),
    coalesce(sum((select coalesce(sum(case when jsonb_typeof(v) = 'number' then (v #>> '{}')::numeric end), 0)
      from jsonb_each(m.engagement) e(k, v))), 0)::bigint
  from (select distinct tt.day from taken_stats tt) t
  join mentions m on m.story_id is null and dutch_day(m.published_at) = t.day
  join mention_schools ms on ms.mention_id = m.id and ms.active
  join taken_stats tk on tk.school_id = ms.school_id and tk.day = t.day
  join sources src on src.id = m.source_id
  group by 1, 2, 3, 4, 5, 6;

  insert into stats_risks_daily (school_id, day, risk, mentions)
  select ms.school_id, t.day, r.risk, count(*)
  from (select distinct tt.day from taken_stats tt) t
  join mentions m on m.story_id is null and dutch_day(m.published_at) = t.day
  join mention_schools ms on ms.mention_id = m.id and ms.active
  join taken_stats tk on tk.school_id = ms.school_id and tk.day = t.day
  cross join unnest(m.shown_risks) r(risk)
  group by 1, 2, 3;

  -- why: locks in board order, so two workers never wait on each other in a circle
  for b in select distinct s.board_id from taken_stats t join schools s on s.id = t.school_id order by 1 loop
    perform pg_advisory_xact_lock(72164, (b % 2147483647)::int);
  end loop;
  perform recount_board_days(array_agg(x.board_id), array_agg(x.day))
  from (select distinct s.board_id, t.day from taken_stats t join schools s on s.id = t.school_id) x;
  -- the same for the nation's days, after the boards' (every worker takes its locks in that order)
  for d in select distinct t.day from taken_stats t order by 1 loop
    perform pg_advisory_xact_lock(72165, d - date '2000-01-01');
  end loop;
  perform recount_national_days(array(select distinct t.day from taken_stats t));

  return query select ts.school_id, ts.day from taken_stats ts;
end $$;

-- why: a school deleted for good takes its stats_daily rows with it (on delete cascade); its board's
-- totals follow, so they keep holding what stats_daily holds.
create function stats_schools_deleted() returns trigger language plpgsql as $$
declare
  days date[] := array(select distinct b.day from stats_board_daily b where b.board_id in (select board_id from gone));
begin
  perform recount_board_days(array_agg(x.board_id), array_agg(x.day))
  from (
    select distinct b.board_id, b.day from stats_board_daily b where b.board_id in (select board_id from gone)
  ) x;
  perform recount_national_days(days);
  return null;
end $$;
create trigger schools_stats_delete after delete on schools
  referencing old table as gone for each statement execute function stats_schools_deleted();

insert into stats_board_daily (board_id, day, sentiment, mentions, corrected)
select s.board_id, d.day, d.sentiment, sum(d.mentions)::int, coalesce(sum(d.mentions) filter (where d.corrected), 0)::int
from stats_daily d join schools s on s.id = d.school_id
group by 1, 2, 3;

-- why: a school deleted for good (purgeArchivedSchools) takes the links of posts it shared with other
-- schools with it; queuing a day of a school that no longer exists failed the whole delete.
create or replace function stats_links_changed() returns trigger language plpgsql as $$
begin
  insert into stats_dirty (school_id, day)
  select distinct l.school_id, dutch_day(m.published_at) from changed l join mentions m on m.id = l.mention_id
  where exists (select 1 from schools s where s.id = l.school_id)
  on conflict do nothing;
  return null;
end $$;

insert into stats_national_daily (day, sentiment, mentions, corrected)
select day, sentiment, sum(mentions)::int, sum(corrected)::int from stats_board_daily group by 1, 2;
