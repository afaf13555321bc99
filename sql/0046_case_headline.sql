-- Issue 18: the "Acties" board names each case after its first post (by publication). The list looked
-- that post up per case through all its posts, in every month of mentions (sql/0040): at a 1M-post year
-- ~1.1 ms of planning and ~1.7 ms of execution for 200 cases, more than the rest of the list. The case now
-- knows which post that is; the list reads those posts by id afterwards, only the months they are in.
-- The database keeps it as posts join and leave a case (filing, spikes, a removed post, a dropped month),
-- so no code path can forget it. A post's publication time never changes once stored.
alter table cases add column headline_mention_id bigint, add column headline_at timestamptz;

-- The first post of each of these cases that still exists, by publication then id (null: none left).
create function case_headlines_recount(p_cases bigint[]) returns void language sql as $$
  update cases c set headline_mention_id = f.id, headline_at = f.published_at
  from unnest(p_cases) as x(case_id)
  left join lateral (select m.id, m.published_at from case_mentions cm join mentions m on m.id = cm.mention_id
    where cm.case_id = x.case_id order by m.published_at, m.id limit 1) f on true
  where c.id = x.case_id
    and (c.headline_mention_id, c.headline_at) is distinct from (f.id, f.published_at)
$$;

create function case_headlines_changed() returns trigger language plpgsql as $$
declare
  touched bigint[];
begin
  if tg_op = 'INSERT' then
    touched := array(select distinct case_id from new_rows order by 1);
  else
    touched := array(select distinct case_id from old_rows order by 1);
  end if;
  -- why: two transactions changing one case's posts at once each decide from what they see; taking the
  -- case first (in key order, so no two wait on each other in a circle) makes the second wait for the
  -- first to commit, and the statements below then see its posts
  perform 1 from cases where id = any(touched) order by id for no key update;
  if tg_op = 'INSERT' then
    -- a post published before the case's first one takes its place
    update cases c set headline_mention_id = f.id, headline_at = f.published_at
    from (select distinct on (n.case_id) n.case_id, m.id, m.published_at
        from new_rows n join mentions m on m.id = n.mention_id
        order by n.case_id, m.published_at, m.id) f
    where c.id = f.case_id
      and (c.headline_mention_id is null or (f.published_at, f.id) < (c.headline_at, c.headline_mention_id));
  else
    -- the first post left: the next one, if any, names the case
    perform case_headlines_recount(array(select distinct o.case_id from old_rows o join cases c
      on c.id = o.case_id and c.headline_mention_id = o.mention_id order by 1));
  end if;
  return null;
end $$;
create trigger case_headlines_insert after insert on case_mentions referencing new table as new_rows
  for each statement execute function case_headlines_changed();
create trigger case_headlines_delete after delete on case_mentions referencing old table as old_rows
  for each statement execute function case_headlines_changed();

select case_headlines_recount(array(select id from cases order by id));
