-- Issue 18: the inbox's filters read the labels as shown (the latest classification with staff
-- corrections on top) from the mention row itself, so each filter walks one ordered index and stops
-- at the page's end instead of joining every classification of the board.
alter table mentions
  add column shown_sentiment text,
  add column shown_risks text[] not null default '{}',
  add column corrected boolean not null default false;

-- why: kept current by the database itself, whatever writes a classification or a correction (the
-- pipeline, re-classification, a correction, a bulk load); a statement trigger does it once per batch.
create function refresh_shown_labels(ids bigint[]) returns void language sql as $$
  update mentions m set
    shown_sentiment = coalesce(x.corr_sentiment, x.sentiment),
    shown_risks = x.risks,
    corrected = x.corrected
  from (
    select mid,
      (select c.sentiment from classifications c where c.mention_id = mid order by c.id desc limit 1) as sentiment,
      (select lc.value from label_corrections lc where lc.mention_id = mid and lc.field = 'sentiment'
        order by lc.id desc limit 1) as corr_sentiment,
      exists (select 1 from label_corrections lc where lc.mention_id = mid) as corrected,
      coalesce((
        select array_agg(distinct t order by t) from (
          select r ->> 'type' as t
          from (select c.risks from classifications c where c.mention_id = mid order by c.id desc limit 1) c,
            jsonb_array_elements(c.risks) r
          union
          select lc.field from label_corrections lc where lc.mention_id = mid and lc.field <> 'sentiment'
        ) shown
        where coalesce((select lc.value from label_corrections lc where lc.mention_id = mid and lc.field = shown.t
          order by lc.id desc limit 1), 'present') = 'present'
      ), '{}') as risks
    from unnest(ids) as mid
  ) x
  where m.id = x.mid
$$;

create function shown_labels_changed() returns trigger language plpgsql as $$
begin
  perform refresh_shown_labels(array(select distinct mention_id from changed));
  return null;
end $$;

create trigger classifications_shown_insert after insert on classifications
  referencing new table as changed for each statement execute function shown_labels_changed();
create trigger classifications_shown_update after update on classifications
  referencing new table as changed for each statement execute function shown_labels_changed();
create trigger label_corrections_shown_insert after insert on label_corrections
  referencing new table as changed for each statement execute function shown_labels_changed();

-- existing rows, once
select refresh_shown_labels(array(select id from mentions));

-- The inbox: a story once (under its first mention), newest first; one partial index per filter.
create index mentions_inbox_idx on mentions (board_id, published_at desc, id desc) where story_id is null;
create index mentions_inbox_sentiment_idx on mentions (board_id, shown_sentiment, published_at desc, id desc)
  where story_id is null;
create index mentions_inbox_corrected_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and corrected;
create index mentions_inbox_threat_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and shown_risks @> '{threat}';
create index mentions_inbox_discrimination_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and shown_risks @> '{discrimination}';
create index mentions_inbox_sexual_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and shown_risks @> '{sexual}';
create index mentions_inbox_shaming_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and shown_risks @> '{shaming}';
create index mentions_inbox_personal_data_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and shown_risks @> '{personal_data}';
create index mentions_inbox_inaccuracy_idx on mentions (board_id, published_at desc, id desc)
  where story_id is null and shown_risks @> '{inaccuracy}';
-- a mention's schools, for the "is it one of the viewer's schools" probe per row
create index mention_schools_mention_active_idx on mention_schools (mention_id, school_id) where active;

-- Substrings and handles in the (masked) search text, indexed.
create extension if not exists pg_trgm;
create index mentions_search_trgm_idx on mentions using gin (search_text gin_trgm_ops);
