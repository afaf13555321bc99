-- Issue 18: since sql/0040 a lookup of one post by its id plans every month of mentions (~45 µs at 18
-- months, against ~3 µs in one month), and the link trigger of sql/0038/0039 did one per new link.
-- The pipeline stores a post and its links in one transaction and knows the post's time and shown
-- risks already: it passes them, and the trigger looks the post up only for a link that comes without
-- a time (a story's first post gaining a copy's schools, a query change, a hand-made link).
-- why: the risks column has a default, so only the time tells whether the writer gave them; a writer
-- that gives the time gives the risks with it (server/db/ingest.ts linkManyMentionSchools).
create or replace function mention_schools_published_at() returns trigger language plpgsql as $$
begin
  if new.published_at is not null then
    return new;
  end if;
  select m.published_at, m.shown_risks into new.published_at, new.shown_risks from mentions m where m.id = new.mention_id;
  new.shown_risks := coalesce(new.shown_risks, '{}');
  return new;
end $$;
