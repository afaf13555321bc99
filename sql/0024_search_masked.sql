-- Security finding: the inbox search matched the unmasked title and text, so a search could read a
-- post's hidden phone number digit by digit. `search_text` now holds the title and text as the lists
-- show them (personal data masked, one • per hidden character, so words across a mask do not join),
-- folded like the search words; `search_masked_by` is the classifier version whose personal-data
-- detector masked it. The search matches only rows masked by the running version: null (not masked
-- yet) is never searched, so there is no fallback to the raw text.
-- why: the raw copy is dropped, not backfilled in SQL. What the lists mask is not only the stored spans:
-- it is maskValue's keep-rules (initials, a phone's first and last digits), the labels' personal-data
-- evidence, allPersonalData for rows whose masks predate the running classifier, and foldText's NFKD
-- folding — all JavaScript, with offsets in UTF-16 code units where PostgreSQL counts characters (an
-- emoji before a name shifts every span). A plpgsql copy would be a second masker to keep in step, and
-- one wrong offset leaks. The 'search-text' job (workers/jobs.ts) masks the rows in batches with the
-- lists' own code; until it has reached a row, the row is listed but not found by a search.
alter table mentions drop column search_text;
alter table mentions add column search_text text, add column search_masked_by text;
-- why: the job takes the rows still to mask; once it has caught up this index is empty, so an idle
-- worker costs next to nothing. A classifier bump is caught up by re-classification, which writes it.
create index mentions_search_unmasked_idx on mentions (id) where search_masked_by is null;
