import { classify } from '../workers/classify/index.ts';
import type { Classification } from '../workers/classify/types.ts';
import { expandSuite, type FunctionalCase } from '../test/functional/expand.ts';

// The functional suite (test/functional/, written from the label definitions only): per
// functionality, the share of cases the classifier gets right — recall where the label should be
// present, 1 − false-alarm rate where it should be absent, accuracy for sentiment.

export type FunctionalScore = {
  id: string;
  title: string;
  label: string;
  expect: string;
  n: number;
  right: number;
  rate: number;
  measure: 'recall' | 'false_alarms' | 'accuracy';
};

export function caseRight(c: FunctionalCase, result: Classification): boolean {
  if (c.label === 'sentiment') return result.sentiment.label === c.expect;
  const present = result.risks.some((r) =>
    c.label.startsWith('pd:') ? r.type === 'personal_data' && `pd:${r.subtype}` === c.label : r.type === c.label,
  );
  return present === (c.expect === 'present');
}

export function functionalScores(
  run: (c: FunctionalCase) => Classification = (c) => classify(c.text, { facts: c.facts }),
) {
  const by = new Map<string, FunctionalScore>();
  const misses: { id: string; text: string }[] = [];
  for (const c of expandSuite()) {
    const s = by.get(c.functionality) ?? {
      id: c.functionality,
      title: c.title,
      label: c.label,
      expect: c.expect,
      n: 0,
      right: 0,
      rate: 0,
      measure: c.label === 'sentiment' ? 'accuracy' : c.expect === 'present' ? 'recall' : 'false_alarms',
    };
    s.n++;
    if (caseRight(c, run(c))) s.right++;
    else misses.push({ id: c.functionality, text: c.text });
    by.set(c.functionality, s);
  }
  const scores = [...by.values()].map((s) => ({ ...s, rate: Math.round((s.right / s.n) * 1000) / 1000 }));
  return { scores, misses };
}

// How a score reads in a table: recall, or the false-alarm rate for the harmless contrasts.
export const shown = (s: FunctionalScore) =>
  s.measure === 'false_alarms'
    ? { name: 'vals alarm', value: 1 - s.rate }
    : { name: s.measure === 'recall' ? 'recall' : 'juist', value: s.rate };
