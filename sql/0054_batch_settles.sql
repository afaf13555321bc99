-- Issue 18: a stored batch takes its story locks at its end, only to settle which post leads each story
-- (workers/storeBatch.ts). Before, it took them first and held them for its whole transaction, so with
-- several worker processes any two batches that shared a story ran one after the other.
--
-- A batch waiting on a story lock must hold nothing another batch writes when it settles, or the two can
-- wait on each other. Its posts, links, labels and story heads are its own rows; what it shared were the
-- rollups' queue rows (stats_dirty, a school and a day, unique), queued by the links' and posts' triggers
-- as the batch went, and the copy counts of the leaders its copies follow (story_copies, sql/0042). So the
-- batch now says, for its own transaction, that it settles both itself: once it holds its story locks, in
-- one statement each and in key order (server/db/ingest.ts, countBatchCopies and queueBatchStats). These
-- triggers do not fire for a transaction whose id the setting names, so a session's or a role's value of
-- it never makes them skip; their functions are as before.
drop trigger mention_schools_stats_insert on mention_schools;
create trigger mention_schools_stats_insert after insert on mention_schools
  referencing new table as changed for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function stats_links_changed();
drop trigger mention_schools_stats_update on mention_schools;
create trigger mention_schools_stats_update after update on mention_schools
  referencing new table as changed for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function stats_links_changed();
drop trigger mention_schools_stats_delete on mention_schools;
create trigger mention_schools_stats_delete after delete on mention_schools
  referencing old table as changed for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function stats_links_changed();

drop trigger mentions_stats_update on mentions;
create trigger mentions_stats_update after update on mentions
  referencing new table as changed old table as before for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function stats_mentions_changed();

drop trigger mentions_story_copies_insert on mentions;
create trigger mentions_story_copies_insert after insert on mentions referencing new table as new_rows
  for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function story_copies_changed();
drop trigger mentions_story_copies_update on mentions;
create trigger mentions_story_copies_update after update on mentions
  referencing old table as old_rows new table as new_rows for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function story_copies_changed();
drop trigger mentions_story_copies_delete on mentions;
create trigger mentions_story_copies_delete after delete on mentions referencing old table as old_rows
  for each statement
  when (current_setting('klankbord.batch_settles', true) is distinct from pg_current_xact_id()::text)
  execute function story_copies_changed();

-- A story's leader linked to the schools of its copies goes back on the filing queue (as sql/0030), now
-- in key order: two batches settling different stories of one leader at once then take its queue row in
-- the same order as everything else they share, and never wait on each other in a circle.
create or replace function queue_filing_linked() returns trigger language plpgsql as $$
begin
  insert into filing_queue (mention_id)
  select distinct l.mention_id from changed l where l.active
  order by 1
  on conflict do nothing;
  return null;
end $$;
