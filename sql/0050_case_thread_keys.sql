-- A case's thread and story keys (how a reply, or another copy of a story, finds its discussion), one
-- row each. As an array on the case (sql/0007) every batch that touched a case read all its keys and
-- wrote them all back, a cost that grew with the case's history (one case of the ingest bench held
-- 3,594 keys after 9,000 posts). Now a batch reads only the keys it brings, of the school's open
-- cases, and adds only the new ones.
create table case_thread_keys (
  case_id bigint not null references cases (id) on delete cascade,
  key text not null,
  primary key (case_id, key)
);
insert into case_thread_keys (case_id, key)
  select c.id, k from cases c cross join lateral unnest(c.thread_keys) as k
  on conflict do nothing;
alter table cases drop column thread_keys;
