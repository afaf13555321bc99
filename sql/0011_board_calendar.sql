-- The board's holiday schedule (issue 6). The Netherlands advises school holidays per region (noord,
-- midden, zuid); a board enters the dates it follows once, for all its schools or for the schools of
-- one region, instead of each school typing them in. A school's own calendar adds to it (study days,
-- test and report weeks, events). The spike prompt leaves holidays out of a school's baseline.
alter table schools add column region text check (region in ('noord', 'midden', 'zuid'));

create table board_calendar (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  -- null: every school of the board; otherwise the schools of that region
  region text check (region in ('noord', 'midden', 'zuid')),
  kind text not null check (kind in ('vakantie', 'toetsweek', 'rapportweek', 'evenement')),
  label text not null,
  starts_on date not null,
  ends_on date not null,
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index board_calendar_board_idx on board_calendar (board_id, starts_on);
