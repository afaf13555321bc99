-- Issue 18: every inbox page counted its posts' copies (and whether one came in through the meldpunt)
-- in mentions itself, which since sql/0040 meant planning every month's indexes on every page. The
-- counts are now kept per story's first post by the database, as posts are stored, re-pointed and
-- deleted. A month dropped whole takes its stories' rows with it (server/db/partitions.ts).
-- why no foreign key: a month's partition is dropped, not deleted row by row.
create table story_copies (
  leader_id bigint primary key,
  copies int not null,
  -- of those, copies that are meldpunt reports
  reported int not null
);
insert into story_copies (leader_id, copies, reported)
  select story_id, count(*), count(*) filter (where origin = 'reported')
  from mentions where story_id is not null group by story_id;

-- One statement's changes at once, in key order so two writers never wait on each other in a circle.
create function story_copies_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into story_copies (leader_id, copies, reported)
      select story_id, count(*), count(*) filter (where origin = 'reported')
      from new_rows where story_id is not null group by story_id order by story_id
      on conflict (leader_id) do update
        set copies = story_copies.copies + excluded.copies, reported = story_copies.reported + excluded.reported;
  elsif tg_op = 'DELETE' then
    insert into story_copies (leader_id, copies, reported)
      select story_id, -count(*), -count(*) filter (where origin = 'reported')
      from old_rows where story_id is not null group by story_id order by story_id
      on conflict (leader_id) do update
        set copies = story_copies.copies + excluded.copies, reported = story_copies.reported + excluded.reported;
  else
    insert into story_copies (leader_id, copies, reported)
      select story_id, sum(d), coalesce(sum(d) filter (where origin = 'reported'), 0) from (
        select story_id, origin, -1 as d from old_rows where story_id is not null
        union all
        select story_id, origin, 1 from new_rows where story_id is not null
      ) x group by story_id
      having sum(d) <> 0 or coalesce(sum(d) filter (where origin = 'reported'), 0) <> 0
      order by story_id
      on conflict (leader_id) do update
        set copies = story_copies.copies + excluded.copies, reported = story_copies.reported + excluded.reported;
  end if;
  return null;
end $$;
create trigger mentions_story_copies_insert after insert on mentions referencing new table as new_rows
  for each statement execute function story_copies_changed();
create trigger mentions_story_copies_update after update on mentions
  referencing old table as old_rows new table as new_rows
  for each statement execute function story_copies_changed();
create trigger mentions_story_copies_delete after delete on mentions referencing old table as old_rows
  for each statement execute function story_copies_changed();
