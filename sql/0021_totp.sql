-- An optional second factor per user: a TOTP secret (RFC 6238), sealed with the server's secret key
-- (server/auth/secretBox.ts). Pending until the user confirms it with a code from their app.
create table user_totp (
  user_id bigint primary key references users (id) on delete cascade,
  secret text not null,
  confirmed_at timestamptz,
  -- why: the time step of the last code accepted; a code at or before it is refused, so a code
  -- seen over someone's shoulder cannot be used again within its 90 seconds.
  last_step bigint,
  created_at timestamptz not null default now()
);

-- Ten one-time recovery codes, stored as hashes, shown to the user once when the factor is enabled.
create table totp_recovery_codes (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, code_hash)
);

-- Between a correct password and a correct code: a one-time ticket bound to the user (5 minutes),
-- stored by the hash of its token like sessions.
create table login_tickets (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index login_tickets_user_idx on login_tickets (user_id);
create index login_tickets_expires_idx on login_tickets (expires_at);

-- why: the login throttle (server/db/sessions.ts) now counts wrong codes next to wrong passwords;
-- these replace the two partial indexes on 'login.failed' alone.
create index audit_log_login_failures_idx on audit_log (actor, created_at)
  where action in ('login.failed', 'login.totp_failed');
create index audit_log_login_failures_ip_idx on audit_log (ip, created_at)
  where action in ('login.failed', 'login.totp_failed');
drop index audit_log_login_failed_idx;
drop index audit_log_login_failed_ip_idx;
