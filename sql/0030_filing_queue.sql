-- Issue 18: idle workers must not rescan mentions to find the few that still need filing into
-- cases. What may need it is queued by the database itself whenever it can arise — a classification
-- stored or replaced (new prompts), a mention linked or re-linked to a school (a query change) — and
-- the file-cases job reads only the queue: an idle worker then costs one lookup in an empty table.
create table filing_queue (
  mention_id bigint primary key references mentions (id) on delete cascade,
  queued_at timestamptz not null default now()
);

-- why: a statement trigger adds one insert per batch, whatever wrote the rows (pipeline, reclassify,
-- a bulk load); mentions whose prompts only ask to monitor are not queued.
create function queue_filing_classified() returns trigger language plpgsql as $$
begin
  insert into filing_queue (mention_id)
  select distinct c.mention_id from changed c
  where exists (select 1 from jsonb_array_elements(c.actions) a where a ->> 'type' <> 'monitor')
  on conflict do nothing;
  return null;
end $$;

create trigger classifications_filing_insert after insert on classifications
  referencing new table as changed for each statement execute function queue_filing_classified();
create trigger classifications_filing_update after update on classifications
  referencing new table as changed for each statement execute function queue_filing_classified();

create function queue_filing_linked() returns trigger language plpgsql as $$
begin
  insert into filing_queue (mention_id)
  select distinct l.mention_id from changed l where l.active
  on conflict do nothing;
  return null;
end $$;

create trigger mention_schools_filing_insert after insert on mention_schools
  referencing new table as changed for each statement execute function queue_filing_linked();
create trigger mention_schools_filing_update after update on mention_schools
  referencing new table as changed for each statement execute function queue_filing_linked();

-- What the old scan would still have found, once (the job drops what is filed already or too old).
insert into filing_queue (mention_id)
select c.mention_id from classifications c
join mentions m on m.id = c.mention_id
where m.published_at >= now() - interval '14 days'
  and exists (select 1 from jsonb_array_elements(c.actions) a where a ->> 'type' <> 'monitor')
  and not exists (select 1 from case_mentions cm where cm.mention_id = m.id)
on conflict do nothing;
