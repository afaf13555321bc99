-- Issue 18: two statement triggers that run on every stored batch read each post of the batch from every
-- month of mentions. Both now read only what they need.
--
-- 1. Every stored batch's school links queue their (school, day) pairs for the directors' rollups
-- (sql/0031). The day was read from each link's post, a join over every month of mentions: with a
-- batch's 200 links the planner hashed the whole current month (4 ms at 9,000 posts in the month, and
-- growing with it). A link carries its post's publication time itself since sql/0038, kept in step when
-- the post's time moves, so new and changed links need no post at all.
-- why: a link deleted together with its post (retention, erasure) still changes no counts, so a
-- deleted link is only counted while its post is there; that lookup is bounded by the links' post ids,
-- which follow their month (sql/0040), so it reads only the months those posts are in.
create or replace function stats_links_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into stats_dirty (school_id, day)
    select distinct l.school_id, dutch_day(l.published_at) from changed l
    where l.published_at is not null
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

-- 2. The trigger that names a case after its first post (sql/0046) looked up the posts joining cases in
-- one statement in every month (4 ms for a batch's 150 posts at 9,000 posts in the month). Their ids
-- bound the months now. Otherwise as sql/0046.
create or replace function case_headlines_changed() returns trigger language plpgsql as $$
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
          -- why: the posts' ids follow their month (sql/0040), so their bounds leave out every other month
          and m.id between (select min(x.mention_id) from new_rows x) and (select max(x.mention_id) from new_rows x)
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
