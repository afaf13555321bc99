-- Issue 18: the open cases (the "Acties" board's first view) are listed by due date, the most serious
-- prompt first on the same date, 200 at a time. The board's index by (state, due_at) gives due-date order
-- per state only, so every open case of the board was read, its seriousness worked out and all sorted:
-- ~15 ms with 1,910 open cases (the 10M-post bench), ~2 ms at 191. In due-date order across both open
-- states the list walks the soonest due ones, sorts only those of one date by seriousness, and stops.
create index cases_board_open_due_idx on cases (board_id, due_at) where state in ('nieuw', 'in_behandeling');
