import { inTransaction, type DB } from '../server/db/index.ts';
import {
  countUnclassified,
  factsPerMention,
  lockUnclassified,
  mentionInputsByIds,
  saveClassification,
} from '../server/db/classifications.ts';
import { classify, CLASSIFIER } from './classify/index.ts';
import { allPersonalData } from './classify/personalData.ts';
import type { Classification, MaskSpan } from './classify/types.ts';
import type { MediaItem } from '../server/db/schema.ts';
import { decide } from './policy/engine.ts';
import { policyPreset } from '../server/db/policy.ts';
import type { Preset } from './policy/types.ts';

// The text a mention is classified as: title and body joined, so evidence offsets point into it.
// Readers map an offset back to the title or the body with `fieldOffset`.
export const classifiedText = (title: string, body: string) => (title && body ? `${title}\n\n${body}` : title || body);

export function fieldOffset(
  title: string,
  body: string,
  start: number,
  end: number,
): { field: 'title' | 'text'; start: number; end: number } | undefined {
  if (!title) return end <= body.length ? { field: 'text', start, end } : undefined;
  if (end <= title.length) return { field: 'title', start, end };
  const from = title.length + 2;
  if (body && start >= from && end - from <= body.length)
    return { field: 'text', start: start - from, end: end - from };
  return undefined;
}

export type Labelling = {
  title: string;
  body: string;
  facts: string[];
  preset: Preset;
  sourceKind?: string;
  media?: MediaItem[];
  now?: Date;
};

// Labels and the board's policy actions for one mention: what the pipeline and re-classification store.
export function labelMention(m: Labelling): Classification {
  const text = classifiedText(m.title, m.body);
  const labels = classify(text, { facts: m.facts });
  const hasMedia = (m.media ?? []).some((x) => x.type === 'image' || x.type === 'video');
  return {
    ...labels,
    actions: decide(m.preset, { labels, text, sourceKind: m.sourceKind, hasMedia, now: m.now }),
    masks: [...masksOf('title', m.title), ...masksOf('text', m.body)],
  };
}

// What the read path masks in a field: everything that looks like personal data there, found once.
export const masksOf = (field: MaskSpan['field'], text: string): MaskSpan[] =>
  allPersonalData(text).flatMap((r) =>
    r.evidence.map((e) => ({ field, start: e.start, end: e.end, ...(r.subtype ? { subtype: r.subtype } : {}) })),
  );

// Idempotent: one row per mention and classifier version. `replace` re-labels a mention whose
// inputs changed under the same version (its school's fact sheet was edited).
export async function storeClassification(
  db: Pick<DB, 'insertInto'>,
  mentionId: string,
  labels: Classification,
  opts: { replace?: boolean } = {},
) {
  await saveClassification(db, mentionId, CLASSIFIER, labels, opts);
}

// Classify the given mentions again with their schools' current fact sheets.
export async function reclassifyMentions(db: DB, ids: string[]): Promise<number> {
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids.slice(i, i + 200);
    const rows = await mentionInputsByIds(db, batch);
    const facts = await factsPerMention(db, batch);
    const presets = await presetsOf(db, rows);
    for (const r of rows) await storeClassification(db, r.id, labelRow(r, facts, presets), { replace: true });
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
const labelRow = (r: InputRow, facts: Map<string, string[]>, presets: Map<string, Preset>) =>
  labelMention({
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
    const presets = await presetsOf(trx, rows);
    for (const r of rows) await storeClassification(trx, r.id, labelRow(r, facts, presets));
    return rows.length;
  });
}

export const unclassifiedCount = (db: DB): Promise<number> => countUnclassified(db, CLASSIFIER);
