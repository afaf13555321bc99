-- Issue 18: the posts that may lead a story, kept apart from the months.
--
-- Every stored batch asks which of the board's posts already lead its stories (same URL or same text
-- key, no copy themselves, collected). Asked of mentions, that planned and searched the URL and text-key
-- indexes of every month (14 in the ingest bench: ~4-12 ms of planning a batch), so old months never
-- stayed cold; and in a month PostgreSQL had no statistics for yet (a new month, or a fast one before
-- autovacuum came by), it walked the board's whole month instead (~11 ms a batch at 9,000 posts,
-- growing with the month). One table without months, one row per leading post, kept by triggers, answers
-- with two index searches; the months' URL and text-key indexes had no other reader and go.
-- why no foreign key: checking a key into the months for every stored post costs a plan each time; a
-- month's drop (below) and the triggers remove the rows instead.

-- No post is stored while the table is filled and its triggers made (a worker of the old version may
-- still be running): a post stored in between would lead no story later.
lock table mentions in share row exclusive mode;

create table story_heads (
  mention_id bigint primary key,
  board_id bigint not null,
  url text,
  story_key text,
  check (url is not null or story_key is not null)
);
create index story_heads_url_idx on story_heads (board_id, url) where url is not null;
create index story_heads_key_idx on story_heads (board_id, story_key) where story_key is not null;

insert into story_heads (mention_id, board_id, url, story_key)
  select id, board_id, url, story_key from mentions
  where story_id is null and origin = 'collected' and (url is not null or story_key is not null);
analyze story_heads;

drop index mentions_board_url_idx;
drop index mentions_story_key_idx;

create function story_heads_inserted() returns trigger language plpgsql as $$
begin
  insert into story_heads (mention_id, board_id, url, story_key)
    select id, board_id, url, story_key from new_rows
    where story_id is null and origin = 'collected' and (url is not null or story_key is not null);
  return null;
end $$;
create trigger mentions_story_heads_insert after insert on mentions referencing new table as new_rows
  for each statement execute function story_heads_inserted();

-- A post that becomes a copy (its leader was stored in the same batch), stops being one (its leader
-- went), or changes what it is: only those rows, not every update of the shown labels.
create function story_heads_updated() returns trigger language plpgsql as $$
begin
  delete from story_heads where mention_id = old.id;
  if new.story_id is null and new.origin = 'collected' and (new.url is not null or new.story_key is not null) then
    insert into story_heads (mention_id, board_id, url, story_key)
      values (new.id, new.board_id, new.url, new.story_key);
  end if;
  return null;
end $$;
create trigger mentions_story_heads_update after update of story_id, origin, url, story_key, board_id on mentions
  for each row when (old.story_id is distinct from new.story_id or old.origin is distinct from new.origin
    or old.url is distinct from new.url or old.story_key is distinct from new.story_key
    or old.board_id is distinct from new.board_id)
  execute function story_heads_updated();

-- why: by the ids as an array, one key lookup each, whatever the number of rows: a join with the
-- transition table would keep the plan made for the connection's first delete (a hash over the whole
-- table after a large purge) for every later one
create function story_heads_deleted() returns trigger language plpgsql as $$
begin
  delete from story_heads where mention_id = any(array(select id from old_rows));
  return null;
end $$;
create trigger mentions_story_heads_delete after delete on mentions referencing old table as old_rows
  for each statement execute function story_heads_deleted();

-- The month drop, as sql/0049 with the month's story heads removed along with its keys.
create or replace function drop_expired_mention_partition(p_part regclass, p_at timestamptz, p_mentions_months int,
  p_reports_months int) returns boolean language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  bounds record;
  lo bigint;
  k record;
begin
  select * into bounds from mention_partitions() p where p.part = p_part;
  if not found then
    raise exception '% is not a partition of mentions', p_part;
  end if;
  if bounds.hi > mention_month_start(mention_month(p_at)) then
    raise exception '% holds the current month or later', p_part;
  end if;
  lo := coalesce(bounds.lo, -9223372036854775808);
  -- a first look without locks: a month that must stay costs its readers nothing
  if mention_range_keeps(lo, bounds.hi, p_at, p_mentions_months, p_reports_months) then
    return false;
  end if;
  begin
    -- why: detaching locks the whole table; waiting behind a long query would stall every reader queued behind us
    perform set_config('lock_timeout', '5s', true);
    execute format('lock table %s in access exclusive mode', p_part);
    -- while we look again, no case takes one of these posts (the lock) and no case opens again (these rows)
    perform 1 from cases c where c.id in (select cm.case_id from case_mentions cm
      where cm.mention_id >= lo and cm.mention_id < bounds.hi) for share;
    if mention_range_keeps(lo, bounds.hi, p_at, p_mentions_months, p_reports_months) then
      return false;
    end if;
    -- the month's school links go in bulk while its posts are still there: the rollups' trigger (sql/0048)
    -- must not take that for links removed on their own and recount those days without them
    perform set_config('klankbord.dropping_mentions', lo || ',' || bounds.hi, true);
    for k in select c.conrelid::regclass as child, a.attname::text as col, c.confdeltype
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.confrelid in ('mentions'::regclass, 'mention_keys'::regclass) and c.conparentid = 0
        -- why: the school links go before story ids are nulled, so the rollups' trigger does not recount
        -- the days of posts that are about to go (the row purge leaves those counts as they are too);
        -- what points at the keys goes before the keys, set-based, rather than by their cascade row by row
        order by c.conrelid = 'mentions'::regclass, 1 loop
      if k.child = 'mentions'::regclass then
        -- the month's own copies too: detaching checks every reference, those inside it included
        execute format('update mentions set %I = null where %1$I >= $1 and %1$I < $2', k.col) using lo, bounds.hi;
      elsif k.confdeltype = 'c' then
        execute format('delete from %s where %I >= $1 and %2$I < $2', k.child, k.col) using lo, bounds.hi;
      elsif k.confdeltype = 'n' then
        execute format('update %s set %I = null where %2$I >= $1 and %2$I < $2', k.child, k.col) using lo, bounds.hi;
      else
        raise exception 'no rule for the foreign key of %.% on mentions or mention_keys', k.child, k.col;
      end if;
    end loop;
    -- the month's keys, which no longer follow their posts by a foreign key (sql/0047), and the month's
    -- story heads (above; a later month's copy whose leader goes became a head itself just now)
    delete from mention_keys where mention_id >= lo and mention_id < bounds.hi;
    delete from story_heads where mention_id >= lo and mention_id < bounds.hi;
    perform set_config('klankbord.dropping_mentions', '', true);
    execute format('alter table mentions detach partition %s', p_part);
    execute format('drop table %s', p_part);
  exception when lock_not_available then
    -- busy: the next retention pass tries again
    return false;
  end;
  return true;
end $$;
