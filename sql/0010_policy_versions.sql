-- A board's own version of its protocol (issue 6): it picks one of the five presets and may adjust
-- the rules' articles, roles, due days and guidance texts, or switch a rule off. Every change is a new
-- immutable version (who, when, why, what changed); nothing is overwritten, so any prompt can be traced
-- to the exact rules it came from. A board with no version uses its preset file as shipped.
create table policy_versions (
  board_id bigint not null references boards (id) on delete cascade,
  version int not null check (version > 0),
  preset_id text not null,
  -- the whole effective preset (workers/policy/presets.ts schema), as the engine reads it
  preset jsonb not null,
  note text not null,
  changes jsonb not null default '[]',
  created_by bigint references users (id) on delete set null,
  created_by_name text not null,
  created_at timestamptz not null default now(),
  primary key (board_id, version)
);
create index policy_versions_created_by_idx on policy_versions (created_by);

alter table boards add column policy_version int;
-- which version of the rules made a case's checklist (null: the preset file as shipped)
alter table cases add column policy_version int;
