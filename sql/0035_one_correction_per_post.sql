-- Issue 20: a post about two schools is in a case at each, and both cases may ask for the one allowed
-- online response. One post gets at most one correction, whatever the number of schools: a second
-- draft for the same post (while the first is not rejected) is refused by the database itself, so two
-- people drafting at the same moment cannot both succeed.
create unique index correction_drafts_one_per_post_idx on correction_drafts (mention_id)
  where mention_id is not null and state <> 'afgewezen';
