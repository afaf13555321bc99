create table boards (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null,
  policy text not null default 'edu-ley',
  -- why: the demo board gets its feed server restarted on every `start`; real boards never do.
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);

create table schools (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null,
  aliases text[] not null default '{}',
  query text,
  facts text[] not null default '{}',
  created_at timestamptz not null default now(),
  unique (board_id, slug)
);
create index schools_board_id_idx on schools (board_id);

create table users (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  email text not null unique check (email = lower(email)),
  name text not null default '',
  role text not null check (role in ('communicatie', 'directie', 'privacy', 'beheer')),
  password_hash text not null,
  -- why: true means the whole board; otherwise the user sees only the schools in user_schools.
  all_schools boolean not null default true,
  created_at timestamptz not null default now()
);
create index users_board_id_idx on users (board_id);

create table user_schools (
  user_id bigint not null references users (id) on delete cascade,
  school_id bigint not null references schools (id) on delete cascade,
  primary key (user_id, school_id)
);
create index user_schools_school_id_idx on user_schools (school_id);

create table sessions (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sessions_user_id_idx on sessions (user_id);

create table sources (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  -- why: null = board-wide source, matched against every school of the board.
  school_id bigint references schools (id) on delete cascade,
  kind text not null,
  name text not null,
  url text,
  settings jsonb not null default '{}',
  enabled boolean not null default true,
  interval_seconds integer not null default 900 check (interval_seconds >= 60),
  next_check_at timestamptz not null default now(),
  lease_owner text,
  lease_until timestamptz,
  error_count integer not null default 0,
  last_error text,
  last_checked_at timestamptz,
  last_success_at timestamptz,
  etag text,
  last_modified text,
  state jsonb not null default '{}',
  created_at timestamptz not null default now(),
  unique (board_id, kind, url)
);
create index sources_board_id_idx on sources (board_id);
create index sources_school_id_idx on sources (school_id);
create index sources_due_idx on sources (next_check_at) where enabled;

create table mentions (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  source_id bigint not null references sources (id) on delete cascade,
  external_id text not null,
  url text,
  title text not null default '',
  body text not null default '',
  author text,
  published_at timestamptz not null,
  -- why: lower-cased, accent-free copy of title + body so search does not depend on the server's locale.
  search_text text not null default '',
  created_at timestamptz not null default now(),
  unique (source_id, external_id)
);
create index mentions_board_published_idx on mentions (board_id, published_at desc, id desc);

create table mention_schools (
  mention_id bigint not null references mentions (id) on delete cascade,
  school_id bigint not null references schools (id) on delete cascade,
  matched text[] not null default '{}',
  primary key (mention_id, school_id)
);
create index mention_schools_school_id_idx on mention_schools (school_id, mention_id);

create table classifications (
  id bigint generated always as identity primary key,
  mention_id bigint not null references mentions (id) on delete cascade,
  classifier text not null,
  language text not null,
  sentiment text not null check (sentiment in ('positive', 'neutral', 'negative')),
  sentiment_score real not null,
  risks jsonb not null default '[]',
  actions jsonb not null default '[]',
  created_at timestamptz not null default now(),
  unique (mention_id, classifier)
);
create index classifications_mention_id_idx on classifications (mention_id);

-- why: no foreign keys, so that removing a user or board never rewrites or blocks its history.
create table audit_log (
  id bigint generated always as identity primary key,
  board_id bigint,
  user_id bigint,
  actor text not null,
  action text not null,
  target_type text,
  target_id text,
  ip text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_board_idx on audit_log (board_id, created_at desc);
create index audit_log_login_failed_idx on audit_log (action, actor, created_at) where action = 'login.failed';
create index audit_log_login_failed_ip_idx on audit_log (action, ip, created_at) where action = 'login.failed';

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
