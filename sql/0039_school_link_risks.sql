-- Issue 18: one school's list filtered on a risk ("threats at this school") walked that school's links
-- in date order and looked up each post's labels, 20,000 links to find 50 threats. The link now also
-- carries its post's shown risks, filled by the database with the time (sql/0038) and kept in step
-- when the labels change, and each risk has a small index of a school's links that have it.
alter table mention_schools add column shown_risks text[] not null default '{}';
update mention_schools ms set shown_risks = m.shown_risks from mentions m
  where m.id = ms.mention_id and m.shown_risks <> '{}';

-- why: one lookup for both copies of the post's fields
create or replace function mention_schools_published_at() returns trigger language plpgsql as $$
begin
  select m.published_at, m.shown_risks into new.published_at, new.shown_risks from mentions m where m.id = new.mention_id;
  new.shown_risks := coalesce(new.shown_risks, '{}');
  return new;
end $$;

create function mentions_shown_risks_moved() returns trigger language plpgsql as $$
begin
  update mention_schools set shown_risks = new.shown_risks where mention_id = new.id;
  return null;
end $$;
create trigger mentions_shown_risks_moved after update of shown_risks on mentions
  for each row when (old.shown_risks is distinct from new.shown_risks)
  execute function mentions_shown_risks_moved();

create index mention_schools_threat_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active and shown_risks @> '{threat}';
create index mention_schools_discrimination_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active and shown_risks @> '{discrimination}';
create index mention_schools_sexual_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active and shown_risks @> '{sexual}';
create index mention_schools_shaming_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active and shown_risks @> '{shaming}';
create index mention_schools_personal_data_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active and shown_risks @> '{personal_data}';
create index mention_schools_inaccuracy_idx on mention_schools (school_id, published_at desc, mention_id desc)
  where active and shown_risks @> '{inaccuracy}';
