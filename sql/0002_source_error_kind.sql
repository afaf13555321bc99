-- why: a 404, a refused address or an unreadable feed will not fix itself; such sources are
-- retried rarely and shown as unhealthy, unlike a 503 or a timeout.
alter table sources add column error_permanent boolean not null default false;
