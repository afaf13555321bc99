-- Issue 17: deleting a source is undoable for 30 days. A deleted source collects nothing and keeps its
-- posts; after 30 days the retention job removes it with its posts (never those an open case needs).
alter table sources add column deleted_at timestamptz;
