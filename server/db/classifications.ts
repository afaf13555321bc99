import { CompiledQuery, sql } from 'kysely';
import type { DB } from './index.ts';
import type { Classification } from '../../workers/classify/types.ts';
import { storedActions, type Action } from '../../workers/policy/types.ts';
import { prepared } from './prepared.ts';
import { setSearchText } from './searchText.ts';

// Stored labels, one row per mention and classifier version, and what re-classification reads:
// each mention's text, media and source kind, its board's rules, and its schools' fact sheets.

// `replace` re-labels a mention whose inputs changed under the same version; otherwise a row that
// is there stays (idempotent). `searchText` is the mention's text masked with these labels: it is
// written only when they were stored, so the search never follows labels that are not there.
export async function saveClassification(
  db: Pick<DB, 'insertInto' | 'updateTable'>,
  mentionId: string,
  classifier: string,
  labels: Classification,
  opts: { replace?: boolean; searchText: string },
) {
  const values = labelColumns(labels);
  const saved = await db
    .insertInto('classifications')
    .values({ mention_id: mentionId, classifier, ...values })
    .onConflict((oc) =>
      opts.replace
        ? oc.columns(['mention_id', 'classifier']).doUpdateSet(values)
        : oc.columns(['mention_id', 'classifier']).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (saved) await setSearchText(db, mentionId, opts.searchText, classifier);
}

const labelColumns = (labels: Classification) => ({
  language: labels.language,
  sentiment: labels.sentiment.label,
  sentiment_score: labels.sentiment.score,
  sentiment_evidence: JSON.stringify(labels.sentiment.evidence ?? []),
  risks: JSON.stringify(labels.risks),
  actions: JSON.stringify(storedActions(labels.actions as Action[])),
  masks: labels.masks ? JSON.stringify(labels.masks) : null,
});

// The labels of mentions stored in this transaction, one statement (their search text was written
// with the mention: a new mention has no labels that could win over these).
// The rows go as one JSON document, so the statement's text is the same for every batch and stays
// prepared: as a list of values it had nine parameters a row (1,800 for a batch of 200), each written
// and read on its own.
// Their shown labels were written with them (newMentionShown in workers/classifications.ts), so the
// statement tells the labels' trigger (sql/0027) to leave them: it would work them out again and find
// nothing to change (sql/0053).
const INSERT_MANY = `
  with given as materialized (select set_config('klankbord.shown_given', statement_timestamp()::text, true))
  insert into classifications
    (mention_id, classifier, language, sentiment, sentiment_score, sentiment_evidence, risks, actions, masks)
  select mention_id, classifier, language, sentiment, sentiment_score, sentiment_evidence, risks, actions, masks
  from jsonb_populate_recordset(null::classifications, $1::jsonb), given
  on conflict (mention_id, classifier) do nothing`;
export async function insertNewMentionClassifications(
  db: Pick<DB, 'executeQuery'>,
  classifier: string,
  rows: { mentionId: string; labels: Classification }[],
) {
  if (!rows.length) return;
  const input = rows.map(({ mentionId, labels }) => ({
    mention_id: mentionId,
    classifier,
    language: labels.language,
    sentiment: labels.sentiment.label,
    // JSON has no NaN or Infinity; as text PostgreSQL reads them as before
    sentiment_score: Number.isFinite(labels.sentiment.score) ? labels.sentiment.score : String(labels.sentiment.score),
    sentiment_evidence: labels.sentiment.evidence ?? [],
    risks: labels.risks,
    actions: storedActions(labels.actions as Action[]),
    masks: labels.masks ?? null,
  }));
  await db.executeQuery(prepared(CompiledQuery.raw(INSERT_MANY, [JSON.stringify(input)])));
}

const mentionInputs = (db: Pick<DB, 'selectFrom'>) =>
  db
    .selectFrom('mentions as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .innerJoin('boards as b', 'b.id', 'm.board_id')
    .select([
      'm.id',
      'm.board_id',
      'm.title',
      'm.body',
      'm.media',
      'm.created_at',
      's.kind',
      'b.policy',
      'b.policy_version',
    ]);

export async function mentionInputsByIds(db: DB, ids: string[]) {
  return mentionInputs(db).where('m.id', 'in', ids).execute();
}

// The newest `limit` mentions without a row by `classifier`, locked for the caller's transaction
// with SKIP LOCKED so any number of workers can label at once without taking the same mention.
export async function lockUnclassified(trx: DB, classifier: string, limit: number) {
  return mentionInputs(trx)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('classifications as c')
            .select(sql`1`.as('one'))
            .whereRef('c.mention_id', '=', 'm.id')
            .where('c.classifier', '=', classifier),
        ),
      ),
    )
    .orderBy('m.id', 'desc')
    .limit(limit)
    .forUpdate('m')
    .skipLocked()
    .execute();
}

export async function countUnclassified(db: DB, classifier: string): Promise<number> {
  const r = await db
    .selectFrom('mentions as m')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('classifications as c')
            .select(sql`1`.as('one'))
            .whereRef('c.mention_id', '=', 'm.id')
            .where('c.classifier', '=', classifier),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// The fact sheets of every school each mention is linked to, per mention.
export async function factsPerMention(db: Pick<DB, 'selectFrom'>, ids: string[]): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('mention_schools as ms')
    .innerJoin('schools as s', 's.id', 'ms.school_id')
    .select(['ms.mention_id', 's.facts'])
    .where('ms.mention_id', 'in', ids)
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.mention_id, [...(out.get(r.mention_id) ?? []), ...r.facts]);
  return out;
}
