-- Issue 18: a search's index scan rechecks each candidate row, and the full-text half of that check
-- computed to_tsvector() of the row's text every time (a common term cost ~50 ms at 1M mentions).
-- The vector is now kept on the row, written once when the search text changes.
alter table mentions
  add column search_tsv tsvector generated always as (to_tsvector('dutch'::regconfig, coalesce(search_text, ''))) stored;
create index mentions_search_tsv_idx on mentions using gin (search_tsv);
drop index if exists mentions_search_fts_idx;
