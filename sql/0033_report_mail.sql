-- The monthly report by e-mail (issue 19): users opt in on their account page; in the first days of
-- a month a worker queues last month's report, over the schools the user sees, with the PDF attached.
alter table users add column monthly_report boolean not null default false;
-- why: the worker that moves this month claims the user's report; no other worker queues it again
alter table users add column last_report_month date;
create index users_monthly_report_idx on users (board_id) where monthly_report;

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check
  check (kind in ('alert', 'digest', 'test', 'report'));
-- One attachment at most (the report's PDF): counts, themes and points only, never a post. It is
-- dropped once the mail is sent, so the outbox does not keep a copy of every report.
alter table notifications add column attachment_name text;
alter table notifications add column attachment bytea;
alter table notifications add constraint notifications_attachment_check
  check ((attachment_name is null) = (attachment is null));
