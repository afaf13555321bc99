-- Keep what each platform offers (issue 3), and where a mention came from.
alter table mentions
  add column author_handle text,
  add column media jsonb not null default '[]',
  add column reply_to text,
  add column thread_id text,
  add column engagement jsonb not null default '{}',
  add column origin text not null default 'collected' check (origin in ('collected', 'reported', 'manual')),
  -- why: the same story reaches us through several sources (a news site, Google News, a repost);
  -- the first mention is the story, later ones point at it and are counted once.
  add column story_key text,
  add column story_id bigint references mentions (id) on delete set null;
create index mentions_story_key_idx on mentions (board_id, story_key) where story_key is not null;
create index mentions_story_id_idx on mentions (story_id) where story_id is not null;
create index mentions_source_created_idx on mentions (source_id, created_at desc);

-- why: what a parent adds to a meldpunt report beyond the post itself. Contact details are personal
-- data given by choice: kept apart from the text, shown only on the mention, deleted with it.
create table reports (
  mention_id bigint primary key references mentions (id) on delete cascade,
  school_id bigint not null references schools (id) on delete cascade,
  contact text,
  screenshot_description text,
  created_at timestamptz not null default now()
);

-- why: the meldpunt is public; its rate limit needs a count per address, but not the address
-- itself and not for long. Keys are salted hashes; rows older than a day are deleted.
create table report_throttle (
  key text not null,
  at timestamptz not null default now()
);
create index report_throttle_key_idx on report_throttle (key, at);

-- why: an API key's daily quota (YouTube Data API) is shared by every source that uses the key,
-- across all worker processes, so it is counted here and not in one source's state.
create table api_quota (
  key_hash text not null,
  day date not null,
  units integer not null default 0,
  primary key (key_hash, day)
);

-- why: sources are checked more often while active and less while idle, within bounds around the
-- interval the school set; null means "the set interval".
alter table sources add column current_interval_seconds integer;
create index mentions_board_url_idx on mentions (board_id, url) where url is not null;
