import { inTransaction, type DB } from '../server/db/index.ts';
import {
  countUnclassified,
  factsPerMention,
  insertNewMentionClassifications,
  lockUnclassified,
  mentionInputsByIds,
  saveClassification,
} from '../server/db/classifications.ts';
import { lockUnmaskedSearch, setSearchText } from '../server/db/searchText.ts';
import { CLASSIFIER } from './classify/index.ts';
import { classifiedText, fieldOffset, type Labelling } from './labelling.ts';
import { labelMentions } from './labelThreads.ts';
import { allPersonalData, maskText } from './classify/personalData.ts';
import type { Classification, MaskSpan, Risk } from './classify/types.ts';
import { foldText } from './normalise.ts';
import type { MediaItem } from '../server/db/schema.ts';
import { policyPreset } from '../server/db/policy.ts';
import type { Preset } from './policy/types.ts';

export type MaskInput = { title: string; body: string; masks: MaskSpan[] | null; classifier: string | null };

// The spans found at ingest as the personal-data "risks" maskText takes; rows classified before they
// were stored are searched here instead.
// Spans stored by an older classifier version are not trusted: a better detector (a CLASSIFIER bump,
// see workers/classify/index.ts) protects every stored post at once, as reading it again did.
function storedMasks(r: MaskInput, field: MaskSpan['field'], text: string): Risk[] {
  if (!r.masks || r.classifier !== CLASSIFIER) return allPersonalData(text);
  return r.masks
    .filter((m) => m.field === field && m.end <= text.length)
    .map((m) => ({
      type: 'personal_data' as const,
      subtype: m.subtype,
      severity: 'medium' as const,
      confidence: 1,
      evidence: [{ start: m.start, end: m.end, text: text.slice(m.start, m.end) }],
    }));
}

// The title and text as lists show them: everything personal data looked like when the post was
// classified (stored with the classification), and every personal-data span the labels found (a name
// that is a leak only next to a threat is found with the whole post's context). Masking keeps the
// length of the text, so offsets stay valid.
export function maskFields(r: MaskInput, risks: Risk[]) {
  const inTitle = storedMasks(r, 'title', r.title);
  const inBody = storedMasks(r, 'text', r.body);
  for (const risk of risks) {
    if (risk.type !== 'personal_data') continue;
    for (const e of risk.evidence) {
      const at = fieldOffset(r.title, r.body, e.start, e.end);
      if (!at) continue;
      const span = {
        type: 'personal_data' as const,
        subtype: risk.subtype,
        severity: risk.severity,
        confidence: risk.confidence,
        evidence: [
          { start: at.start, end: at.end, text: (at.field === 'title' ? r.title : r.body).slice(at.start, at.end) },
        ],
      };
      (at.field === 'title' ? inTitle : inBody).push(span);
    }
  }
  return {
    title: maskText(r.title, inTitle),
    text: maskText(r.body, inBody),
    hasPersonalData: inTitle.length + inBody.length > 0,
  };
}

// What the inbox search matches (mentions.search_text): the post as the lists show it, folded like the
// search words, so a search cannot find a post by what the list hides. Every masked character stays
// a •, so words on either side of a mask do not join. Built from the stored labels, not the corrected
// ones: a correction only ever unmasks (a risk staff add has no spans), so this masks at least what
// the list does and need not follow corrections.
export const searchText = (r: MaskInput, risks: Risk[]) => {
  const shown = maskFields(r, risks);
  return foldText(classifiedText(shown.title, shown.text));
};

// Idempotent: one row per mention and classifier version. `replace` re-labels a mention whose
// inputs changed under the same version (its school's fact sheet was edited). The mention's search
// text is masked again from the labels stored here, in the same transaction when there is one.
export async function storeClassification(
  db: Pick<DB, 'insertInto' | 'updateTable'>,
  mention: { id: string; title: string; body: string },
  labels: Classification,
  opts: { replace?: boolean } = {},
) {
  const stored = { title: mention.title, body: mention.body, masks: labels.masks ?? null, classifier: CLASSIFIER };
  await saveClassification(db, mention.id, CLASSIFIER, labels, {
    ...opts,
    searchText: searchText(stored, labels.risks),
  });
}

// What a new mention stores with itself: its search text, masked from the labels it is stored with.
export const newMentionSearch = (m: { title: string; body: string }, labels: Classification) => ({
  search_text: searchText(
    { title: m.title, body: m.body, masks: labels.masks ?? null, classifier: CLASSIFIER },
    labels.risks,
  ),
  search_masked_by: CLASSIFIER,
});

// A new mention's labels as the inbox shows them (the trigger of sql/0027 keeps them current later);
// stored with the mention, they spare its row a second version when its classification is inserted.
export const newMentionShown = (labels: Classification) => ({
  shown_sentiment: labels.sentiment.label,
  shown_risks: [...new Set(labels.risks.map((r) => r.type))].sort(),
});

// The labels of mentions stored in this transaction with newMentionSearch and newMentionShown.
export const storeNewClassifications = (db: DB, rows: { mentionId: string; labels: Classification }[]) =>
  insertNewMentionClassifications(db, CLASSIFIER, rows);

// Masks the search text of mentions that have none yet (stored before sql/0024, erased, or written by
// an older worker), a batch at a time; each row is locked (SKIP LOCKED) before its labels are read,
// so a re-classification writing at the same time always has the last word.
export async function maskSearchBatch(db: DB, limit = 500): Promise<number> {
  return inTransaction(db, async (trx) => {
    const rows = await lockUnmaskedSearch(trx, limit);
    for (const r of rows) await setSearchText(trx, r.id, searchText(r, (r.risks as Risk[] | null) ?? []), CLASSIFIER);
    return rows.length;
  });
}

// Classify the given mentions again with their schools' current fact sheets.
export async function reclassifyMentions(db: DB, ids: string[]): Promise<number> {
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids.slice(i, i + 200);
    const rows = await mentionInputsByIds(db, batch);
    const facts = await factsPerMention(db, batch);
    const presets = await presetsOf(db, rows);
    const labels = await labelMentions(rows.map((r) => labellingOf(r, facts, presets)));
    for (const [k, r] of rows.entries()) await storeClassification(db, r, labels[k]!, { replace: true });
  }
  return ids.length;
}

type InputRow = {
  id: string;
  board_id: string;
  title: string;
  body: string;
  media: MediaItem[];
  created_at: Date;
  kind: string;
  policy: string;
  policy_version: number | null;
};
// What a stored mention is labelled from (on the classification threads, workers/labelThreads.ts).
const labellingOf = (r: InputRow, facts: Map<string, string[]>, presets: Map<string, Preset>): Labelling => ({
  title: r.title,
  body: r.body,
  facts: facts.get(r.id) ?? [],
  preset: presets.get(r.board_id)!,
  sourceKind: r.kind,
  media: r.media,
  now: r.created_at,
});

// Each board's current rules, once per batch.
async function presetsOf(db: Pick<DB, 'selectFrom'>, rows: InputRow[]) {
  const out = new Map<string, Preset>();
  for (const r of rows)
    if (!out.has(r.board_id)) out.set(r.board_id, await policyPreset(db, r.board_id, r.policy, r.policy_version));
  return out;
}

// Re-classifies stored mentions that have no classification by the current version, newest
// first, a batch at a time. Any number of workers can run this at once: each locks its batch of
// mentions with SKIP LOCKED, and a row per (mention, version) is inserted at most once.
export async function reclassifyBatch(db: DB, limit = 200): Promise<number> {
  return inTransaction(db, async (trx) => {
    const rows = await lockUnclassified(trx, CLASSIFIER, limit);
    if (!rows.length) return 0;
    const facts = await factsPerMention(
      trx,
      rows.map((r) => r.id),
    );
    // the rules through the pool, not the transaction: a version never changes once written, and the
    // pool's reads are cached (server/db/policy.ts), so every batch labels with the same rules object
    const presets = await presetsOf(db, rows);
    const labels = await labelMentions(rows.map((r) => labellingOf(r, facts, presets)));
    for (const [k, r] of rows.entries()) await storeClassification(trx, r, labels[k]!);
    return rows.length;
  });
}

export const unclassifiedCount = (db: DB): Promise<number> => countUnclassified(db, CLASSIFIER);
