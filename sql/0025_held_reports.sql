-- Issue 17: when a school gets unusually many meldpunt reports in an hour, the reports past the cap
-- are kept but held back: no case, no alert mail, no spike, and staff see them marked as held. Losing
-- a real report (or blaming its sender) is worse than storing a flood.
alter table reports add column held boolean not null default false;
