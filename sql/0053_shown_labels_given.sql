-- Issue 18: the pipeline stores a new post with its labels as shown already (sql/0034: its first
-- classification, no corrections yet, the same values the trigger of sql/0027 would compute). The
-- trigger still worked them out again for every stored batch, and found nothing to change: ~4 ms of
-- planning and reading a batch of ~190 posts (pg_stat_statements, the ingest bench), 6% of what
-- PostgreSQL spends on a post.
--
-- The statement that stores those labels (server/db/classifications.ts, insertNewMentionClassifications)
-- says so by setting klankbord.shown_given to its own start time; the trigger skips the refresh only when
-- the setting names the statement it fires for, and clears it. So it holds for that one statement only:
-- not for a later one in the transaction (even when triggers were off for that statement and nothing
-- cleared it), nor when someone sets it for a session or a role. Every other statement that adds or
-- changes labels or corrections (re-classification, a correction by hand) refreshes as before.
create or replace function shown_labels_changed() returns trigger language plpgsql as $$
begin
  if current_setting('klankbord.shown_given', true) = statement_timestamp()::text then
    perform set_config('klankbord.shown_given', '', true);
    return null;
  end if;
  perform refresh_shown_labels(array(select distinct mention_id from changed));
  return null;
end $$;
