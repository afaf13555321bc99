import { readDoc, type Doc, type Tok } from './doc.ts';
import { dedupe } from './evidence.ts';
import { kindsFile, NearWords, phrasesByKind } from './lexicon.ts';
import { formsOf, type VerbForm } from './morph.ts';
import { fold, readList } from './text.ts';
import { PhraseSet } from './phrases.ts';
import type { Evidence, Risk } from './types.ts';

// A threat to harm a person, a group, the school or its building, built from the language rather
// than from examples: a verb of violence in any form (lexicon/harm-verbs.tsv, expanded by morph.ts,
// with its separable part anywhere in the clause: "ik steek hem morgen neer"), aimed at someone or
// something that can be hurt, and said as an intention, a plan, a condition, a wish or a call to
// others. Phrases cover what has no verb of violence: veiled threats, wishes, bombs and arson,
// weapons, reports that a threat was made (lexicon/threat-phrases.tsv). Not a threat: the same words
// negated, about the past (an incident), about oneself or a thing ("die toets heb ik vermoord"), in
// sport and games, in idioms (lexicon/threat-guards.txt), or quoted to condemn threats in general.

type Alone = 'strong' | 'weak' | 'none';
type Verb = { lemma: string; alone: Alone; parts: string[][] };
type Entry = { verb: Verb; kinds: VerbForm[]; before?: string[] };

const byForm = new Map<string, Entry[]>();
const add = (form: string, e: Entry) => byForm.set(form, [...(byForm.get(form) ?? []), e]);
for (const line of readList('harm-verbs.tsv')) {
  const [base, pastSg, pastPl, part, alone, parts] = line.split('\t').map((c) => c?.trim());
  if (!base) continue;
  const spec = {
    base,
    pastSg: pastSg === '-' ? undefined : pastSg,
    pastPl: pastPl === '-' ? undefined : pastPl,
    part: part === '-' ? undefined : part,
  };
  const verb: Verb = {
    lemma: base,
    alone: (alone as Alone) || 'none',
    parts: (parts ?? '')
      .split('|')
      .map((p) => fold(p.trim()).split(/\s+/).filter(Boolean))
      .filter((p) => p.length),
  };
  const forms = formsOf(spec);
  for (const [f, kinds] of forms) add(f, { verb, kinds });
  // The last word of a part can be written onto the verb: "neersteken", "neergestoken", "inslaan".
  for (const p of verb.parts)
    for (const [f, kinds] of forms) add(p.at(-1)! + f, { verb, kinds, before: p.slice(0, -1) });
}
// English: every form is in the file, the first is the base (also an order: "kill him").
for (const line of readList('harm-verbs-en.tsv')) {
  const [forms, alone, parts] = line.split('\t').map((c) => c?.trim());
  if (!forms) continue;
  const list = forms.split('|');
  const verb: Verb = {
    lemma: list[0]!,
    alone: (alone as Alone) || 'none',
    parts: (parts ?? '')
      .split('|')
      .map((p) => fold(p.trim()).split(/\s+/).filter(Boolean))
      .filter((p) => p.length),
  };
  list.forEach((f, i) =>
    add(f, {
      verb,
      kinds:
        i === 0
          ? ['stem', 'inf']
          : f.endsWith('ing')
            ? ['inf']
            : f.endsWith('s') && i === 1
              ? ['pres']
              : ['past', 'part'],
    }),
  );
}
const near = new NearWords(
  [...byForm.keys()].filter((f) => byForm.get(f)!.some((e) => e.verb.alone === 'strong' || e.before)),
);

const nearMemo = new Map<string, string | undefined>();
const nearFind = (w: string) => {
  if (nearMemo.has(w)) return nearMemo.get(w);
  const v = near.find(w);
  if (nearMemo.size > 50_000) nearMemo.clear();
  nearMemo.set(w, v);
  return v;
};
const TARGET = kindsFile('targets.tsv');
const CONTEXT = kindsFile('threat-context.tsv');
const PERSON_TAILS = [
  'juf',
  'team',
  'personeel',
  'leraar',
  'leraren',
  'lerares',
  'docent',
  'docenten',
  'leerkrachten',
  'mentoren',
  'leiding',
  'meester',
  'mentor',
  'directeur',
  'leerling',
  'kinderen',
  'conciërge',
  'concierge',
  'school',
  'lokaal',
];
const has = (t: Tok | undefined, kind: string) => !!t && !!CONTEXT.get(t.key)?.has(kind);

const kindMemo = new Map<string, string | undefined>();
export function targetKind(t: Tok | undefined): string | undefined {
  if (!t) return undefined;
  if (t.place) return 'place';
  if (t.upper && t.i > 0 && /^\p{L}/u.test(t.norm) && !TARGET.has(t.key))
    return t.key.length > 6 && PERSON_TAILS.some((p) => t.key.endsWith(p))
      ? t.key.endsWith('school') || t.key.endsWith('lokaal')
        ? 'place'
        : 'person'
      : 'name';
  let k = kindMemo.get(t.key);
  if (k === undefined && !kindMemo.has(t.key)) {
    k = targetKindOf(t.key);
    if (kindMemo.size > 50_000) kindMemo.clear();
    kindMemo.set(t.key, k);
  }
  return k;
}

function targetKindOf(key: string): string | undefined {
  const t = { key };
  const k = TARGET.get(t.key);
  if (k)
    return k.has('thing')
      ? 'thing'
      : k.has('person')
        ? 'person'
        : k.has('place')
          ? 'place'
          : k.has('group')
            ? 'group'
            : k.has('you')
              ? 'you'
              : k.has('third')
                ? 'third'
                : k.has('self')
                  ? 'self'
                  : undefined;
  if (t.key.length > 6 && PERSON_TAILS.some((p) => t.key.endsWith(p)))
    return t.key.endsWith('school') || t.key.endsWith('lokaal') ? 'place' : 'person';
  return undefined;
}

const phrases = phrasesByKind('threat-phrases.tsv');
const PHRASE_KINDS = [...phrases.keys()];
const phraseSets = PHRASE_KINDS.map((k) => new PhraseSet(phrases.get(k)!));
const guardRe = new PhraseSet(readList('threat-guards.txt'));

export function harmlessSpans(folded: string) {
  return guardRe.all(folded).map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

// A bomb or shooting that is only said to be coming: a threat, and maybe an inaccuracy as well.
export const SCARE =
  /(?<![\p{L}])(bom|bommen|bommelding|bomdreiging|bomalarm|explosief|schietpartij|schietincident|school shooting|shooting|shoot up|bomb)/u;

type Hit = {
  start: number;
  end: number;
  verb: Tok;
  kinds: VerbForm[];
  alone: Alone;
  lemma: string;
  part?: { start: number; end: number };
};

// Parts that are also prepositions: "ik wacht hem op" is a part, "wachten op de laptops" is not.
const PREPOSITIONS = new Set(['op', 'af', 'in', 'aan', 'uit', 'door', 'om', 'over', 'mee', 'plat', 'neer']);
const DETERMINERS = new Set([
  'de',
  'het',
  'een',
  'je',
  'jouw',
  'mijn',
  'mn',
  "m'n",
  'zijn',
  'haar',
  'die',
  'dat',
  'deze',
  'dit',
  'onze',
  'ons',
  'jullie',
  'hun',
  'uw',
  'elkaar',
  'school',
  'tijd',
]);

function findPart(doc: Doc, part: string[], from: number, to: number): { start: number; end: number } | undefined {
  for (let i = Math.max(0, from); i + part.length <= to; i++) {
    if (!part.every((w, j) => doc.toks[i + j]!.key === w)) continue;
    const next = doc.toks[i + part.length];
    if (
      part.length === 1 &&
      PREPOSITIONS.has(part[0]!) &&
      next &&
      next.clause === doc.toks[i]!.clause &&
      DETERMINERS.has(next.key)
    )
      continue;
    return { start: doc.toks[i]!.start, end: doc.toks[i + part.length - 1]!.end };
  }
  return undefined;
}

// Verbs of violence with their parts, in the sentence of each verb.
function verbHits(doc: Doc): Hit[] {
  const hits: Hit[] = [];
  for (const t of doc.toks) {
    let entries = byForm.get(t.key);
    if (!entries && t.key.length >= 6) {
      const guess = nearFind(t.key);
      entries = guess ? byForm.get(guess)?.filter((e) => e.verb.alone === 'strong' || e.before) : undefined;
    }
    if (!entries) continue;
    const s = doc.sentences[t.sentence]!;
    for (const e of entries) {
      const hit = (start: number, end: number, alone: Alone) =>
        hits.push({
          start: Math.min(start, t.start),
          end: Math.max(end, t.end),
          verb: t,
          kinds: e.kinds,
          alone,
          lemma: e.verb.lemma,
          part: { start, end },
        });
      if (e.before) {
        // "de kop inslaan": the words before the joined part come just before the verb.
        if (!e.before.length) hit(t.start, t.end, 'strong');
        else {
          const p = findPart(doc, e.before, t.i - e.before.length - 3, t.i);
          if (p) hit(p.start, t.end, 'strong');
        }
        continue;
      }
      if (e.verb.alone === 'strong') {
        hit(t.start, t.end, 'strong');
        continue;
      }
      let found = false;
      for (const part of e.verb.parts) {
        const p = findPart(doc, part, Math.max(s.start, t.i - 8), Math.min(s.end, t.i + 15));
        if (p && p.end !== t.end) {
          hit(p.start, p.end, 'strong');
          found = true;
          break;
        }
      }
      if (!found && e.verb.alone === 'weak') hit(t.start, t.end, 'weak');
    }
  }
  return hits;
}

// Arson and bombs: the school is what they are about even where no word names it.
const PLACE_VERBS =
  /(blaas|blaast|blazen|blies|bliezen)\b.*\bop\b|opblaz|opgeblazen|afbrand|platbrand|in (de fik|brand|de hens)|fikkie/;

const tokensIn = (doc: Doc, r: { start: number; end: number }) => doc.toks.slice(r.start, r.end);

// What the verb is done to: the nearest target word in its clause. "je"/"haar"/"die" before a noun
// is that noun's ("je huiswerk", "die toets").
function targetOf(doc: Doc, hit: Hit): { kind: string; tok: Tok } | undefined {
  const c = doc.clauses[hit.verb.clause]!;
  const s = doc.sentences[hit.verb.sentence]!;
  let best: { kind: string; tok: Tok; d: number } | undefined;
  for (let i = Math.max(s.start, c.start - 8); i < Math.min(s.end, c.end + 2); i++) {
    const t = doc.toks[i]!;
    const next = doc.toks[i + 1];
    if (t === hit.verb || (hit.part && t.start >= hit.part.start && t.end <= hit.part.end)) continue;
    let kind = targetKind(t);
    if (!kind) continue;
    if ((t.key === 'de' || t.key === 'het') && next?.place) continue; // the article of "De Regenboog"
    const nextKind = next && next.clause === t.clause ? targetKind(next) : undefined;
    if (
      kind === 'self' &&
      i > 0 &&
      ['van', 'voor', 'bij', 'met', 'aan', 'door', 'zonder', 'to', 'for', 'by'].includes(doc.toks[i - 1]!.key)
    )
      continue;
    // "je huiswerk", "haar fiets": a possessive before a noun is not the target itself.
    if (
      (t.key === 'je' || t.key === 'haar' || t.key === 'zijn' || t.key === 'hun' || t.key === 'jullie') &&
      next &&
      next.clause === t.clause &&
      !nextKind &&
      !ADVERBS.has(next.key) &&
      !byForm.has(next.key) &&
      !PREPOSITIONS.has(next.key)
    )
      continue;
    if (
      (kind === 'you' || kind === 'third') &&
      nextKind &&
      nextKind !== 'you' &&
      nextKind !== 'third' &&
      nextKind !== 'self'
    )
      continue; // the noun decides
    if (kind === 'name' && (has(t, 'first') || (i > 0 && /[.!?]\s*$/.test(doc.folded.slice(0, t.start))))) continue;
    if (kind === 'name' && CONTEXT.has(t.key)) continue;
    // "Mijn zoon mag zijn werkstuk afmaken": a person right before the finite verb is its subject
    // (not in the passive: "die juf moet afgemaakt worden").
    if (
      i < hit.verb.i &&
      FINITE.has(next?.key ?? '') &&
      next!.clause === hit.verb.clause &&
      doc.toks.slice(c.start, i).every((x) => SUBJECT_DETS.has(x.key)) &&
      !doc.toks.slice(c.start, c.end).some((x) => ['worden', 'wordt', 'werd', 'werden'].includes(x.key))
    )
      continue;
    // "de school afmaken", "je werkstuk op Het Klaverblad afmaken": finishing, not killing.
    if (
      kind === 'place' &&
      (/^af/.test(hit.verb.key) || (hit.part && doc.folded.slice(hit.part.start, hit.part.end) === 'af'))
    )
      continue;
    // The subject is not the target: "ik", "we" are never it; a word right before a finite verb in
    // first position often is the subject ("die juf slaat kinderen" has "kinderen" as target).
    const inClause = i >= c.start && i < c.end;
    const d = Math.abs(i - hit.verb.i) + (inClause ? 0 : 6) + (i < hit.verb.i ? 1 : 0);
    if (kind === 'name') kind = 'person';
    if (!best || d < best.d) best = { kind, tok: t, d };
  }
  return best;
}

const SUBJECT_DETS = new Set([
  'mijn',
  'mn',
  "m'n",
  'onze',
  'ons',
  'de',
  'het',
  'een',
  'zijn',
  'haar',
  'hun',
  'jullie',
  'je',
  'jouw',
]);
const FINITE = new Set([
  'mag',
  'mogen',
  'moet',
  'moeten',
  'gaat',
  'gaan',
  'wil',
  'willen',
  'kan',
  'kunnen',
  'zal',
  'zullen',
  'heeft',
  'hebben',
  'is',
  'zijn',
  'wordt',
]);
const ADVERBS = new Set([
  'morgen',
  'straks',
  'wel',
  'nog',
  'even',
  'eens',
  'echt',
  'gewoon',
  'helemaal',
  'zo',
  'ff',
  'effe',
  'nou',
  'toch',
  'maar',
  'dan',
  'hier',
  'daar',
  'vanavond',
  'vannacht',
  'na',
  'allemaal',
  'allebei',
  '1x',
  'een',
  'keer',
  'persoonlijk',
  'zelf',
  'ook',
  'nu',
  'meteen',
  'direct',
  'zeker',
  'heus',
  'later',
  'snel',
  'flink',
  'goed',
  'hard',
  'kapot',
  'dood',
  'neer',
  'af',
  'als',
  'want',
  'voor',
  'met',
  'bij',
  'om',
  'in',
  'op',
  'uit',
  'door',
  'ff',
  'gwn',
  'serieus',
  'swear',
  'wollah',
  'echt',
  'hoor',
  'he',
  'hè',
  'x',
  'mn',
  'mijn',
]);
const AUX_PAST = new Set([
  'heeft',
  'hebben',
  'had',
  'hadden',
  'heb',
  'hebt',
  'was',
  'waren',
  'werd',
  'werden',
  'is',
  'ben',
  'zijn',
  'has',
  'was',
  'were',
]);

// Negation before the verb in its clause, or just after it ("ik sla hem niet"); not in a condition
// ("als je niet ophoudt") and not far behind it ("zo hard dat hij niet meer kan lopen"). Phrases
// carry their own words, so only what comes before them counts.
// "Niemand, echt niemand, wil hem iets aandoen": a sentence that opens by denying reaches past its commas.
function negatedBefore(doc: Doc, t: Tok): boolean {
  const s = doc.sentences[t.sentence]!;
  const first = doc.toks[s.start];
  return (
    !!first &&
    ['niemand', 'nooit', 'geen', 'nobody', 'never', 'no'].includes(first.key) &&
    t.clause > first.clause &&
    !doc.toks.slice(s.start, t.i).some((x) => ['maar', 'dan', 'want', 'but'].includes(x.key))
  );
}

function negated(doc: Doc, clause: { start: number; end: number }, at: number, after = 3): boolean {
  let cond = false;
  for (let i = clause.start; i < Math.min(clause.end, at + after + 1); i++) {
    const t = doc.toks[i]!;
    if (has(t, 'cond') && i < at) cond = true;
    if (has(t, 'neg') && !(cond && i < at - 1) && !/^(eens )?tijd/.test(doc.folded.slice(t.end + 1, t.end + 12)))
      return true;
  }
  return false;
}

// Talking about threats to condemn them, not making or reporting one: "roepen dat je een leraar
// neersteekt is nooit een grap". A past-tense report of something said ("schreef", "riep") or an
// event ("gisteren", "aangifte") keeps it a threat.
const GENERIC =
  /\b(is|zijn|was) (echt )?(nooit|geen|niet) (een |meer |zomaar )?(grap|grapje|oke|ok|normaal|acceptabel|grappig|stoer|onschuldig)|\b(hoort|horen) (niet|nergens|echt niet)|\b(kan|kunnen) (echt |gewoon )?niet\b|onacceptabel|ontoelaatbaar|strafbaar|nooit (oke|ok|normaal|acceptabel|grappig)|\b(zinnen|uitspraken|teksten|berichten|grappen|grapjes|dreigementen|woorden) (als|zoals)\b|\b(wie|iemand die|mensen die|leerlingen die|als je|als iemand)\b.{0,40}\b(roept|zegt|schrijft|typt|dreigt|appt|post|roepen|zeggen|schrijven|dreigen)\b|\bwe (accepteren|tolereren) (geen|dit|dat|het niet)|\btegen (geweld|pesten|dreigen|bedreiging|agressie)|\b(stop|stoppen) met\b|\bals grap\b|geen plek voor|(walgelijk|schandalig|triest|zorgelijk|eng) (dat|hoe)|\b(not|never) (ok|okay|acceptable|funny|a joke)|no place for|\bpraten over\b|\bbespreken\b|\bles(sen)? over\b|campagne|voorlichting/;

function condemned(doc: Doc, t: Tok): boolean {
  const s = doc.sentences[t.sentence]!;
  const sentence = tokensIn(doc, s);
  const generic =
    sentence.some((x) => has(x, 'generic')) || GENERIC.test(doc.toks.length < 60 ? doc.folded : sentenceText(doc, t));
  if (!generic) return false;
  const all = doc.toks;
  if (all.some((x) => has(x, 'event'))) return false;
  const speechPast = sentence.some(
    (x) => has(x, 'speech') && !/(en|t)$/.test(x.key) && x.key !== 'zegt' && x.key !== 'post',
  );
  if (speechPast) return false;
  return (
    t.quoted ||
    sentence.some((x) =>
      [
        'zeggen',
        'roepen',
        'schrijven',
        'dreigen',
        'grappen',
        'grapjes',
        'posten',
        'appen',
        'typen',
        'saying',
        'joking',
        'jokes',
      ].includes(x.key),
    )
  );
}

// "wie gaat er mee", "iedereen mag", "laten we": a call to others.
const INCITE =
  /(iemand|someone|somebody) (moet|moeten|zou|zouden|mag|should|needs? to|has to|must|ought to|gotta)\b|(wie|who) (gaat|doet|komt|helpt|is) (er )?(mee|erbij)|(iedereen|allemaal)( \S+){0,5} (mag|moet|gaat|komt|naar)\b|laten we|laat we|let's|lets go|kom op/;
const incitement = (doc: Doc, t: Tok) => {
  const s = doc.sentences[t.sentence]!;
  return INCITE.test(doc.folded.slice(doc.toks[s.start]!.start, doc.toks[s.end - 1]!.end));
};

function intent(doc: Doc, hit: Hit, target: { kind: string } | undefined): boolean {
  const c = doc.clauses[hit.verb.clause]!;
  const s = doc.sentences[hit.verb.sentence]!;
  const clause = tokensIn(doc, c);
  const sentence = tokensIn(doc, s);
  if (clause.some((x) => has(x, 'first') || has(x, 'intent') || has(x, 'incite'))) return true;
  if (hit.alone === 'strong' && sentence.some((x) => has(x, 'first') || (has(x, 'intent') && !AUX_PAST.has(x.key))))
    return true;
  if (sentence.some((x) => has(x, 'cond') || has(x, 'time') || has(x, 'wish') || has(x, 'incite'))) return true;
  // An order: the verb first in its clause ("steek die school in brand"), or a bare infinitive
  // heading the sentence ("een kopje kleiner maken, die docenten").
  if (hit.verb.i === c.start && hit.kinds.includes('stem')) return true;
  if (
    hit.kinds.includes('inf') &&
    hit.start <= doc.toks[s.start]!.start + 1 + (hit.part ? hit.part.end - hit.part.start : 0) &&
    hit.verb.sentence === 0
  )
    return true;
  // Spoken to the target: "jij gaat eraan", "ik sla je".
  if (target?.kind === 'you' && !hit.kinds.every((k) => k === 'past' || k === 'part')) return true;
  return false;
}

function isPast(doc: Doc, hit: Hit): boolean {
  if (hit.kinds.every((k) => k === 'past')) return true;
  // "zou hebben geslagen": a rumour about the past.
  if (
    hit.kinds.includes('part') &&
    tokensIn(doc, doc.clauses[hit.verb.clause]!).some((x) => x.key === 'hebben' || x.key === 'zijn') &&
    tokensIn(doc, doc.clauses[hit.verb.clause]!).some(
      (x) => x.key === 'zou' || x.key === 'zouden' || x.key === 'schijnt' || x.key === 'moet',
    )
  )
    return true;
  if (
    !hit.kinds.includes('part') ||
    (hit.kinds.includes('stem') && hit.verb.i > 0 && has(doc.toks[hit.verb.i - 1], 'first'))
  )
    return false;
  const c = doc.clauses[hit.verb.clause]!;
  const s = doc.sentences[hit.verb.sentence]!;
  const clause = tokensIn(doc, c);
  if (!clause.some((x) => AUX_PAST.has(x.key)))
    return (
      hit.kinds.every((k) => k === 'part' || k === 'past') &&
      !tokensIn(doc, s).some((x) => has(x, 'intent') || has(x, 'wish'))
    );
  return !tokensIn(doc, s).some(
    (x) => (has(x, 'intent') && !AUX_PAST.has(x.key)) || has(x, 'time') || has(x, 'wish') || has(x, 'cond'),
  );
}

// "ik vermoord je als je mn chips opeet 😂" to a sister, or a teacher's joke the class laughed at.
const FAMILY = new Set([
  'zus',
  'zusje',
  'broer',
  'broertje',
  'mama',
  'papa',
  'moeder',
  'vader',
  'ma',
  'pa',
  'vriend',
  'vriendin',
  'vrienden',
  'mattie',
  'matties',
  'neef',
  'nicht',
  'opa',
  'oma',
  'sis',
  'bro',
]);
const LAUGH =
  /😂|🤣|😆|😹|\b(haha\w*|hihi|lol|lmao|xd)\b|lag(en)? (dubbel|krom|in een deuk)|(in een )?deuk|grapje|geintje|beste (leraar|docent|juf|meester|mentor)/u;
const joking = (doc: Doc, t: Tok) =>
  LAUGH.test(doc.folded) &&
  (tokensIn(doc, doc.sentences[t.sentence]!).some((x) => FAMILY.has(x.key)) ||
    /beste (leraar|docent|juf|meester|mentor)|lag(en)? (dubbel|krom)/.test(doc.folded));

// "wacht ze alstublieft op bij het plein": a request, not a threat.
const POLITE = /\b(alstublieft|alsjeblieft|a\.u\.b|aub|svp|graag|vriendelijk verzoek|wilt u)\b/;

const sentenceText = (doc: Doc, t: Tok) => {
  const s = doc.sentences[t.sentence]!;
  return doc.folded.slice(doc.toks[s.start]!.start, doc.toks[s.end - 1]!.end);
};

const SPORT_PART =
  /(voetbal|hockey|toernooi|wedstrijd|competitie|game|gaming|fifa|fortnite|minecraft|schaak|tafeltennis|basketbal|volleybal|handbal|korfbal|trefbal|tennis|zaalvoetbal|lasergam|paintball|quiz|debat|penalty|finale|potje|sportdag)/;
const sportNear = (doc: Doc, t: Tok) =>
  tokensIn(doc, doc.sentences[t.sentence]!).some(
    (x) => has(x, 'sport') || (x.key.length > 5 && SPORT_PART.test(x.key)),
  );
const safeNear = (doc: Doc, t: Tok) =>
  tokensIn(doc, doc.sentences[t.sentence]!).some((x) => has(x, 'safe') || has(x, 'sport'));

function tokAt(doc: Doc, offset: number): Tok | undefined {
  let lo = 0;
  let hi = doc.toks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = doc.toks[mid]!;
    if (t.end <= offset) lo = mid + 1;
    else if (t.start > offset) hi = mid - 1;
    else return t;
  }
  return doc.toks[lo];
}

export const __debug = (doc: Doc) =>
  verbHits(doc).map((h) => ({
    lemma: h.lemma,
    text: doc.text.slice(h.start, h.end),
    alone: h.alone,
    kinds: h.kinds,
    target: targetOf(doc, h)?.tok.key,
    neg: negated(doc, doc.clauses[h.verb.clause]!, h.verb.i),
    past: isPast(doc, h),
    intent: intent(doc, h, targetOf(doc, h)),
    cond: condemned(doc, h.verb),
  }));

export type ThreatFinding = Evidence & { kind: string };

const isWeapon = (t: Tok) => !!TARGET.get(t.key)?.has('weapon');
const DREIG = new Set([
  'dreigde',
  'dreigden',
  'gedreigd',
  'dreigt',
  'dreigen',
  'dreig',
  'dreigend',
  'dreigende',
  'dreiging',
  'dreigingen',
]);
const POSSESS =
  /\b(heb|hebben|heeft|had)\b.*\b(liggen|klaar|thuis|op zolder|in de auto)\b|\b(op zak|bij zich|in (mijn|mn|m'n|zijn|haar|de) (tas|jas|auto|kluis|la)|mee naar|meegenomen|meenemen|meeneemt|meenam)\b/;

// A weapon where people are, with a plan, a condition or a target ("ik heb vanaf morgen een mes in
// mn tas", "deze boksbeugel is voor jou maandag"), or someone said to threaten ("dreigde de juf met
// een schaar"): threats without a verb of violence.
function weaponsAndReports(doc: Doc, guarded: (s: number, e: number) => boolean): ThreatFinding[] {
  const out: ThreatFinding[] = [];
  // Each sentence is weighed for at most a few of its weapon words: a list of 5,000 knives is read once.
  const tried = new Map<number, number>();
  for (const t of doc.toks) {
    const weapon = isWeapon(t);
    const dreig = DREIG.has(t.key);
    if (!weapon && !dreig) continue;
    const n = tried.get(t.sentence) ?? 0;
    if (n >= 3) continue;
    tried.set(t.sentence, n + 1);
    if (guarded(t.start, t.end)) continue;
    const s = doc.sentences[t.sentence]!;
    const sentence = tokensIn(doc, s);
    if (safeNear(doc, t) || negated(doc, doc.clauses[t.clause]!, t.i - 1, 0)) continue;
    const aimed = sentence.some(
      (x) => x !== t && ['person', 'you', 'third', 'place', 'group', 'name'].includes(targetKind(x) ?? ''),
    );
    const span = doc.folded.slice(doc.toks[s.start]!.start, doc.toks[s.end - 1]!.end);
    if (dreig) {
      // A threat to spread images is sextortion (the sexual detector's), not violence.
      if (aimed && !/foto|filmpje|video|nudes|naakt|beelden/.test(span) && !condemned(doc, t) && !joking(doc, t))
        out.push({ start: t.start, end: t.end, text: '', kind: 'report' });
      continue;
    }
    const mine = sentence.some((x) => has(x, 'first')) && (POSSESS.test(span) || sentence.some((x) => has(x, 'time')));
    if (!aimed && !mine) continue;
    const plan =
      sentence.some(
        (x) =>
          has(x, 'first') ||
          has(x, 'intent') ||
          has(x, 'time') ||
          has(x, 'cond') ||
          has(x, 'wish') ||
          DREIG.has(x.key) ||
          x.key.startsWith('bedreig'),
      ) ||
      POSSESS.test(span) ||
      /voor (jou|je|hem|haar|jullie|die|de|mensen)/.test(span);
    if (plan && !condemned(doc, t) && !joking(doc, t))
      out.push({ start: t.start, end: t.end, text: '', kind: 'weapon' });
  }
  return out;
}

export function threatFindings(doc: Doc): ThreatFinding[] {
  // looked for only once something threat-like is found: most posts have nothing to guard
  let guards: { start: number; end: number }[] | undefined;
  const guarded = (start: number, end: number) =>
    (guards ??= harmlessSpans(doc.folded)).some((g) => start < g.end && end > g.start);
  const out: ThreatFinding[] = [];
  for (const hit of verbHits(doc)) {
    if (guarded(hit.start, hit.end)) continue;
    let target = targetOf(doc, hit);
    if (!target && PLACE_VERBS.test(doc.text.slice(hit.start, hit.end).toLowerCase()))
      target = { kind: 'place', tok: hit.verb };
    if (!target || target.kind === 'thing' || target.kind === 'self') continue;
    const c = doc.clauses[hit.verb.clause]!;
    if (negatedBefore(doc, hit.verb)) continue;
    // "ik sla je", not "we slaan alarm" or "hij slaat kinderen" (an accusation): a verb that is violent
    // only with a person needs one right by it, and the speaker (or an order) behind it.
    if (hit.alone === 'weak') {
      const reach =
        target.kind === 'person' || target.kind === 'place' || doc.toks[hit.verb.i - 1]?.key === 'te' ? 6 : 3;
      if (!(
        ['you', 'third', 'person', 'group', 'place'].includes(target.kind) &&
        Math.abs(target.tok.i - hit.verb.i) <= reach
      ))
        continue;
      const clause = tokensIn(doc, c);
      const plan =
        clause.some((x) =>
          [
            'ga',
            'gaat',
            'gaan',
            'zal',
            'zullen',
            'wil',
            'willen',
            'kom',
            'komen',
            'mag',
            'moet',
            'moeten',
            'should',
            'must',
            'gotta',
            'will',
            'gonna',
          ].includes(x.key),
        ) &&
        (target.kind === 'you' || target.kind === 'third') &&
        Math.abs(target.tok.i - hit.verb.i) <= 2;
      const speaker =
        clause.some((x) => has(x, 'first') || ['laten', 'laat', 'allemaal'].includes(x.key)) ||
        incitement(doc, hit.verb) ||
        (hit.verb.i === c.start && hit.kinds.includes('stem')) ||
        plan;
      if (!speaker) continue;
    }
    if (negated(doc, c, hit.verb.i)) continue;
    if (isPast(doc, hit)) continue;
    if (!intent(doc, hit, target)) continue;
    if (sportNear(doc, hit.verb) && (target.kind !== 'person' || hit.alone === 'weak')) continue;
    if (POLITE.test(sentenceText(doc, hit.verb)) || (target.kind === 'place' && safeNear(doc, hit.verb))) continue;
    if (condemned(doc, hit.verb) || joking(doc, hit.verb)) continue;
    out.push({
      start: Math.min(hit.start, target.tok.start),
      end: Math.max(hit.end, target.tok.end),
      text: '',
      kind: 'verb',
    });
  }
  out.push(...weaponsAndReports(doc, guarded));
  for (let k = 0; k < PHRASE_KINDS.length; k++) {
    const kind = PHRASE_KINDS[k]!;
    // A few matches of one kind per sentence are enough to weigh it: "bom op school" 3,000 times is read once.
    const perSentence = new Map<number, number>();
    for (const m of phraseSets[k]!.all(doc.folded)) {
      const start = m.index;
      const end = start + m[0].length;
      if (guarded(start, end)) continue;
      const t = tokAt(doc, start);
      if (!t) continue;
      const n = perSentence.get(t.sentence) ?? 0;
      if (n >= 3) continue;
      perSentence.set(t.sentence, n + 1);
      if (negated(doc, doc.clauses[t.clause]!, t.i - 1, 0) || negatedBefore(doc, t)) continue;
      if (
        (kind === 'weapon' || kind === 'bomb' || (kind === 'wish' && /fik|brand|hens/.test(m[0]))) &&
        safeNear(doc, t)
      )
        continue;
      if (condemned(doc, t) || joking(doc, t)) continue;
      // "is in brand gestoken door vandalen": an incident that happened, not a threat.
      // A shooting, a fire or an explosion reported as news is an incident; only one still to come threatens.
      if (
        kind === 'incident' &&
        !tokensIn(doc, doc.sentences[t.sentence]!).some(
          (x) =>
            has(x, 'time') ||
            has(x, 'cond') ||
            has(x, 'wish') ||
            has(x, 'first') ||
            (has(x, 'intent') && !AUX_PAST.has(x.key)),
        )
      )
        continue;
      if (
        (kind === 'bomb' || kind === 'wish' || kind === 'weapon' || kind === 'incident') &&
        /(gestoken|gezet|afgebrand|opgeblazen|ontploft|meegenomen|getrokken|uitgebrand)/.test(m[0])
      ) {
        const clause = tokensIn(doc, doc.clauses[t.clause]!);
        if (
          clause.some((x) => AUX_PAST.has(x.key)) &&
          !tokensIn(doc, doc.sentences[t.sentence]!).some(
            (x) => (has(x, 'intent') && !AUX_PAST.has(x.key)) || has(x, 'time') || has(x, 'wish') || has(x, 'cond'),
          )
        )
          continue;
      }
      out.push({ start, end, text: '', kind });
    }
  }
  return out.map((f) => ({ ...f, text: doc.text.slice(f.start, f.end) }));
}

const CONFIDENCE: Record<string, number> = {
  verb: 0.9,
  report: 0.85,
  bomb: 0.85,
  weapon: 0.8,
  wish: 0.8,
  veiled: 0.75,
  en: 0.8,
};

export function threat(text: string, folded: string, doc: Doc = readDoc(text, folded)): Risk | undefined {
  const found = threatFindings(doc);
  if (!found.length) return undefined;
  const confidence = Math.max(...found.map((f) => CONFIDENCE[f.kind] ?? 0.75));
  return {
    type: 'threat',
    severity: 'high',
    confidence,
    evidence: dedupe(found.map(({ start, end, text: t }) => ({ start, end, text: t }))),
  };
}
