-- A school's calendar (issue 6): holidays, test and report weeks and events change how much is said
-- online, so the spike prompt ("online communicatie dreigt te ontsporen") compares like with like.
-- Schools set their own holiday dates around the national advice, so each school enters its own.
create table school_calendar (
  id bigint generated always as identity primary key,
  school_id bigint not null references schools (id) on delete cascade,
  kind text not null check (kind in ('vakantie', 'toetsweek', 'rapportweek', 'evenement')),
  label text not null,
  starts_on date not null,
  ends_on date not null,
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index school_calendar_school_idx on school_calendar (school_id, starts_on);
