-- Issue 18: mentions are partitioned by the month they were collected in, so retention drops a month
-- as a whole instead of deleting its rows one by one, and old months stay cold.
-- why: a partitioned table's unique keys and every foreign key to it must contain the partition key.
-- Nine tables point at mentions(id) and the app finds a post by its id everywhere, so the id itself
-- carries the month: the month's index (months since 2000-01, UTC) times 2^36 plus a sequence number.
-- Ids stay below 2^53, so a browser reading one as a Number still reads it exactly.

create function mention_month(created timestamptz) returns int language sql immutable parallel safe as $$
  select (extract(year from created at time zone 'UTC')::int - 2000) * 12
    + extract(month from created at time zone 'UTC')::int - 1
$$;

-- A month's partition holds the ids [mention_month_start(m), mention_month_start(m + 1)).
create function mention_month_start(month int) returns bigint language sql immutable parallel safe as $$
  select month::bigint * 68719476736
$$;

-- The id of a post collected at `created`. Inserts that set created_at themselves pass it as the id,
-- so the row lands in the partition of the month it was collected in.
create function mention_id_for(created timestamptz) returns bigint language sql volatile as $$
  select mention_month_start(mention_month(created)) + nextval('mentions_id_seq') % 68719476736
$$;

-- Every partition of mentions with its id bounds; lo is null for the legacy partition (from MINVALUE).
create function mention_partitions() returns table (part regclass, lo bigint, hi bigint)
language sql stable as $$
  select c.oid::regclass,
    nullif(substring(b from 'FROM \(''?([-0-9A-Z]+)'), 'MINVALUE')::bigint,
    substring(b from 'TO \(''?([-0-9]+)')::bigint
  from pg_inherits i join pg_class c on c.oid = i.inhrelid,
    lateral pg_get_expr(c.relpartbound, c.oid) as b
  where i.inhparent = 'mentions'::regclass
$$;

-- What a new partition gets besides what PostgreSQL clones from the parent.
create function mention_partition_made(p_name text) returns void language plpgsql
set search_path = pg_catalog, public as $$
declare
  g record;
begin
  -- its indexes are named after the parent's (mentions_inbox_idx_2026_12), so a plan says which is which
  for g in select c.relname::text as month_index, p.relname::text as parent_index
      from pg_index x join pg_class c on c.oid = x.indexrelid
      join pg_inherits i on i.inhrelid = x.indexrelid join pg_class p on p.oid = i.inhparent
      where x.indrelid = ('public.' || quote_ident(p_name))::regclass loop
    execute format('alter index public.%I rename to %I', g.month_index,
      g.parent_index || substr(p_name, length('mentions') + 1));
  end loop;
  -- whoever may use the parent directly may use its months directly too
  for g in select a.grantee::regrole::text as grantee, string_agg(a.privilege_type, ', ') as privileges
      from pg_class c, aclexplode(c.relacl) a
      where c.oid = 'mentions'::regclass and a.grantee <> 0 and a.grantee <> c.relowner
      group by a.grantee loop
    execute format('grant %s on public.%I to %s', g.privileges, p_name, g.grantee);
  end loop;
end $$;
revoke all on function mention_partition_made(text) from public;

-- Makes the monthly partitions from `p_from`'s month on, `p_months` of them, that do not exist yet;
-- returns how many it made. Runs with the owner's rights: only the owner may add a partition.
-- A month the legacy partition still covers is left to it, unless that partition is empty (a new
-- installation, a restore, a benchmark), which then ends where the first month begins.
-- why: security definer with a fixed search_path, so the caller cannot substitute objects.
create function ensure_mention_partitions(p_from timestamptz, p_months int)
returns int language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  made int := 0;
  m int := mention_month(p_from);
  last int := mention_month(p_from) + p_months - 1;
  month_lo bigint;
  part_name text;
  over record;
begin
  if p_months not between 1 and 36 then
    raise exception 'between 1 and 36 months at a time';
  end if;
  -- why: two workers making the same month at once would race on the catalog
  perform pg_advisory_xact_lock(hashtextextended('mention_partitions', 0));
  while m <= last loop
    month_lo := mention_month_start(m);
    select * into over from mention_partitions() p where coalesce(p.lo, month_lo) < mention_month_start(m + 1) and p.hi > month_lo;
    if found and (over.lo is not null or exists (select 1 from mentions where id < over.hi)) then
      m := m + 1;
      continue;
    end if;
    if found then
      execute format('alter table mentions detach partition %s', over.part);
      execute format('drop table %s', over.part);
      part_name := 'mentions_before_' || to_char(make_date(2000 + m / 12, m % 12 + 1, 1), 'YYYY_MM');
      execute format('create table public.%I partition of mentions for values from (minvalue) to (%s)',
        part_name, month_lo);
      perform mention_partition_made(part_name);
      -- the months the legacy partition no longer covers are made too, so no id is left without a place
      last := greatest(last, (over.hi / mention_month_start(1))::int - 1);
    end if;
    part_name := 'mentions_' || to_char(make_date(2000 + m / 12, m % 12 + 1, 1), 'YYYY_MM');
    execute format('create table public.%I partition of mentions for values from (%s) to (%s)',
      part_name, month_lo, mention_month_start(m + 1));
    perform mention_partition_made(part_name);
    made := made + 1;
    m := m + 1;
  end loop;
  return made;
end $$;
revoke all on function ensure_mention_partitions(timestamptz, int) from public;

-- Convert the table in place: it becomes the legacy partition, nothing is copied.
do $$
declare
  legacy text := 'mentions_before_' || to_char(now() at time zone 'UTC', 'YYYY_MM');
  first_lo bigint := mention_month_start(mention_month(now()));
  index_defs text[];
  trigger_defs text[];
  keys record;
  key_defs text[][] := '{}';
  r record;
  d text;
  i bigint;
begin
  -- What hangs off the table, read before the rename, so the definitions still name `mentions`.
  select coalesce(array_agg(pg_get_indexdef(x.indexrelid)), '{}') into index_defs
    from pg_index x where x.indrelid = 'mentions'::regclass
    and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = x.indrelid);
  select coalesce(array_agg(pg_get_triggerdef(t.oid)), '{}') into trigger_defs
    from pg_trigger t where t.tgrelid = 'mentions'::regclass and not t.tgisinternal;
  -- Foreign keys pointing at mentions (a story's copies at its first post among them). Those from mentions
  -- to boards and sources stay on the legacy table, whose equivalents on the parent then adopt them.
  for keys in select conrelid::regclass::text as child, conname::text as name, pg_get_constraintdef(oid) as def
      from pg_constraint
      where contype = 'f' and confrelid = 'mentions'::regclass
      order by 1, 2 loop
    key_defs := key_defs || array[[keys.child, keys.name, keys.def]];
    execute format('alter table %s drop constraint %I', keys.child, keys.name);
  end loop;
  for r in select tgname::text as name from pg_trigger where tgrelid = 'mentions'::regclass and not tgisinternal loop
    execute format('drop trigger %I on mentions', r.name);
  end loop;
  -- why: the parent cannot carry this unique key (it lacks the id); dedup moves to mention_keys below
  alter table mentions drop constraint mentions_source_id_external_id_key;
  -- why: dropping the identity drops its sequence; the new one goes on where it stopped
  select coalesce(max(id), 0) + 1 into i from mentions;
  alter table mentions alter column id drop identity;
  create sequence mentions_id_seq;
  perform setval('mentions_id_seq', i, false);
  execute format('alter table mentions rename to %I', legacy);
  -- the legacy table's indexes make way for the parent's, which adopt them instead of building new ones
  -- (named as the months' are: mentions_inbox_idx_before_2026_12)
  for r in select c.relname::text as name from pg_index x join pg_class c on c.oid = x.indexrelid
      where x.indrelid = legacy::regclass loop
    execute format('alter index %I rename to %I', r.name, r.name || substr(legacy, length('mentions') + 1));
  end loop;

  execute format('create table mentions (like %I including defaults including generated including constraints)
    partition by range (id)', legacy);
  alter table mentions alter column id set default mention_id_for(now());
  alter sequence mentions_id_seq owned by mentions.id;
  -- why: with a constraint that already proves the bound, ATTACH does not scan the table a second time
  execute format('alter table %I add constraint legacy_bound check (id is not null and id < %s)', legacy, first_lo);
  execute format('alter table mentions attach partition %I for values from (minvalue) to (%s)', legacy, first_lo);
  execute format('alter table %I drop constraint legacy_bound', legacy);

  alter table mentions add constraint mentions_pkey primary key (id);
  foreach d in array index_defs loop
    execute d;
  end loop;
  for r in select conname::text as name, pg_get_constraintdef(oid) as def from pg_constraint
      where contype = 'f' and conrelid = legacy::regclass loop
    execute format('alter table mentions add constraint %I %s', r.name, r.def);
  end loop;
  for i in 1 .. coalesce(array_length(key_defs, 1), 0) loop
    if key_defs[i][1] = 'mentions' then
      execute format('alter table mentions add constraint %I %s', key_defs[i][2], key_defs[i][3]);
    else
      execute format('alter table %s add constraint %I %s not valid', key_defs[i][1], key_defs[i][2], key_defs[i][3]);
      execute format('alter table %s validate constraint %I', key_defs[i][1], key_defs[i][2]);
    end if;
  end loop;
  foreach d in array trigger_defs loop
    execute d;
  end loop;
  -- last, so the months are made with every index, key and trigger of the parent
  perform ensure_mention_partitions(now(), 4);
end $$;

-- Dedup of collected items: one row per (source, item), taken in the same statement that stores the post.
create table mention_keys (
  source_id bigint not null references sources (id) on delete cascade,
  external_id text not null,
  mention_id bigint not null references mentions (id) on delete cascade,
  primary key (source_id, external_id)
);
insert into mention_keys (source_id, external_id, mention_id) select source_id, external_id, id from mentions;
create index mention_keys_mention_id_idx on mention_keys (mention_id);

-- Retention by the month. A partition goes as a whole once every post in it may go for every board:
-- past its board's term for its origin, counted from created_at (collected and manual posts: the
-- posts' term; reported ones: the reports' term; a board without its own terms: the defaults the
-- caller passes), and held by no open case. That is the rule purgeBoard applies row by row, so dropping
-- the month removes exactly the rows the row purge would have removed, only at once.
create function mention_range_keeps(p_lo bigint, p_hi bigint, p_at timestamptz, p_mentions_months int,
  p_reports_months int) returns boolean language sql stable as $$
  select exists (select 1 from case_mentions cm join cases c on c.id = cm.case_id
      where cm.mention_id >= p_lo and cm.mention_id < p_hi and c.state in ('nieuw', 'in_behandeling'))
    or exists (select 1 from mentions m left join retention r on r.board_id = m.board_id
      where m.id >= p_lo and m.id < p_hi
        and m.created_at >= p_at - make_interval(months => case m.origin when 'reported'
          then coalesce(r.reports_months, p_reports_months) else coalesce(r.mentions_months, p_mentions_months) end))
$$;

-- Drops one partition when the rule above lets it go; true when it did. What points into its ids
-- goes first, as each foreign key says (children deleted, set-null references nulled, later copies'
-- story_id among them), then the partition is detached and dropped. The month of `p_at` and later
-- are never dropped: new posts land there. Runs with the owner's rights: only the owner may drop.
-- why: security definer with a fixed search_path, so the caller cannot substitute objects.
create function drop_expired_mention_partition(p_part regclass, p_at timestamptz, p_mentions_months int,
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
        where c.contype = 'f' and c.confrelid = 'mentions'::regclass and c.conparentid = 0
        -- why: the school links go before story ids are nulled, so the rollups' trigger does not recount
        -- the days of posts that are about to go (the row purge leaves those counts as they are too)
        order by c.conrelid = 'mentions'::regclass, 1 loop
      if k.child = 'mentions'::regclass then
        -- the month's own copies too: detaching checks every reference, those inside it included
        execute format('update mentions set %I = null where %1$I >= $1 and %1$I < $2', k.col) using lo, bounds.hi;
      elsif k.confdeltype = 'c' then
        execute format('delete from %s where %I >= $1 and %2$I < $2', k.child, k.col) using lo, bounds.hi;
      elsif k.confdeltype = 'n' then
        execute format('update %s set %I = null where %2$I >= $1 and %2$I < $2', k.child, k.col) using lo, bounds.hi;
      else
        raise exception 'no rule for the foreign key of %.% on mentions', k.child, k.col;
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
revoke all on function drop_expired_mention_partition(regclass, timestamptz, int, int) from public;
