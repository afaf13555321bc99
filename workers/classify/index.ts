import { readDoc } from './doc.ts';
import { discrimination, insulting } from './discrimination.ts';
import { dedupe } from './evidence.ts';
import { hearsay, inaccuracy } from './inaccuracy.ts';
import { defamation } from './insults.ts';
import { detectLanguage } from './language.ts';
import { allPersonalData, shapedPersonalData } from './personalData.ts';
import { ruleSentiment, sentiment } from './sentiment.ts';
import { features, type Feature } from './model.ts';
import { modelRisks } from './riskModel.ts';
import { sexual } from './sexual.ts';
import { shaming } from './shaming.ts';
import { fold, sentenceAt, words } from './text.ts';
import { SCARE, threat } from './threat.ts';
import type { Classification, Evidence, Risk } from './types.ts';

// v2: rules over weighted word lists (lexicon/), with evidence for every label; see README "Classificatie".
// v2.1–v2.3: evidence stored for sentiment, separable verbs, school names are no surnames.
// v3.0 (issue 14): threats from Dutch verb forms, targets and modality; discrimination and sexual
// content as risk types; name-calling without curse words and defamation; the fact sheet compared by
// subject and value; a teacher's title and name is no leak on its own.
// Bump it whenever a label or the personal-data detector changes: stored labels and the stored
// personal-data spans the lists mask from (classifications.masks) are only trusted from this version.
export const CLASSIFIER = 'v3.0';
// v3.0 also has a learned component for threat, discrimination, shaming and sexual content (riskModel.ts).

export type ClassifyOptions = { language?: string; facts?: string[] };

// A slur at one person ("die roetmop uit v2") is name-calling as well as discrimination.
const AT_ONE = /\b(die|dat|deze|jij|je|hé|he|hey|that|this|only|one)\s+(\S+\s+)?$/;

// One particular person pointed out ("die jongen uit 2c", "the Moroccan kid in 3B", "mijn klasgenoot"):
// a slur at them is name-calling as well.
const ONE_PERSON =
  /\b(die|dat|deze|that|this|the|mijn|mn|m'n|my)\s+(ene\s+)?(\S+\s+)?(jongen|meisje|kind|kid|leerling|leerlinge|gast|vader|moeder|juf|meester|docent|docente|leraar|lerares|mentor|boy|girl|teacher|guy|vrouw|man|meneer|mevrouw|klasgenoot|klasgenote|buurman|buurvrouw|invaller|stagiair|stagiaire|concierge|conciërge)\b(?!\s+(en|and)\b)|\b(uit|in|van)\s+(groep\s*\d|klas\s*\d|[hv]\d|\d\s?[a-z]{1,2})\b(?![^.!?]*\b(allemaal|zijn|all|are)\b)/;

// "Poolse kinderen", "moslims": the head word of a span, after an adjective, is plural.
const plural = (span: string) => {
  const [w1 = '', w2] = span.replace(/[^\p{L}\s']/gu, '').split(/\s+/);
  const head = /e$/.test(w1) && w2 ? w2 : w1;
  return /(en|s|'s)$/.test(head) && head !== 'jongen';
};

const LAWFUL =
  /\b(dan|then)\b[^.!?]{0,25}\b(klacht|bezwaar|gesprek|brief|vertrouwenspersoon|geschillencommissie|inspectie|onderwijsinspectie|mentor|teamleider|directeur|directie|bestuur|bel ik|bellen|ouders|andere school|melding|aangifte|advocaat|politie|complaint|report|principal|lawyer)\b/;

function add(risks: Risk[], type: Risk['type'], evidence: Evidence[], severity: Risk['severity'] = 'high') {
  if (!evidence.length) return;
  const had = risks.find((r) => r.type === type);
  if (had) had.evidence = dedupe([...had.evidence, ...evidence]);
  else risks.push({ type, severity, confidence: 0.8, evidence: dedupe(evidence) });
}

// Pure and deterministic: the same text (and facts) always give the same labels. Evidence offsets
// refer to `text` as given (title and body joined by the caller).
export function classify(text: string, options: ClassifyOptions | string = {}): Classification {
  const opts = typeof options === 'string' ? { language: options } : options;
  const language =
    opts.language && /^[a-z]{2}$/.test(opts.language)
      ? ['nl', 'en'].includes(opts.language)
        ? opts.language
        : 'other'
      : detectLanguage(text);
  const folded = fold(text);
  const tokens = words(text, folded);
  const doc = readDoc(text, folded, tokens);
  const risks: Risk[] = [];
  const accused: Evidence[] = [];
  let groupOnly = false;
  // A threat is looked for in every language (a few phrases of the languages schools meet most);
  // otherwise other languages get only what has a shape (personal data).
  const th = threat(text, folded, doc);
  if (th) risks.push(th);
  if (language === 'nl' || language === 'en') {
    const s = shaming({ text, folded, tokens, doc });
    if (s) risks.push(s);
    const d = discrimination(doc, language, th?.evidence ?? []);
    if (d) {
      risks.push(d);
      const atOne = d.evidence.filter(
        (e) => AT_ONE.test(folded.slice(Math.max(0, e.start - 18), e.start)) && !plural(fold(e.text)),
      );
      const slurs = d.evidence.filter((e) => insulting(e.text));
      if (atOne.length || (ONE_PERSON.test(folded) && slurs.length))
        add(risks, 'shaming', atOne.length ? atOne : slurs);
      else {
        groupOnly = true;
        // A stereotype about a whole group is discrimination, not also name-calling of someone.
        const sh = risks.find((r) => r.type === 'shaming');
        if (sh) {
          const sentences = d.evidence.map((x) => sentenceAt(folded, x.start));
          sh.evidence = sh.evidence.filter((e) => !sentences.some((x) => e.start < x.end && e.end > x.start));
          if (!sh.evidence.length) risks.splice(risks.indexOf(sh), 1);
        }
      }
    }
    const x = sexual(doc);
    if (x) {
      risks.push(x);
      // Intimate images laughed at or passed on ("stuur ik zo door 😂"): humiliation of the person too.
      if (
        /😂|🤣|💀|\b(haha\w*|lol|lmao|zo dom)\b|stuur (ik )?(zo |maar )?door|iedereen heeft (hem|ze|het)/.test(
          folded,
        ) &&
        !/\b(mn|mijn|m'n|my)\s+(\S+\s+)?(nudes|naaktfoto|naaktfoto's|foto's|pics)/.test(folded)
      )
        add(risks, 'shaming', x.evidence.slice(0, 1));
    }
    accused.push(...defamation(doc));
    let ina = inaccuracy(text, folded, opts.facts, doc, accused);
    // A bomb or shooting that is said to be coming is also a possible inaccuracy (a scare).
    if (!ina && th && hearsay(folded)) {
      const scare = th.evidence.find((e) => SCARE.test(fold(e.text)));
      if (scare) ina = { type: 'inaccuracy', severity: 'medium', confidence: 0.5, evidence: [scare] };
    }
    if (ina) risks.push(ina);
  }
  // The learned component adds what the rules did not find (threats in every language; the others in
  // Dutch and English), with the words that weighed most.
  const known = language === 'nl' || language === 'en';
  // "als je … dan dien ik een klacht in": a condition with a lawful consequence is no threat.
  const lawful = LAWFUL.test(folded);
  const shaped = shapedPersonalData(text);
  const shapes = shaped.flatMap((r) => r.evidence);
  for (const r of modelRisks(
    doc,
    (type) =>
      !risks.some((x) => x.type === type) &&
      (type === 'threat' ? !lawful : known) &&
      !(type === 'shaming' && groupOnly),
    undefined,
    shapes,
  ))
    risks.push(r);
  // Personal data last: a name is a leak next to a threat, sexual content or an accusation.
  const sensitive = [
    ...risks.filter((r) => r.type === 'threat' || r.type === 'sexual').flatMap((r) => r.evidence),
    ...accused,
  ];
  risks.unshift(...allPersonalData(text, folded, tokens, { sensitive, shaped }));
  const weights: Record<string, number> = {
    threat: -3,
    shaming: -3,
    discrimination: -3,
    sexual: -3,
    inaccuracy: -2,
    personal_data: 0,
  };
  // A serious leak (health, a minor's name, an address) is bad news for the school as well.
  const context = risks
    .filter((r) => weights[r.type] || r.severity === 'high')
    .map((r) => ({ start: r.evidence[0]!.start, end: r.evidence[0]!.end, weight: weights[r.type] || -1.5 }));
  return {
    language,
    sentiment: sentiment({
      text,
      folded,
      tokens,
      language,
      context,
      doc,
      risks: risks.map((r) => (r.type === 'personal_data' ? `pd:${r.severity}` : r.type)),
    }),
    risks,
    actions: [],
  };
}

// What the sentiment model sees for a text, for training it (bench/train.ts): the same reading as
// classify(), the rules' sentiment and the risk types found.
export function sentimentFeatures(text: string, options: ClassifyOptions = {}): Feature[] {
  const c = classify(text, options);
  const folded = fold(text);
  const tokens = words(text, folded);
  const doc = readDoc(text, folded, tokens);
  const risks = c.risks.map((r) => (r.type === 'personal_data' ? `pd:${r.severity}` : r.type));
  const weights: Record<string, number> = {
    threat: -3,
    shaming: -3,
    discrimination: -3,
    sexual: -3,
    inaccuracy: -2,
    personal_data: 0,
  };
  const context = c.risks
    .filter((r) => weights[r.type] || r.severity === 'high')
    .map((r) => ({ start: r.evidence[0]!.start, end: r.evidence[0]!.end, weight: weights[r.type] || -1.5 }));
  return features(doc, ruleSentiment({ text, folded, tokens, language: c.language, context, risks }).signals);
}
