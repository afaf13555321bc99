import { PhraseSet, readList } from './text.ts';
import type { Evidence, Risk } from './types.ts';
import { dedupe } from './evidence.ts';

// Intent or calls to harm a person or property, stalking, arson, bombs, weapons in a hostile context,
// and reports of them (a bomb scare is a threat for the school to act on, and maybe a rumour). Always
// high severity; recall comes first, so the guards only drop well-known harmless uses ("dood van het
// lachen", "foto's schieten", "tekortschieten", "bommetje").

const threatRe = new PhraseSet(readList('threats.txt'));
const guardRe = new PhraseSet(readList('threat-guards.txt'));
const FIRST_PERSON = /^(ik|we|wij|i|i'm|we're)\b/;

export function harmlessSpans(folded: string) {
  return guardRe.all(folded).map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

// A bomb or shooting that is only said to be coming: a threat, and maybe an inaccuracy as well.
export const SCARE = /(?<![\p{L}])(bom|bommen|bommelding|bomdreiging|bomalarm|explosief|schietpartij|schietincident|school shooting|shooting|shoot up|bomb)/u;

export function threat(text: string, folded: string): Risk | undefined {
  const guards = harmlessSpans(folded);
  const evidence: Evidence[] = [];
  for (const m of threatRe.all(folded)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (guards.some((g) => start < g.end && end > g.start)) continue;
    evidence.push({ start, end, text: text.slice(start, end) });
  }
  if (!evidence.length) return undefined;
  const direct = evidence.some((e) => FIRST_PERSON.test(e.text.toLowerCase()) || /weet waar|gewaarschuwd|gaat eraan|gaan eraan/.test(e.text.toLowerCase()));
  return { type: 'threat', severity: 'high', confidence: direct ? 0.9 : 0.75, evidence: dedupe(evidence) };
}
