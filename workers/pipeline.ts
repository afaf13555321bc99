import type { DB } from '../server/db/index.ts';
import type { Source } from '../server/db/schema.ts';
import { classify, CLASSIFIER } from './classify/index.ts';
import { collectorFor } from './collectors/registry.ts';
import type { CollectContext, CollectedItem, CollectResult } from './collectors/types.ts';
import { compileMatcher } from './match/matchV1.ts';
import { foldText } from './normalise.ts';

export type PipelineResult = { collected: number; matched: number; inserted: number; result: CollectResult };

// Items that match no school are not stored at all (privacy by design: we keep only what is about
// a school). Re-running a collection inserts nothing twice: (source_id, external_id) is unique.
export async function processItems(db: DB, source: Pick<Source, 'id' | 'board_id' | 'school_id'>, items: CollectedItem[], now = new Date()) {
  let schoolsQuery = db.selectFrom('schools').select(['id', 'name', 'aliases']).where('board_id', '=', source.board_id);
  if (source.school_id) schoolsQuery = schoolsQuery.where('id', '=', source.school_id);
  const match = compileMatcher(await schoolsQuery.execute());
  let matched = 0;
  let inserted = 0;
  for (const item of items) {
    const full = item.title && item.text ? `${item.title}\n\n${item.text}` : item.title || item.text;
    const schools = match(full);
    if (!schools.length) continue;
    matched++;
    const labels = classify(full);
    const published = item.publishedAt && item.publishedAt.getTime() <= now.getTime() + 86_400_000 ? item.publishedAt : now;
    const isNew = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('mentions')
        .values({
          board_id: source.board_id,
          source_id: source.id,
          external_id: item.externalId.slice(0, 1000),
          url: item.url,
          title: item.title,
          body: item.text,
          author: item.author,
          published_at: published,
          search_text: foldText(full),
        })
        .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await trx.insertInto('mention_schools').values(schools.map((s) => ({ mention_id: row.id, school_id: s.schoolId, matched: s.matched }))).execute();
      await trx
        .insertInto('classifications')
        .values({
          mention_id: row.id,
          classifier: CLASSIFIER,
          language: labels.language,
          sentiment: labels.sentiment.label,
          sentiment_score: labels.sentiment.score,
          risks: JSON.stringify(labels.risks),
          actions: JSON.stringify(labels.actions),
        })
        .execute();
      return true;
    });
    if (isNew) inserted++;
  }
  return { matched, inserted };
}

export async function runSource(db: DB, source: Source, ctx: CollectContext): Promise<PipelineResult> {
  const collector = collectorFor(source.kind);
  const result = await collector.collect(
    { id: source.id, kind: source.kind, url: source.url, settings: source.settings, etag: source.etag, lastModified: source.last_modified, state: source.state },
    ctx,
  );
  const { matched, inserted } = await processItems(db, source, result.items);
  return { collected: result.items.length, matched, inserted, result };
}
