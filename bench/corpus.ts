import { readFileSync } from 'node:fs';
import { classify } from '../workers/classify/index.ts';
import type { Classification } from '../workers/classify/types.ts';

// The labelled corpus (test/corpus/) and the figures the README reports: sentiment accuracy and
// macro-F1, and precision / recall / F1 per risk type and per personal-data subtype.

export type Labelled = { id: string; split: 'train' | 'dev' | 'test'; register: string; sentiment: string; risks: string[]; school: string; text: string };

// The corpus, or a file in its columns (such as the dashboard's export of staff corrections).
export function loadCorpus(file: string | URL = new URL('../test/corpus/mentions.tsv', import.meta.url)): Labelled[] {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
  return lines.map((line) => {
    const [id, split, register, sentiment, risks, school, text] = line.split('\t') as string[];
    return { id: id!, split: split as Labelled['split'], register: register!, sentiment: sentiment!, risks: risks === '-' ? [] : risks!.split(','), school: school!, text: text! };
  });
}

export const FACTS: Record<string, string[]> = JSON.parse(readFileSync(new URL('../test/corpus/facts.json', import.meta.url), 'utf8'));

// The labels a classification gives, in the corpus's terms.
export function predictedRisks(c: Classification): string[] {
  const out = new Set<string>();
  for (const r of c.risks) out.add(r.type === 'personal_data' ? `pd:${r.subtype}` : r.type);
  return [...out];
}

export const classifyItem = (x: Labelled) => classify(x.text, { facts: FACTS[x.school] ?? [] });

type PRF = { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number; support: number };
const prf = (tp: number, fp: number, fn: number): PRF => {
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision: r3(precision), recall: r3(recall), f1: r3(f1), support: tp + fn };
};
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export const SENTIMENTS = ['positive', 'neutral', 'negative'];
export const RISK_LABELS = ['personal_data', 'shaming', 'threat', 'inaccuracy'];
export const PD_SUBTYPES = ['phone', 'email', 'address', 'postcode', 'bsn', 'iban', 'birthdate', 'name', 'handle', 'health'];

export function sentimentScores(gold: string[], predicted: string[]) {
  const perClass = SENTIMENTS.map((label) => {
    let tp = 0, fp = 0, fn = 0;
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
  const has = (labels: string[], label: string) => (label === 'personal_data' ? labels.some((l) => l.startsWith('pd:')) : labels.includes(label));
  const score = (label: string) => {
    let tp = 0, fp = 0, fn = 0;
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

export function evaluate(items: Labelled[]) {
  const results = items.map((x) => ({ x, c: classifyItem(x) }));
  return {
    results,
    sentiment: sentimentScores(items.map((x) => x.sentiment), results.map((r) => r.c.sentiment.label)),
    ...riskScores(items.map((x) => x.risks), results.map((r) => predictedRisks(r.c))),
  };
}
