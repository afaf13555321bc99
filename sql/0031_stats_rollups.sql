-- Issue 19: the directors' charts read small rollup tables, never the mentions table. A story counts
-- once (its first copy), only while it is in a school's inbox (an active link), with the labels as
-- shown (staff corrections on top). Days are Dutch calendar days.
create table stats_daily (
  school_id bigint not null references schools (id) on delete cascade,
  day date not null,
  source_kind text not null,
  platform text not null,
  sentiment text not null,
  corrected boolean not null,
  mentions integer not null,
  reach bigint not null,
  primary key (school_id, day, source_kind, platform, sentiment, corrected)
);
create index stats_daily_day_idx on stats_daily (day, school_id);

create table stats_risks_daily (
  school_id bigint not null references schools (id) on delete cascade,
  day date not null,
  risk text not null,
  mentions integer not null,
  primary key (school_id, day, risk)
);
create index stats_risks_daily_day_idx on stats_risks_daily (day, school_id);

-- Themes: word stems and two-word phrases of the negative and positive posts per school and ISO week
-- (Monday), counted once per post, written by the rollup job (the stemming is the classifier's, in
-- Node). `label`: a form of the stem as it was written, to show.
create table stats_terms_weekly (
  school_id bigint not null references schools (id) on delete cascade,
  week date not null,
  sentiment text not null,
  term text not null,
  label text not null,
  mentions integer not null,
  primary key (school_id, week, sentiment, term)
);

-- What changed since the last rollup: (school, day) pairs, filled by the database itself.
create table stats_dirty (
  school_id bigint not null references schools (id) on delete cascade,
  day date not null,
  primary key (school_id, day)
);

create function dutch_day(t timestamptz) returns date language sql immutable as $$
  select (t at time zone 'Europe/Amsterdam')::date
$$;

-- why: rollups and the spike check read one day's (or 29 days') first copies by their Dutch day; an
-- index on the day itself, not on the time, so the inbox never takes it for its newest-first order.
create index mentions_first_day_idx on mentions (dutch_day(published_at)) where story_id is null;

create function stats_links_changed() returns trigger language plpgsql as $$
begin
  insert into stats_dirty (school_id, day)
  select distinct l.school_id, dutch_day(m.published_at) from changed l join mentions m on m.id = l.mention_id
  -- a school being deleted takes its rollups along: nothing to recount
  where exists (select 1 from schools s where s.id = l.school_id)
  on conflict do nothing;
  return null;
end $$;

create trigger mention_schools_stats_insert after insert on mention_schools
  referencing new table as changed for each statement execute function stats_links_changed();
create trigger mention_schools_stats_update after update on mention_schools
  referencing new table as changed for each statement execute function stats_links_changed();
-- why: a link deleted on its own (not with its mention) changes the day's counts; when the mention
-- itself is deleted (retention, erasure) the join finds nothing and the counts stay: anonymous
-- figures outlive the posts they were counted from.
create trigger mention_schools_stats_delete after delete on mention_schools
  referencing old table as changed for each statement execute function stats_links_changed();

create function stats_mentions_changed() returns trigger language plpgsql as $$
begin
  insert into stats_dirty (school_id, day)
  select distinct ms.school_id, dutch_day(d.published_at)
  from (
    select n.id, n.published_at from changed n join before o on o.id = n.id
    where n.shown_sentiment is distinct from o.shown_sentiment or n.shown_risks is distinct from o.shown_risks
      or n.story_id is distinct from o.story_id or n.corrected is distinct from o.corrected
      or n.published_at is distinct from o.published_at
    union
    select o.id, o.published_at from changed n join before o on o.id = n.id
    where n.published_at is distinct from o.published_at
  ) d
  join mention_schools ms on ms.mention_id = d.id
  on conflict do nothing;
  return null;
end $$;

create trigger mentions_stats_update after update on mentions
  referencing new table as changed old table as before for each statement execute function stats_mentions_changed();

-- Recounts up to `lim` changed (school, day) pairs and returns them (the job then redoes their weeks'
-- themes). Driven by the day's first copies through an index on publication time, so one pair costs
-- that day's posts, not the school's history.
create function refresh_stats(lim integer) returns table (school_id bigint, day date) language plpgsql as $$
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

  return query select ts.school_id, ts.day from taken_stats ts;
end $$;

-- Everything stored so far, once.
insert into stats_dirty (school_id, day)
select distinct ms.school_id, dutch_day(m.published_at)
from mention_schools ms join mentions m on m.id = ms.mention_id
on conflict do nothing;
