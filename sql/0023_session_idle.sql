-- Issue 17: a session also ends after a while without use (server/auth/sessions.ts); its last use is
-- written at most every few minutes. Sessions from before have none and count from their start.
alter table sessions add column last_seen_at timestamptz;
