-- Issue 17: beheer manages users in the dashboard. A disabled user cannot log in and their sessions
-- end; a password is set through a one-time link (invitation or reset) that expires.
alter table users add column disabled_at timestamptz;

create table password_links (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  token_hash text not null unique,
  purpose text not null check (purpose in ('invite', 'reset')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index password_links_user_idx on password_links (user_id);
