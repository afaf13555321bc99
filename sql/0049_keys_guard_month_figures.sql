-- Issue 18, after review of sql/0047 and sql/0048.
--
-- 1. The foreign key from a post's key to its post (dropped in sql/0047) also refused two things no code
--    does but an owner could: changing a post's id (a key left pointing at nothing, or, into another month,
--    the post's links and labels deleted with its key) and truncating mentions (every key left behind, and
--    the feeds' items then skipped for good as "stored already"). Both are refused again.
create function mentions_id_fixed() returns trigger language plpgsql as $$
begin
  raise exception 'het id van een bericht verandert niet (sleutels en verwijzingen hangen eraan)';
end $$;
create trigger mentions_id_fixed before update of id on mentions
  for each row when (old.id is distinct from new.id) execute function mentions_id_fixed();

create function mentions_no_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'mentions wordt niet geleegd met truncate: verwijder berichten, dan gaan hun sleutels mee';
end $$;
create trigger mentions_no_truncate before truncate on mentions
  for each statement execute function mentions_no_truncate();

-- 2. Dropping a month deleted its school links in bulk while its posts were still there, so the rollups'
--    trigger queued their days, and the next rollup recounted those days without the month's posts: the
--    anonymous figures of a dropped month went to zero, where the row purge keeps them. The drop now says
--    which ids it is removing, and the trigger leaves links in that range alone (as it leaves the links of
--    a deleted post). As sql/0048 otherwise.
create or replace function stats_links_changed() returns trigger language plpgsql as $$
declare
  dropping text := coalesce(current_setting('klankbord.dropping_mentions', true), '');
  lo bigint;
  hi bigint;
begin
  if tg_op = 'DELETE' then
    if dropping <> '' then
      lo := split_part(dropping, ',', 1)::bigint;
      hi := split_part(dropping, ',', 2)::bigint;
    end if;
    insert into stats_dirty (school_id, day)
    select distinct l.school_id, dutch_day(l.published_at) from changed l
    where l.published_at is not null
      and not ((l.mention_id >= lo and l.mention_id < hi) is true)
      and exists (select 1 from schools s where s.id = l.school_id)
      and exists (select 1 from mentions m where m.id = l.mention_id
        and m.id between (select min(c.mention_id) from changed c) and (select max(c.mention_id) from changed c))
    on conflict do nothing;
  else
    insert into stats_dirty (school_id, day)
    select distinct l.school_id, dutch_day(l.published_at) from changed l
    where l.published_at is not null
      and exists (select 1 from schools s where s.id = l.school_id)
    on conflict do nothing;
  end if;
  return null;
end $$;

-- The month drop, as sql/0047 with the marker above (and without ordering by a key that no longer exists).
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
    -- the month's keys, which no longer follow their posts by a foreign key (sql/0047)
    delete from mention_keys where mention_id >= lo and mention_id < bounds.hi;
    perform set_config('klankbord.dropping_mentions', '', true);
    execute format('alter table mentions detach partition %s', p_part);
    execute format('drop table %s', p_part);
  exception when lock_not_available then
    -- busy: the next retention pass tries again
    return false;
  end;
  return true;
end $$;
