import type { Action, GuidancePart } from '../../workers/policy/types.ts';
import type { correctionHistory, Correction, ShownRisk } from './labels.ts';
import type { MatchSpan, MediaItem, Origin } from './schema.ts';

// A post as the inbox and its detail view send it (server/db/mentions.ts lists them,
// server/db/mentionDetail.ts shows one; server/db/mentionView.ts makes them from a row).

export type Triage = { state: 'seen' | 'handled' | 'irrelevant'; by: string; at: string };

export type MentionItem = {
  id: string;
  schools: { id: string; slug: string; name: string; matched: string[]; spans: MatchSpan[] }[];
  source: { id: string; kind: string; name: string };
  url: string | null;
  title: string;
  text: string;
  author: string | null;
  publishedAt: string;
  language: string | null;
  sentiment: { label: string; score: number; corrected?: Correction } | null;
  risks: ShownRisk[];
  classifier: string | null;
  masked: boolean; // personal data in title or text is shown masked
  handle: string | null;
  media: MediaItem[];
  engagement: Record<string, number>;
  replyTo: string | null;
  origin: Origin;
  // The story's other copies (other sources, reports) are folded into this one.
  copies: number;
  reported: boolean;
  // a meldpunt report held back because the school got unusually many in a short time
  held: boolean;
  // what the board's team did with it (no triage: new)
  triage: Triage | null;
};

export type StoryCopy = {
  id: string;
  source: { kind: string; name: string };
  url: string | null;
  origin: Origin;
  publishedAt: string;
};
// A span of the title or text that made a label: a risk type, or a word that made it positive/negative.
// by: 'model' when the learned component found it rather than a rule.
export type EvidenceSpan = { field: 'title' | 'text'; start: number; end: number; kind: string; by?: 'model' };
export type MentionDetail = MentionItem & {
  alsoVia: StoryCopy[];
  report: { screenshotDescription: string | null; hasContact: boolean; held: boolean } | null;
  evidence: EvidenceSpan[];
  corrections: Awaited<ReturnType<typeof correctionHistory>>;
  // What the board's protocol asks, from the labels as shown (so a correction changes the prompts).
  policy: { id: string; name: string; stance?: GuidancePart };
  actions: Action[];
  // The discussions (cases) this post is part of, at the viewer's schools.
  cases: { id: string; state: string; school: string }[];
};
