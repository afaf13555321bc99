-- Issue 18: the inbox search also finds Dutch word forms ("invallers" finds "invaller") and quoted
-- phrases in order, through full-text search on the masked search text, next to the trigram index
-- for substrings and handles (sql/0027). The expression must match server/db/mentions.ts exactly.
create index mentions_search_fts_idx on mentions using gin (to_tsvector('dutch'::regconfig, coalesce(search_text, '')));
