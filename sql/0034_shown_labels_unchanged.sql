-- Issue 18: the pipeline stores a new mention with its labels as shown already (its first
-- classification, no corrections), so the statement trigger of sql/0027 has nothing to change.
-- why: an UPDATE that writes the same values still writes a new row version and a new entry in every
-- index of mentions (the GIN indexes of the search text among them); rows already right are skipped.
create or replace function refresh_shown_labels(ids bigint[]) returns void language sql as $$
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
    and (m.shown_sentiment, m.shown_risks, m.corrected)
      is distinct from (coalesce(x.corr_sentiment, x.sentiment), x.risks, x.corrected)
$$;
