-- Issue 15: every sentence of a prompt's guidance carries its basis (protocol article, law, or
-- Klankbord's advice). A case keeps the parts it got; older actions have none and show their text.
alter table case_actions add column parts jsonb not null default '[]';
