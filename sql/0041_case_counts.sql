-- Issue 18: the case list counted every case the board ever had, per state, on every request: its
-- cost grew with the board's history. The counts per school and state are now kept by the database
-- as cases come, change state and go, so the list reads at most four rows per school.
-- why no foreign key to schools: a school's removal deletes its cases in the same statement, and the
-- counts of a school that is gone are never read (the list sums the viewer's schools only).
create table case_counts (
  school_id bigint not null,
  state text not null,
  n bigint not null,
  primary key (school_id, state)
);
insert into case_counts (school_id, state, n) select school_id, state, count(*) from cases group by 1, 2;

-- One statement's changes at once, in key order so two writers never wait on each other in a circle.
create function case_counts_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into case_counts (school_id, state, n)
      select school_id, state, count(*) from new_rows group by 1, 2 order by 1, 2
      on conflict (school_id, state) do update set n = case_counts.n + excluded.n;
  elsif tg_op = 'DELETE' then
    insert into case_counts (school_id, state, n)
      select school_id, state, -count(*) from old_rows group by 1, 2 order by 1, 2
      on conflict (school_id, state) do update set n = case_counts.n + excluded.n;
  else
    insert into case_counts (school_id, state, n)
      select school_id, state, sum(d) from (
        select school_id, state, -1 as d from old_rows union all select school_id, state, 1 from new_rows
      ) x group by 1, 2 having sum(d) <> 0 order by 1, 2
      on conflict (school_id, state) do update set n = case_counts.n + excluded.n;
  end if;
  return null;
end $$;
create trigger case_counts_insert after insert on cases referencing new table as new_rows
  for each statement execute function case_counts_changed();
create trigger case_counts_update after update on cases referencing old table as old_rows new table as new_rows
  for each statement execute function case_counts_changed();
create trigger case_counts_delete after delete on cases referencing old table as old_rows
  for each statement execute function case_counts_changed();
