-- Issue 18: every row that points at a post (a school link, its labels, a report, a correction, a case's
-- post, the filing queue, the triage) had its foreign key checked against mentions. Since sql/0040 each
-- such check plans every month of mentions: ~45 µs at 18 months, more with every month kept, against
-- ~3 µs in one table, and storing a post makes several. They now point at mention_keys (one row per
-- post, one table): a row points at a key, the key at its post, so every reference stays whole; a
-- deleted post takes its key with it (its cascade), and the key everything pointing at it, as before.
alter table mention_keys add constraint mention_keys_mention_id_key unique (mention_id);
drop index mention_keys_mention_id_idx;

alter table mention_schools drop constraint mention_schools_mention_id_fkey,
  add constraint mention_schools_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table classifications drop constraint classifications_mention_id_fkey,
  add constraint classifications_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table reports drop constraint reports_mention_id_fkey,
  add constraint reports_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table label_corrections drop constraint label_corrections_mention_id_fkey,
  add constraint label_corrections_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table case_mentions drop constraint case_mentions_mention_id_fkey,
  add constraint case_mentions_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table filing_queue drop constraint filing_queue_mention_id_fkey,
  add constraint filing_queue_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table mention_triage drop constraint mention_triage_mention_id_fkey,
  add constraint mention_triage_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete cascade;
alter table correction_drafts drop constraint correction_drafts_mention_id_fkey,
  add constraint correction_drafts_mention_id_fkey foreign key (mention_id)
    references mention_keys (mention_id) on delete set null;

-- Dropping a month (sql/0040) clears what points into it first, now by way of the keys as well.
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
    for k in select c.conrelid::regclass as child, a.attname::text as col, c.confdeltype
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.confrelid in ('mentions'::regclass, 'mention_keys'::regclass) and c.conparentid = 0
        -- why: the school links go before story ids are nulled, so the rollups' trigger does not recount
        -- the days of posts that are about to go (the row purge leaves those counts as they are too);
        -- what points at the keys goes before the keys, set-based, rather than by their cascade row by row
        order by c.conrelid = 'mentions'::regclass, c.conrelid = 'mention_keys'::regclass, 1 loop
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
    execute format('alter table mentions detach partition %s', p_part);
    execute format('drop table %s', p_part);
  exception when lock_not_available then
    -- busy: the next retention pass tries again
    return false;
  end;
  return true;
end $$;
