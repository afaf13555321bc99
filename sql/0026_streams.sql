-- Long-lived streams that one worker of the whole deployment holds at a time (issue 18: Bluesky's
-- Jetstream). The row is the lease: a worker takes it with a conditional update when it is free or
-- expired, renews it while connected, and keeps the stream's cursor in it.
create table streams (
  name text primary key,
  lease_owner text,
  lease_until timestamptz,
  -- why: Jetstream's cursor is a time in microseconds since 1970 (time_us), too large for integer.
  cursor_us bigint,
  connected_at timestamptz,
  updated_at timestamptz not null default now()
);
