import type { Risk } from './types.ts';

// Personal data v1: the two kinds that are unambiguous by shape. Phone numbers (Dutch mobile and
// landline, +31 or 0, spaced or dashed) and e-mail addresses.
const patterns: { subtype: string; re: RegExp; severity: Risk['severity'] }[] = [
  { subtype: 'phone', re: /(?<![\d+])(?:\+31[\s-]?|0031[\s-]?|0)(?:6[\s-]?(?:\d[\s-]?){7}\d|[1-57-9]\d(?:[\s-]?\d){6}\d)(?!\d)/g, severity: 'medium' },
  { subtype: 'email', re: /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w])/gi, severity: 'medium' },
];

export function personalDataV1(text: string): Risk[] {
  const risks: Risk[] = [];
  for (const p of patterns) {
    const evidence = [...text.matchAll(p.re)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
    if (evidence.length) risks.push({ type: 'personal_data', subtype: p.subtype, severity: p.severity, confidence: 0.8, evidence });
  }
  return risks;
}
