-- why: some sources succeed but still need attention (a Mastodon tag timeline that may be locked);
-- that is not an error, so it gets its own column for the source's health.
alter table sources add column notice text;
