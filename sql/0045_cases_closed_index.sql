-- Issue 18: the closed cases ("Afgerond") are listed newest closed first, 200 at a time. Without an index
-- in that order every closed case of the board was read and sorted (9,809 cases with a 1M-post year of
-- the bench: ~30 ms, and closed cases only grow); now the list walks the newest closed ones and stops.
create index cases_board_closed_idx on cases (board_id, closed_at desc, id desc)
  where state in ('afgerond', 'geen_actie');
