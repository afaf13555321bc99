-- Issue 17: beheer archives a school in the dashboard (a soft delete). An archived school matches no new
-- posts and leaves every list, filter and user scope, but keeps its posts, cases and reports; it can be
-- restored for 30 days, after which the retention job removes it with its posts (never while an open
-- case needs them).
alter table schools add column archived_at timestamptz;
-- why: who archived it stays on the row (the audit log says it too) so the card can name them.
alter table schools add column archived_by bigint references users (id) on delete set null;
create index schools_archived_by_idx on schools (archived_by);
-- why: the retention job looks for schools archived long ago; almost none are, so a partial index.
create index schools_archived_at_idx on schools (archived_at) where archived_at is not null;
