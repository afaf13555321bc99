-- Issue 17: TRUNCATE bypasses row triggers, so the append-only audit log also refuses TRUNCATE.
-- (A superuser could still drop the trigger; running the app as a role without those rights is open work.)
create function audit_log_no_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_no_truncate();
