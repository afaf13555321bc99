import { existsSync, readFileSync } from 'node:fs';
import type { Doc } from './doc.ts';
import { dedupe } from './evidence.ts';
import { textFeatures } from './model.ts';
import { isFirstName } from './people.ts';
import { STOPWORDS } from './sentiment.ts';
import type { Evidence, Risk, RiskType } from './types.ts';

// The learned part of the risks (issue 14): per risk type a logistic regression over the words of a
// post, pairs of them, the heads of compounds and emoji — the same features as the sentiment model,
// without what the rules found. It catches phrasings the rules have not seen; the rules stay first.
// Weights are a data file (model/risks.json) trained by `npm run train` on the train and dev splits
// only; a risk the model adds comes with the words that weighed most as evidence, marked `by: 'model'`.

export type RiskModel = {
  version: string;
  risks: RiskType[];
  thresholds: number[];
  bias: number[];
  weights: Record<string, number[]>;
  index?: Map<string, number[]>;
};

// Risk types the model may add, and how serious one it adds is.
export const MODEL_RISKS: RiskType[] = ['threat', 'discrimination', 'shaming', 'sexual'];
const SEVERITY: Record<string, Risk['severity']> = {
  threat: 'high',
  discrimination: 'high',
  sexual: 'high',
  shaming: 'medium',
};

// The model's features of a text: words, pairs, compound heads and emoji, each once.
// First names are left out, alone and in pairs: whether a post is a threat must not depend on a
// pupil being called Lotte.
export function riskFeatures(doc: Doc) {
  const seen = new Set<string>();
  const named = new Set<number>();
  const afterName = new Set<number>();
  doc.toks.forEach((t, i) => {
    if (!isFirstName(t.key)) return;
    named.add(t.start);
    if (doc.toks[i + 1]) afterName.add(doc.toks[i + 1]!.start);
  });
  return textFeatures(doc).filter((f) => {
    if (seen.has(f.name)) return false;
    if (f.start !== undefined && (named.has(f.start) || (f.name.startsWith('b:') && afterName.has(f.start))))
      return false;
    seen.add(f.name);
    return true;
  });
}

const FILE = new URL('./model/risks.json', import.meta.url);
let loaded: RiskModel | null | undefined;
export function riskModel(): RiskModel | null {
  if (loaded === undefined) {
    loaded = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as RiskModel) : null;
    if (loaded) loaded.index = new Map(Object.entries(loaded.weights));
  }
  return loaded;
}

const meaningful = (word: string) =>
  (word.length >= 3 || /\p{Extended_Pictographic}/u.test(word)) &&
  !STOPWORDS.has(word.toLowerCase()) &&
  !/^\p{Lu}\p{Ll}/u.test(word);

// The probability of each risk type, and the words that pushed it up most.
export function modelRisks(
  doc: Doc,
  only: (type: RiskType) => boolean,
  model = riskModel(),
  avoid: { start: number; end: number }[] = [],
): Risk[] {
  if (!model || !model.risks.some(only)) return [];
  const fs = riskFeatures(doc);
  // each feature's weights looked up once, for every risk type
  const weights = fs.map((f) => model.index!.get(f.name));
  const out: Risk[] = [];
  model.risks.forEach((type, k) => {
    if (!only(type)) return;
    let z = model.bias[k]!;
    for (let i = 0; i < fs.length; i++) {
      const w = weights[i]?.[k];
      if (w) z += w;
    }
    const p = 1 / (1 + Math.exp(-z));
    // Most posts are none of these: their evidence is not looked for.
    if (p < model.thresholds[k]!) return;
    const pushed: { start: number; end: number; w: number }[] = [];
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i]!;
      const w = weights[i]?.[k];
      // Evidence is a word that means something: not a function word, not someone's name.
      // Nor personal data: evidence is quoted in lists.
      if (
        w !== undefined &&
        w > 0.3 &&
        f.start !== undefined &&
        !f.name.startsWith('b:') &&
        meaningful(doc.text.slice(f.start, f.end)) &&
        !avoid.some((a) => f.start! < a.end && f.end! > a.start)
      )
        pushed.push({ start: f.start, end: f.end!, w });
    }
    if (!pushed.length) return;
    const evidence: Evidence[] = pushed
      .sort((a, b) => b.w - a.w)
      .slice(0, 3)
      .map((x) => ({
        start: x.start,
        end: x.end,
        text: doc.text.slice(x.start, x.end),
        weight: Math.round(x.w * 100) / 100,
        by: 'model' as const,
      }));
    out.push({
      type,
      severity: SEVERITY[type] ?? 'medium',
      confidence: Math.round(p * 100) / 100,
      evidence: dedupe(evidence).sort((a, b) => a.start - b.start),
    });
  });
  return out;
}
