-- Cases (issue 6): what the board's protocol asks staff to do about a discussion, tracked to its end.
-- A case is one discussion at one school: related mentions (same thread or story, or the same topic
-- in a short window) share it, so a discussion gets one prompt and not one per post.
create table cases (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  school_id bigint not null references schools (id) on delete cascade,
  -- why: good news (share, thank) and concerns are separate discussions even when they share words.
  kind text not null check (kind in ('concern', 'good_news')),
  state text not null default 'nieuw' check (state in ('nieuw', 'in_behandeling', 'afgerond', 'geen_actie')),
  severity text not null check (severity in ('low', 'medium', 'high')),
  policy text not null,
  assignee_id bigint references users (id) on delete set null,
  due_at timestamptz not null,
  outcome_kind text check (outcome_kind in ('gesprek_gevoerd', 'verbeterpunt_opgepakt', 'gecorrigeerd', 'gedeeld', 'doorverwezen', 'geen_actie_nodig')),
  outcome text,
  -- why: how later mentions find this discussion: folded topic words, thread/story keys.
  topic_words text[] not null default '{}',
  thread_keys text[] not null default '{}',
  last_mention_at timestamptz not null,
  -- A personal data leak that came from the school itself may be a data breach: the Autoriteit
  -- Persoonsgegevens must hear of it within 72 hours of its discovery.
  breach_status text check (breach_status in ('mogelijk', 'gemeld', 'geen_datalek')),
  breach_reported_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  check ((state in ('afgerond', 'geen_actie')) = (closed_at is not null))
);
create index cases_board_state_due_idx on cases (board_id, state, due_at);
create index cases_school_open_idx on cases (school_id, kind, last_mention_at desc) where state in ('nieuw', 'in_behandeling');
create index cases_assignee_id_idx on cases (assignee_id);

create table case_mentions (
  case_id bigint not null references cases (id) on delete cascade,
  mention_id bigint not null references mentions (id) on delete cascade,
  added_at timestamptz not null default now(),
  primary key (case_id, mention_id)
);
create index case_mentions_mention_id_idx on case_mentions (mention_id);

-- The protocol's prompts for the case, one per action type: the escalation checklist.
create table case_actions (
  id bigint generated always as identity primary key,
  case_id bigint not null references cases (id) on delete cascade,
  type text not null,
  article text not null,
  basis text not null,
  rule text not null,
  roles text[] not null,
  guidance text not null,
  points jsonb not null default '[]',
  facts jsonb not null default '[]',
  due_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'gedaan', 'niet_nodig')),
  done_by text,
  done_at timestamptz,
  unique (case_id, type)
);

-- The case's own history (what was seen, decided and done, by whom): the dossier record. Every
-- change is in the audit log as well.
create table case_events (
  id bigint generated always as identity primary key,
  case_id bigint not null references cases (id) on delete cascade,
  user_id bigint references users (id) on delete set null,
  actor text not null,
  kind text not null,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index case_events_case_id_idx on case_events (case_id, id);
create index case_events_user_id_idx on case_events (user_id);

-- The one allowed online response: a factual correction, drafted here, decided by the directie,
-- posted by a person. Never posted by Klankbord.
create table correction_drafts (
  id bigint generated always as identity primary key,
  case_id bigint not null unique references cases (id) on delete cascade,
  mention_id bigint references mentions (id) on delete set null,
  text text not null,
  state text not null default 'concept' check (state in ('concept', 'goedgekeurd', 'afgewezen', 'geplaatst')),
  drafted_by text not null,
  decided_by text,
  decided_at timestamptz,
  reason text,
  posted_by text,
  posted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index correction_drafts_mention_id_idx on correction_drafts (mention_id);

-- People per role at a school, so a prompt names who to talk to and alerts reach a person.
create table school_contacts (
  id bigint generated always as identity primary key,
  school_id bigint not null references schools (id) on delete cascade,
  role text not null check (role in ('communicatie', 'directie', 'leidinggevende', 'teamleider', 'mentor', 'anti_pest', 'vertrouwenspersoon', 'privacy', 'bestuur')),
  name text not null,
  email text,
  phone text,
  created_at timestamptz not null default now()
);
create index school_contacts_school_id_idx on school_contacts (school_id, role);

-- What goes well and what could be better, from discussions and their outcomes: the director's report.
create table school_points (
  id bigint generated always as identity primary key,
  school_id bigint not null references schools (id) on delete cascade,
  case_id bigint references cases (id) on delete set null,
  kind text not null check (kind in ('sterk', 'verbeter')),
  text text not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
create index school_points_school_id_idx on school_points (school_id, created_at desc);
create index school_points_case_id_idx on school_points (case_id);
