import { existsSync, readFileSync } from 'node:fs';
import type { Doc } from './doc.ts';

// The learned part of sentiment: a multinomial logistic regression over the words of a post (and
// pairs of them), its emoji, and what the rules found (the lexicon's score, negation, contrast, irony,
// a question, each risk type). Weights are a data file (model/sentiment.json) trained by
// `npm run train` on the train and dev splits only; prediction is a sum of weights, so it is
// deterministic and every feature that counted points at words of the text.

export const LABELS = ['negative', 'neutral', 'positive'] as const;
export type Label = (typeof LABELS)[number];
export type Feature = { name: string; value: number; start?: number; end?: number };
export type Model = {
  labels: readonly string[];
  bias: number[];
  weights: Record<string, number[]>;
  version: string;
  index?: Map<string, number[]>;
};

// Weights in a Map: a plain object with thousands of keys is slow to look things up in.
const indexOf = (model: Model) => (model.index ??= new Map(Object.entries(model.weights)));

// A light stem: the word without the endings that inflect it ("leuke" → "leuk", "juffen" → "juf").
const stems = new Map<string, string>();
export const stemWord = (w: string) => {
  if (w.length <= 5) return w;
  let out = stems.get(w);
  if (out === undefined) {
    out = w.replace(/(heden|ingen|tjes|jes|ste|en|er|e|s)$/, '');
    if (stems.size >= 50_000) stems.clear();
    stems.set(w, out);
  }
  return out;
};

export type RuleSignals = {
  score: number;
  positive: number;
  negative: number;
  risks: string[];
  ironic: boolean;
  contrast: boolean;
  question: boolean;
  negation: boolean;
  exclaim: boolean;
  after: number;
};

// The words', pairs', compound heads' and emoji's features of a text: the sentiment model and the risk
// model (riskModel.ts) both read them, so they are made once per text.
const fromText = new WeakMap<Doc, Feature[]>();
export function textFeatures(doc: Doc): Feature[] {
  let out = fromText.get(doc);
  if (out) return out;
  out = [];
  const toks = doc.toks;
  let prev: string | undefined;
  for (const t of toks) {
    const w = stemWord(t.key);
    if (!/^\d+$/.test(w)) {
      out.push({ name: `w:${w}`, value: 1, start: t.start, end: t.end });
      // The head of a compound carries its meaning ("schoolreisje", "roosterchaos"): its last letters.
      if (w.length >= 8) out.push({ name: `s:${w.slice(-5)}`, value: 0.5, start: t.start, end: t.end });
      if (prev) out.push({ name: `b:${prev}_${w}`, value: 1, start: t.start, end: t.end });
    }
    prev = w;
  }
  for (const m of doc.text.matchAll(/\p{Extended_Pictographic}/gu))
    out.push({ name: `e:${m[0]}`, value: 1, start: m.index!, end: m.index! + m[0].length });
  fromText.set(doc, out);
  return out;
}

export function features(doc: Doc, signals: RuleSignals): Feature[] {
  const out = [...textFeatures(doc)];
  out.push({ name: 'r:score', value: signals.score });
  out.push({ name: 'r:pos', value: Math.min(3, signals.positive / 3) });
  out.push({ name: 'r:neg', value: Math.min(3, signals.negative / 3) });
  for (const r of signals.risks) out.push({ name: `r:risk:${r}`, value: 1 });
  if (signals.ironic) out.push({ name: 'r:irony', value: 1 });
  if (signals.contrast) out.push({ name: 'r:contrast', value: 1 });
  // What comes after the last "maar" weighs most in Dutch: its feeling on its own.
  if (signals.after) out.push({ name: 'r:after', value: Math.max(-3, Math.min(3, signals.after / 2)) });
  if (signals.question) out.push({ name: 'r:question', value: 1 });
  if (signals.negation) out.push({ name: 'r:negation', value: 1 });
  if (signals.exclaim) out.push({ name: 'r:exclaim', value: 1 });
  out.push({ name: 'r:bias', value: 1 });
  return out;
}

export function scores(model: Model, fs: Feature[]): number[] {
  const z = [...model.bias];
  const index = indexOf(model);
  for (const f of fs) {
    const w = index.get(f.name);
    if (!w) continue;
    for (let k = 0; k < z.length; k++) z[k]! += w[k]! * f.value;
  }
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

// The features that pushed toward a label most, as spans of the text.
export function reasons(model: Model, fs: Feature[], label: number, n = 6): Feature[] {
  const index = indexOf(model);
  return fs
    .filter((f) => f.start !== undefined && index.has(f.name))
    .map((f) => ({ f, w: index.get(f.name)![label]! - Math.max(...index.get(f.name)!.filter((_, k) => k !== label)) }))
    .filter((x) => x.w > 0.05)
    .sort((a, b) => b.w - a.w)
    .slice(0, n)
    .map((x) => ({ ...x.f, value: x.w }));
}

const FILE = new URL('./model/sentiment.json', import.meta.url);
let loaded: Model | null | undefined;
export function sentimentModel(): Model | null {
  if (loaded === undefined) loaded = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Model) : null;
  return loaded;
}
