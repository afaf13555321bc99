-- Issue 18: storing a batch of posts spent a third of its mentions statement on one foreign key, and the
-- labels' trigger read each new post's labels through the newest labels of every post.
--
-- 1. A post's key (mention_keys) pointed at its post with a foreign key: each new key checked that its
--    post exists in mentions, and each such check plans every month of mentions (sql/0044): ~0.1 ms a
--    post at 14 months, 19 of the 55 ms that stores 181 posts, more with every month kept. The key is
--    written in the very statement that writes its post (server/db/ingest.ts insertMentions: both, or
--    neither), so the check never finds anything; what the key still needs is to go with its post. A row
--    trigger on mentions (made on every month, as the foreign key's own trigger was) deletes it, and
--    everything pointing at the key follows it by its cascade, as before. Dropping a month deletes its
--    keys itself (below).
alter table mention_keys drop constraint mention_keys_mention_id_fkey;

create function mention_key_follows_post() returns trigger language plpgsql as $$
begin
  delete from mention_keys where mention_id = old.id;
  return null;
end $$;

create trigger mentions_key_delete after delete on mentions
  for each row execute function mention_key_follows_post();

-- 2. The newest labels of a post (the inbox's shown labels, the search text's masking, the trigger of
--    sql/0027 after every stored batch) are the post's classification with the highest id. With only an
--    index on the post, PostgreSQL walked the newest classifications of all posts backwards until it met
--    this post's (90 rows a post in the ingest bench; for an old post, nearly the whole table). With the
--    id in the index it is one step.
create index classifications_mention_latest_idx on classifications (mention_id, id);
drop index classifications_mention_id_idx;

-- 3. The same trigger then matched those posts against every post of every month (a hash join over the
--    whole current month: 10 ms for 187 posts at 9,000 posts in the month, growing with it). Posts' ids
--    follow their month (sql/0040), so bounding the ids by the batch's lets PostgreSQL read only the
--    months the batch is in, by their keys: ~4 ms, whatever the month's size. Otherwise as sql/0034.
create or replace function refresh_shown_labels(ids bigint[]) returns void language sql as $$
  update mentions m set
    shown_sentiment = coalesce(x.corr_sentiment, x.sentiment),
    shown_risks = x.risks,
    corrected = x.corrected
  from (
    select mid,
      (select c.sentiment from classifications c where c.mention_id = mid order by c.id desc limit 1) as sentiment,
      (select lc.value from label_corrections lc where lc.mention_id = mid and lc.field = 'sentiment'
        order by lc.id desc limit 1) as corr_sentiment,
      exists (select 1 from label_corrections lc where lc.mention_id = mid) as corrected,
      coalesce((
        select array_agg(distinct t order by t) from (
          select r ->> 'type' as t
          from (select c.risks from classifications c where c.mention_id = mid order by c.id desc limit 1) c,
            jsonb_array_elements(c.risks) r
          union
          select lc.field from label_corrections lc where lc.mention_id = mid and lc.field <> 'sentiment'
        ) shown
        where coalesce((select lc.value from label_corrections lc where lc.mention_id = mid and lc.field = shown.t
          order by lc.id desc limit 1), 'present') = 'present'
      ), '{}') as risks
    from unnest(ids) as mid
  ) x
  where m.id = x.mid
    -- why: the ids' bounds, known when the statement starts, leave out every month none of them is in
    and m.id between (select min(i) from unnest(ids) i) and (select max(i) from unnest(ids) i)
    and (m.shown_sentiment, m.shown_risks, m.corrected)
      is distinct from (coalesce(x.corr_sentiment, x.sentiment), x.risks, x.corrected)
$$;

-- Dropping a month: as sql/0044, and the month's keys go too.
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
    -- the month's keys, which no longer follow their posts by a foreign key (sql/0047)
    delete from mention_keys where mention_id >= lo and mention_id < bounds.hi;
    execute format('alter table mentions detach partition %s', p_part);
    execute format('drop table %s', p_part);
  exception when lock_not_available then
    -- busy: the next retention pass tries again
    return false;
  end;
  return true;
end $$;
