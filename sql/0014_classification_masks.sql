-- Issue 16: what the read path masks is found at ingest, not on every read. `masks` holds every span
-- of the title and text that looks like personal data ([{field, start, end, subtype}]); null for rows
-- classified before this column existed (readers then look for it themselves).
alter table classifications add column masks jsonb;
