import { hearsay, inaccuracy } from './inaccuracy.ts';
import { detectLanguage } from './language.ts';
import { allPersonalData } from './personalData.ts';
import { sentiment } from './sentiment.ts';
import { shaming } from './shaming.ts';
import { fold, words } from './text.ts';
import { readDoc } from './doc.ts';
import { dedupe } from './evidence.ts';
import { discrimination } from './discrimination.ts';
import { defamation } from './insults.ts';
import { sexual } from './sexual.ts';
import { SCARE, threat } from './threat.ts';
import type { Classification, Risk } from './types.ts';

// v2: rules over weighted word lists (lexicon/), with evidence for every label; see README "Classificatie".
// v2.1: same labels as v2.0; the stored row now also holds the sentiment's evidence and the policy's
// actions, so stored mentions are re-classified once to fill them.
// v2.2: threats in a main clause with a separable verb ("ik steek die directeur … neer").
// v2.3: "de juf van de Jozefschool" and "de juf op Instagram" are not names (a school's compound
// name, a platform or school app is no surname).
export const CLASSIFIER = 'v2.3';

export type ClassifyOptions = { language?: string; facts?: string[] };

// Pure and deterministic: the same text (and facts) always give the same labels. Evidence offsets
// refer to `text` as given (title and body joined by the caller).
export function classify(text: string, options: ClassifyOptions | string = {}): Classification {
  const opts = typeof options === 'string' ? { language: options } : options;
  const language = opts.language && /^[a-z]{2}$/.test(opts.language) ? (['nl', 'en'].includes(opts.language) ? opts.language : 'other') : detectLanguage(text);
  const folded = fold(text);
  const tokens = words(text, folded);
  const risks: Risk[] = allPersonalData(text, folded, tokens);
  const doc = readDoc(text, folded, tokens);
  // A threat is looked for in every language (a few phrases of the languages schools meet most).
  const th = threat(text, folded, doc);
  if (th) risks.push(th);
  // Other languages: otherwise only what is recognisable by shape (personal data) is reported.
  if (language === 'nl' || language === 'en') {
    const s = shaming({ text, folded, tokens, doc });
    if (s) risks.push(s);
    const d = discrimination(doc, language, th?.evidence ?? []);
    if (d) risks.push(d);
    // A slur at one person ("die roetmop uit v2") is name-calling too.
    const personal = d?.evidence.filter((e) => /\b(die|dat|deze|jij|je|hé|he|hey|that|this|only|one)\s+(\S+\s+)?$/.test(folded.slice(Math.max(0, e.start - 18), e.start)) && !/(en|s|'s)$/.test(fold(e.text).split(/\s+/)[0]!)) ?? [];
    if (personal.length) {
      const sh = risks.find((r) => r.type === 'shaming');
      if (sh) sh.evidence = dedupe([...sh.evidence, ...personal]);
      else risks.push({ type: 'shaming', severity: 'high', confidence: 0.8, evidence: personal });
    }
    const x = sexual(doc);
    if (x) risks.push(x);
    let ina = inaccuracy(text, folded, opts.facts, doc, defamation(doc));
    // A bomb or shooting that is said to be coming is also a possible inaccuracy (a scare).
    if (!ina && th && hearsay(folded)) {
      const scare = th.evidence.find((e) => SCARE.test(fold(e.text)));
      if (scare) ina = { type: 'inaccuracy', severity: 'medium', confidence: 0.5, evidence: [scare] };
    }
    if (ina) risks.push(ina);
  }
  const weights: Record<string, number> = { threat: -3, shaming: -3, discrimination: -3, sexual: -3, inaccuracy: -2, personal_data: 0 };
  // A serious leak (health, a minor's name, an address) is bad news for the school as well.
  const context = risks.filter((r) => weights[r.type] || r.severity === 'high').map((r) => ({ start: r.evidence[0]!.start, end: r.evidence[0]!.end, weight: weights[r.type] || -1.5 }));
  return { language, sentiment: sentiment({ text, folded, tokens, language, context }), risks, actions: [] };
}
