import { createHash } from 'node:crypto';
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

// The reverse of fieldOffset: a span of the title or the body as a span of the joined text.
export function joinedOffset(title: string, body: string, s: { field: 'title' | 'text'; start: number; end: number }) {
  const from = s.field === 'text' && title && body ? title.length + 2 : 0;
  return { start: s.start + from, end: s.end + from };
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
  return labelReading(m, readMention(m));
}

// What a mention's words say: its labels and the spans to mask. They depend on the title, the body and
// the fact sheet alone (classify is pure), so a story's copies read the same.
export type Reading = { labels: Classification; masks: MaskSpan[] };
export function readMention(m: Pick<Labelling, 'title' | 'body' | 'facts'>): Reading {
  const labels = classify(classifiedText(m.title, m.body), { facts: m.facts });
  return { labels, masks: masksOf(labels, m.title, m.body) };
}

// The mention's labels with the board's policy actions for it: what labelMention gives. Reads the
// reading, never changes it.
export function labelReading(m: Labelling, { labels, masks }: Reading): Classification {
  const text = classifiedText(m.title, m.body);
  const hasMedia = (m.media ?? []).some((x) => x.type === 'image' || x.type === 'video');
  // the masks in the joined text, so a talking point never quotes what the lists hide
  const masked = masks.map((x) => joinedOffset(m.title, m.body, x));
  return {
    ...labels,
    actions: decide(m.preset, { labels, text, masked, sourceKind: m.sourceKind, hasMedia, now: m.now }),
    masks,
  };
}

// A story's copies (the same title and body under other links, on other sources) are read once: the
// readings of the last `limit` posts are remembered, under a hash of the fact sheet, the title and the
// body (as JSON, so no two of them run into each other; hashed, so a long post or fact sheet is not
// kept twice). A remembered reading is handed out as a copy, so no two posts share their labels' objects.
export function rememberedReadings(limit: number) {
  const readings = new Map<string, Reading>();
  const read = (m: Pick<Labelling, 'title' | 'body' | 'facts'>): Reading => {
    const key = createHash('sha256')
      .update(JSON.stringify([m.facts, m.title, m.body]))
      .digest('base64url');
    const had = readings.get(key);
    if (had) {
      read.hits++;
      readings.delete(key); // the most recently used last
      readings.set(key, had);
      return structuredClone(had);
    }
    const r = readMention(m);
    if (readings.size >= limit) readings.delete(readings.keys().next().value!);
    readings.set(key, structuredClone(r));
    return r;
  };
  read.hits = 0;
  return read;
}

// What the read path masks in the title and the body: every span the labels found personal data in
// (classify reads the whole post, title and body joined, so a name next to a threat in the other field
// counts too), mapped back to its field; a span over the seam between title and body is masked on both
// sides. With both a title and a body, also what each field has on its own: the detector's "no leak"
// rules look around a span (the school's own number near "ziekmelden", a name after "woordvoerder"),
// and in the joined text they read the other field's words too. A lone field is the joined text itself.
export function masksOf(labels: Pick<Classification, 'risks'>, title: string, body: string): MaskSpan[] {
  const out: MaskSpan[] = [];
  const from = title.length + 2;
  for (const r of labels.risks) {
    if (r.type !== 'personal_data') continue;
    const subtype = r.subtype ? { subtype: r.subtype } : {};
    for (const e of r.evidence) {
      const at = fieldOffset(title, body, e.start, e.end);
      if (at) {
        out.push({ field: at.field, start: at.start, end: at.end, ...subtype });
        continue;
      }
      if (title && e.start < title.length) out.push({ field: 'title', start: e.start, end: title.length, ...subtype });
      if (title && body && e.end > from)
        out.push({
          field: 'text',
          start: Math.max(0, e.start - from),
          end: Math.min(body.length, e.end - from),
          ...subtype,
        });
    }
  }
  if (title && body)
    for (const [field, text] of [
      ['title', title],
      ['text', body],
    ] as const)
      for (const r of allPersonalData(text))
        for (const e of r.evidence)
          out.push({ field, start: e.start, end: e.end, ...(r.subtype ? { subtype: r.subtype } : {}) });
  const seen = new Set<string>();
  return out
    .filter((m) => {
      const k = `${m.field}:${m.start}:${m.end}`;
      return !seen.has(k) && !!seen.add(k);
    })
    .sort((a, b) => (a.field === b.field ? a.start - b.start : a.field === 'title' ? -1 : 1));
}
