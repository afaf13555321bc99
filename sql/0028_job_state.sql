-- Issue 18: what a background job has finished, so an idle worker does not rescan a large table to
-- find it has nothing to do (e.g. "every mention has classifier v3.0": set when a pass finds none).
create table job_state (
  name text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
