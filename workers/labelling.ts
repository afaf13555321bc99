import { classify } from './classify/index.ts';
import { allPersonalData } from './classify/personalData.ts';
import type { Classification, MaskSpan } from './classify/types.ts';
import { decide } from './policy/engine.ts';
import type { MediaItem } from '../server/db/schema.ts';
import type { Preset } from './policy/types.ts';

// Labelling one mention: what the pipeline, re-classification and the classification threads
// (workers/labelThread.ts) run. Nothing here touches the database, so a thread loads only this.

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
