-- Issue 17: the app runs as a role that is not a superuser and does not own the tables (see
-- server/db/roles.ts; the grants are applied after every migration). That role may only read and
-- append to the audit log. Old entries are removed through this one function, which runs with the
-- owner's rights and keeps every entry younger than a year by the database's own clock.
-- why: security definer with a fixed search_path, so the caller cannot substitute objects.
create function purge_audit_log(p_board bigint, p_before timestamptz, p_limit int)
returns int language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  n int;
begin
  if p_before > now() - interval '12 months' then
    raise exception 'audit entries younger than 12 months are kept';
  end if;
  perform set_config('klankbord.retention', 'on', true);
  delete from audit_log where id in (
    select id from audit_log where board_id = p_board and created_at < p_before limit greatest(p_limit, 0));
  get diagnostics n = row_count;
  perform set_config('klankbord.retention', 'off', true);
  return n;
end $$;

revoke all on function purge_audit_log(bigint, timestamptz, int) from public;
