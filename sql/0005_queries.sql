-- The query language (issue 4).
-- why: a board-wide exclusion list ("Meander Medisch Centrum" OR MMC) applies to every school.
alter table boards add column exclusions text;
-- why: the generated default query uses the school's place ("De Meander" near "Amersfoort").
alter table schools add column place text;
-- why: explain why a post matched (clauses as written, character spans), and let an edited query
-- take a mention out of the inbox without destroying it (an edit can be undone until retention).
alter table mention_schools
  add column spans jsonb not null default '[]',
  add column active boolean not null default true;
create index mention_schools_active_idx on mention_schools (school_id, mention_id) where active;

-- why: items no school matched are kept only for a short window (72 hours), so that editing a
-- query can show what it would newly match, and saving it can take them in. Then deleted.
create table preview_items (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  source_id bigint not null references sources (id) on delete cascade,
  external_id text not null,
  item jsonb not null,
  search_text text not null default '',
  created_at timestamptz not null default now(),
  unique (source_id, external_id)
);
create index preview_items_board_created_idx on preview_items (board_id, created_at desc);
