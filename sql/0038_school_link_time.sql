-- Issue 18: one school's inbox walked the board's date index and skipped the other schools' posts (49
-- of 50 on a board of 50 schools). The link now carries its post's publication time, so a school's list
-- walks its own index in date order. Filled by the database on every new link and kept in step when a
-- post's time changes.
alter table mention_schools add column published_at timestamptz;
update mention_schools ms set published_at = m.published_at from mentions m where m.id = ms.mention_id;

create function mention_schools_published_at() returns trigger language plpgsql as $$
begin
  new.published_at := (select m.published_at from mentions m where m.id = new.mention_id);
  return new;
end $$;
create trigger mention_schools_published_at before insert on mention_schools
  for each row execute function mention_schools_published_at();

create function mentions_published_at_moved() returns trigger language plpgsql as $$
begin
  update mention_schools set published_at = new.published_at where mention_id = new.id;
  return null;
end $$;
create trigger mentions_published_at_moved after update of published_at on mentions
  for each row when (old.published_at is distinct from new.published_at)
  execute function mentions_published_at_moved();

create index mention_schools_school_time_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active;
