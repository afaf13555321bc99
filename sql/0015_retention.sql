-- Issue 17: what is kept, and for how long, per board. A board without a row uses the defaults below
-- (the README states them). The purge job deletes in batches; the audit log stays append-only except
-- for that job removing entries past the board's term (never younger than a year).
create table retention (
  board_id bigint primary key references boards (id) on delete cascade,
  mentions_months int not null default 12 check (mentions_months between 1 and 120),
  reports_months int not null default 12 check (reports_months between 1 and 120),
  contact_months int not null default 3 check (contact_months between 1 and 24),
  audit_months int not null default 24 check (audit_months between 12 and 120),
  last_purge_at timestamptz,
  updated_at timestamptz not null default now()
);

-- why: retention must be able to remove old audit entries, and nothing else may change the log.
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE'
     and current_setting('klankbord.retention', true) = 'on'
     and old.created_at < now() - interval '12 months' then
    return old;
  end if;
  raise exception 'audit_log is append-only';
end $$;
