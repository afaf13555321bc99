-- E-mail (issue 6): urgent cases alert the responsible people at once, everything else arrives in
-- a daily digest. The board sets its own SMTP server; without one nothing is queued.
create table mail_settings (
  board_id bigint primary key references boards (id) on delete cascade,
  host text not null,
  port integer not null check (port between 1 and 65535),
  -- 'tls': TLS from the start (port 465); 'starttls': upgrade required; 'none': only on a trusted network
  security text not null default 'starttls' check (security in ('tls', 'starttls', 'none')),
  username text,
  password text,
  from_address text not null,
  -- the dashboard's address as recipients reach it; mails link to cases there
  dashboard_url text not null,
  digest_hour integer not null default 7 check (digest_hour between 0 and 23),
  -- why: the worker that moves this date claims the day's digest; no other worker sends it again
  last_digest_on date,
  updated_at timestamptz not null default now()
);

-- The outbox: written in the same transaction as what it reports, sent by any worker (SKIP LOCKED).
-- Mails carry no personal data from mentions: a link into the dashboard instead.
create table notifications (
  id bigint generated always as identity primary key,
  board_id bigint not null references boards (id) on delete cascade,
  case_id bigint references cases (id) on delete set null,
  kind text not null check (kind in ('alert', 'digest', 'test')),
  recipients text[] not null,
  subject text not null,
  body text not null,
  state text not null default 'pending' check (state in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  send_after timestamptz not null default now(),
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_pending_idx on notifications (send_after) where state = 'pending';
create index notifications_board_id_idx on notifications (board_id, created_at desc);
create index notifications_case_id_idx on notifications (case_id);
