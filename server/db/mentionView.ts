import { maskValue } from '../../workers/classify/personalData.ts';
import type { Evidence, MaskSpan, Risk } from '../../workers/classify/types.ts';
import { maskFields } from '../../workers/classifications.ts';
import { classifiedText, fieldOffset } from '../../workers/labelling.ts';
import { applyCorrections, type Corrections, type ShownRisk } from './labels.ts';
import type { EvidenceSpan, MentionItem, Triage } from './mentionTypes.ts';
import type { MediaItem, Origin } from './schema.ts';

// A listed mention as the API gives it: its labels as corrected, personal data masked (unless a
// person asked and it was audited), and where in the text each label came from.

export type Row = {
  id: string;
  url: string | null;
  title: string;
  body: string;
  author: string | null;
  published_at: Date;
  source_id: string;
  source_kind: string;
  source_name: string;
  language: string | null;
  sentiment: string | null;
  sentiment_score: number | null;
  risks: unknown;
  author_handle: string | null;
  media: MediaItem[];
  engagement: Record<string, number>;
  reply_to: string | null;
  origin: Origin;
  copies: string;
  reported: boolean;
  held: boolean;
  triage?: Triage | null;
  classifier: string | null;
  sentiment_evidence: unknown;
  masks: MaskSpan[] | null;
  corr: Corrections | null;
  created_at: Date;
};

// Personal data is masked wherever mentions are listed or exported; the detail view shows it in
// full only on request, and that request is audited (see routes/mentions.ts). What is masked is
// maskFields's (workers/classifications.ts), from the labels as shown. The quoted evidence of every
// label is taken from the masked text, so a threat's evidence does not repeat the name it masks.
function masked(r: Row, risks: ShownRisk[]) {
  const { title, text, hasPersonalData } = maskFields(r, risks);
  const joined = classifiedText(title, text);
  const shown = risks.map((risk) => ({
    ...risk,
    evidence: risk.evidence.map((e) => ({
      ...e,
      text:
        e.end <= joined.length
          ? joined.slice(e.start, e.end)
          : risk.type === 'personal_data'
            ? maskValue(risk.subtype ?? '', e.text)
            : e.text,
    })),
  }));
  return { title, text, risks: shown, hasPersonalData };
}

export function toItem(r: Row, schools: MentionItem['schools'], unmasked = false): MentionItem {
  const labels = applyCorrections((r.risks as Risk[] | null) ?? [], r.sentiment, r.corr);
  const m = unmasked
    ? { title: r.title, text: r.body, risks: labels.risks, hasPersonalData: false }
    : masked(r, labels.risks);
  return {
    id: r.id,
    schools,
    source: { id: r.source_id, kind: r.source_kind, name: r.source_name },
    url: r.url,
    title: m.title,
    text: m.text,
    masked: m.hasPersonalData,
    author: r.author,
    publishedAt: r.published_at.toISOString(),
    language: r.language,
    sentiment: labels.sentiment
      ? {
          label: labels.sentiment,
          score: r.sentiment_score ?? 0,
          ...(r.corr?.sentiment ? { corrected: r.corr.sentiment } : {}),
        }
      : null,
    risks: m.risks,
    classifier: r.classifier,
    handle: r.author_handle,
    media: r.media,
    engagement: r.engagement,
    replyTo: r.reply_to,
    origin: r.origin,
    copies: Number(r.copies),
    reported: r.reported,
    held: r.held,
    triage: r.triage ?? null,
  };
}

// Where in the title or text each label came from. Sentiment words are shown only while the
// classifier's sentiment stands; a corrected sentiment has no words of its own.
export function evidenceSpans(r: Row, risks: ShownRisk[]): EvidenceSpan[] {
  const out: EvidenceSpan[] = [];
  const add = (e: Evidence, kind: string) => {
    const at = fieldOffset(r.title, r.body, e.start, e.end);
    if (at) out.push({ ...at, kind, ...(e.by === 'model' ? { by: 'model' as const } : {}) });
  };
  for (const risk of risks) for (const e of risk.evidence) add(e, risk.type);
  if (!r.corr?.sentiment)
    for (const e of (r.sentiment_evidence as Evidence[] | null) ?? [])
      if (e.weight) add(e, e.weight > 0 ? 'positive' : 'negative');
  return out;
}
