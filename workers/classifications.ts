import { sql } from 'kysely';
import type { DB } from '../server/db/index.ts';
import { classify, CLASSIFIER } from './classify/index.ts';
import type { Classification } from './classify/types.ts';

// The text a mention is classified as: title and body joined, so evidence offsets point into it.
// Readers map an offset back to the title or the body with `fieldOffset`.
export const classifiedText = (title: string, body: string) => (title && body ? `${title}\n\n${body}` : title || body);

export function fieldOffset(title: string, body: string, start: number, end: number): { field: 'title' | 'text'; start: number; end: number } | undefined {
  if (!title) return end <= body.length ? { field: 'text', start, end } : undefined;
  if (end <= title.length) return { field: 'title', start, end };
  const from = title.length + 2;
  if (body && start >= from && end - from <= body.length) return { field: 'text', start: start - from, end: end - from };
  return undefined;
}

type Conn = Pick<DB, 'insertInto'>;

// Idempotent: one row per mention and classifier version. `replace` re-labels a mention whose
// inputs changed under the same version (its school's fact sheet was edited).
export async function storeClassification(db: Conn, mentionId: string, labels: Classification, opts: { replace?: boolean } = {}) {
  const values = {
    language: labels.language,
    sentiment: labels.sentiment.label,
    sentiment_score: labels.sentiment.score,
    sentiment_evidence: JSON.stringify(labels.sentiment.evidence ?? []),
    risks: JSON.stringify(labels.risks),
    actions: JSON.stringify(labels.actions),
  };
  await db
    .insertInto('classifications')
    .values({ mention_id: mentionId, classifier: CLASSIFIER, ...values })
    .onConflict((oc) => (opts.replace ? oc.columns(['mention_id', 'classifier']).doUpdateSet(values) : oc.columns(['mention_id', 'classifier']).doNothing()))
    .execute();
}

// Classify the given mentions again with their schools' current fact sheets.
export async function reclassifyMentions(db: DB, ids: string[]): Promise<number> {
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids.slice(i, i + 200);
    const rows = await db.selectFrom('mentions').select(['id', 'title', 'body']).where('id', 'in', batch).execute();
    const facts = await factsOf(db, batch);
    for (const r of rows) await storeClassification(db, r.id, classify(classifiedText(r.title, r.body), { facts: facts.get(r.id) ?? [] }), { replace: true });
  }
  return ids.length;
}

async function factsOf(db: Pick<DB, 'selectFrom'>, ids: string[]) {
  const rows = await db.selectFrom('mention_schools as ms').innerJoin('schools as s', 's.id', 'ms.school_id').select(['ms.mention_id', 's.facts']).where('ms.mention_id', 'in', ids).execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.mention_id, [...(out.get(r.mention_id) ?? []), ...r.facts]);
  return out;
}

// Re-classifies stored mentions that have no classification by the current version, newest
// first, a batch at a time. Any number of workers can run this at once: each locks its batch of
// mentions with SKIP LOCKED, and a row per (mention, version) is inserted at most once.
export async function reclassifyBatch(db: DB, limit = 200): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('mentions as m')
      .select(['m.id', 'm.title', 'm.body'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('classifications as c').select(sql`1`.as('one')).whereRef('c.mention_id', '=', 'm.id').where('c.classifier', '=', CLASSIFIER))))
      .orderBy('m.id', 'desc')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (!rows.length) return 0;
    const facts = await factsOf(trx, rows.map((r) => r.id));
    for (const r of rows) await storeClassification(trx, r.id, classify(classifiedText(r.title, r.body), { facts: facts.get(r.id) ?? [] }));
    return rows.length;
  });
}

export async function unclassifiedCount(db: DB): Promise<number> {
  const r = await db
    .selectFrom('mentions as m')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('classifications as c').select(sql`1`.as('one')).whereRef('c.mention_id', '=', 'm.id').where('c.classifier', '=', CLASSIFIER))))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
