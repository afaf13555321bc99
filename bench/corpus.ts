import { existsSync, readFileSync } from 'node:fs';
import { classify } from '../workers/classify/index.ts';
import type { Classification } from '../workers/classify/types.ts';

// The labelled corpora (test/corpus/) and the figures the README reports: sentiment accuracy and
// macro-F1, and precision / recall / F1 per risk type and per personal-data subtype.

export type Split = 'train' | 'dev' | 'test' | 'file';
export type Labelled = {
  id: string;
  set: string;
  split: Split;
  family: string;
  register: string;
  sentiment: string;
  risks: string[];
  school: string;
  text: string;
  facts: string[];
};

const corpusUrl = (path: string) => new URL(`../test/corpus/${path}`, import.meta.url);
// A set's fact sheets: per school a list of facts, or (blind2) `{ name, type, place, facts }` with the
// facts as one paragraph, one fact per sentence.
const factsOf = (url: URL): Record<string, string[]> => {
  if (!existsSync(url)) return {};
  const raw = JSON.parse(readFileSync(url, 'utf8')) as Record<string, string[] | { facts: string | string[] }>;
  const sentences = (p: string) =>
    p
      .split(/(?<=[.!?])\s+(?=[\p{Lu}\d€'"])/u)
      .map((f) => f.trim())
      .filter(Boolean);
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [
      k,
      Array.isArray(v) ? v : Array.isArray(v.facts) ? v.facts : sentences(v.facts),
    ]),
  );
};

// A file in the corpus's columns: `id split register sentiment risks school text` (our first corpus, the
// dashboard's export of staff corrections) or `id family register …` (the sets written later in
// paraphrase families). Facts come from the set's facts.json, keyed by the school column.
export function loadCorpus(
  file: string | URL = corpusUrl('mentions.tsv'),
  opts: { set?: string; facts?: Record<string, string[]>; split?: (family: string) => Split } = {},
): Labelled[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const byFamily = header!.split('\t')[1] === 'family';
  const facts = opts.facts ?? FACTS;
  return lines.map((line) => {
    const [id, second, register, sentiment, risks, school, text] = line.split('\t') as string[];
    const family = byFamily ? second! : id!;
    const split: Split = byFamily
      ? (opts.split ?? (() => 'file'))(family)
      : ['train', 'dev', 'test'].includes(second!)
        ? (second as Split)
        : 'file';
    return {
      id: id!,
      set: opts.set ?? 'file',
      split,
      family,
      register: register!,
      sentiment: sentiment!,
      risks: risks === '-' ? [] : risks!.split(','),
      school: school!,
      text: text!,
      facts: facts[school!] ?? [],
    };
  });
}

export const FACTS: Record<string, string[]> = factsOf(corpusUrl('facts.json'));

// The labelled sets. core: our first corpus (split once into train/dev/test before tuning). extra:
// written from the label definitions by a helper session, for tuning; a fifth of its families is dev.
// blind1: written the same way by another helper session as a blind set and measured once as such
// (README "Classificatie"); since then used for tuning like extra. blind2: written by a third helper
// session from the label definitions only, never used for tuning: the blind set `npm run bench` reports.
export const SETS = ['core', 'extra', 'blind1', 'blind2'] as const;
export const BLIND = 'blind2';
export function loadSet(name: (typeof SETS)[number]): Labelled[] {
  if (name === 'core') return loadCorpus(corpusUrl('mentions.tsv'), { set: 'core' });
  const dir = `${name}/`;
  if (!existsSync(corpusUrl(dir + 'mentions.tsv'))) return [];
  const split = (family: string): Split =>
    name === BLIND ? 'test' : Number(family.replace(/\D/g, '')) % 5 === 0 ? 'dev' : 'train';
  return loadCorpus(corpusUrl(dir + 'mentions.tsv'), {
    set: name,
    facts: factsOf(corpusUrl(dir + 'facts.json')),
    split,
  });
}

// Everything a classifier may be tuned on: the train and dev splits of core, extra and blind1.
export const tuning = (split: 'train' | 'dev' | 'traindev') =>
  [...loadSet('core'), ...loadSet('extra'), ...loadSet('blind1')].filter((x) =>
    split === 'traindev' ? x.split === 'train' || x.split === 'dev' : x.split === split,
  );

// The labels a classification gives, in the corpus's terms.
export function predictedRisks(c: Classification): string[] {
  const out = new Set<string>();
  for (const r of c.risks) out.add(r.type === 'personal_data' ? `pd:${r.subtype}` : r.type);
  return [...out];
}

export const classifyItem = (x: Labelled) => classify(x.text, { facts: x.facts });

type PRF = { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number; support: number };
const prf = (tp: number, fp: number, fn: number): PRF => {
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision: r3(precision), recall: r3(recall), f1: r3(f1), support: tp + fn };
};
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export const SENTIMENTS = ['positive', 'neutral', 'negative'];
export const RISK_LABELS = ['threat', 'discrimination', 'shaming', 'sexual', 'inaccuracy', 'personal_data'];
export const PD_SUBTYPES = [
  'phone',
  'email',
  'address',
  'postcode',
  'bsn',
  'iban',
  'birthdate',
  'name',
  'handle',
  'health',
];

export function sentimentScores(gold: string[], predicted: string[]) {
  const perClass = SENTIMENTS.map((label) => {
    let tp = 0,
      fp = 0,
      fn = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (p === label && g === label) tp++;
      else if (p === label) fp++;
      else if (g === label) fn++;
    });
    return [label, prf(tp, fp, fn)] as const;
  });
  const accuracy = gold.filter((g, i) => g === predicted[i]).length / Math.max(1, gold.length);
  const macroF1 = perClass.reduce((s, [, v]) => s + v.f1, 0) / perClass.length;
  return { n: gold.length, accuracy: r3(accuracy), macroF1: r3(macroF1), perClass: Object.fromEntries(perClass) };
}

export function riskScores(gold: string[][], predicted: string[][]) {
  const has = (labels: string[], label: string) =>
    label === 'personal_data' ? labels.some((l) => l.startsWith('pd:')) : labels.includes(label);
  const score = (label: string) => {
    let tp = 0,
      fp = 0,
      fn = 0;
    gold.forEach((g, i) => {
      const a = has(g, label);
      const b = has(predicted[i]!, label);
      if (a && b) tp++;
      else if (b) fp++;
      else if (a) fn++;
    });
    return prf(tp, fp, fn);
  };
  return {
    risks: Object.fromEntries(RISK_LABELS.map((l) => [l, score(l)])),
    personalData: Object.fromEntries(PD_SUBTYPES.map((s) => [s, score(`pd:${s}`)])),
  };
}

export function evaluate(items: Labelled[], run: (x: Labelled) => Classification = classifyItem) {
  const results = items.map((x) => ({ x, c: run(x) }));
  return {
    results,
    sentiment: sentimentScores(
      items.map((x) => x.sentiment),
      results.map((r) => r.c.sentiment.label),
    ),
    ...riskScores(
      items.map((x) => x.risks),
      results.map((r) => predictedRisks(r.c)),
    ),
  };
}
