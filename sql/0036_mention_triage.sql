-- Issue 20: what the board's team did with a post, so the inbox opens on what is not handled yet.
-- No row: new. 'seen': someone opened it. 'handled': done (who and when). 'irrelevant': not about the
-- school after all — it leaves the inbox and every count (its school links are switched off, those
-- are listed here so "undo" switches exactly them back on) and stays for the query preview.
create table mention_triage (
  mention_id bigint primary key references mentions (id) on delete cascade,
  board_id bigint not null references boards (id) on delete cascade,
  state text not null check (state in ('seen', 'handled', 'irrelevant')),
  user_id bigint references users (id) on delete set null,
  actor text not null,
  at timestamptz not null,
  inactive_schools bigint[] not null default '{}'
);
create index mention_triage_board_state_idx on mention_triage (board_id, state);
create index mention_triage_user_id_idx on mention_triage (user_id);
