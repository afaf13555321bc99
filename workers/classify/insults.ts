import type { Doc, Tok } from './doc.ts';
import { kindsFile, phrasesByKind } from './lexicon.ts';
import { PhraseSet } from './phrases.ts';
import { targetKind } from './threat.ts';
import type { Evidence } from './types.ts';

// Name-calling without curse words and defamation, read from how an insult is said rather than from a
// list of sentences: a word that insults a person (lexicon/name-calling.tsv) said *of* someone — "X is
// een nietsnut", "wat een prutser", "jij lafaard", "een lachertje van een schoolleider", "die
// gluiperige draaikont", "a complete idiot" — or an insulting adjective with a plain word for a person
// ("een dom mens", "gefrustreerde tante"). Defamation: a named or pointed-out person accused of a
// crime or abuse as a fact ("de directeur steelt geld uit de overblijfpot", lexicon/defamation.tsv).

const NC = kindsFile('name-calling.tsv');
const MULTI = new Map<string, string[][]>();
for (const [w, kinds] of NC)
  if (w.includes(' ')) for (const k of kinds) MULTI.set(k, [...(MULTI.get(k) ?? []), w.split(' ')]);
const is = (t: Tok | undefined, kind: string) => !!t && !!NC.get(t.key)?.has(kind);
const COPULA = new Set([
  'is',
  'zijn',
  'bent',
  'ben',
  'was',
  'waren',
  'lijkt',
  'lijken',
  'blijft',
  'blijkt',
  'blijven',
  'noemt',
  'noem',
  'wordt',
  'bestaat',
  'bestaan',
  'are',
  'am',
  "'s",
  's',
  'were',
  'seems',
  'looks',
]);
const INTENS = new Set([
  'zo',
  'echt',
  'gewoon',
  'super',
  'heel',
  'erg',
  'ontzettend',
  'vreselijk',
  'verschrikkelijk',
  'enorm',
  "zo'n",
  'zon',
  'mega',
  'kei',
  'such',
  'so',
  'really',
  'very',
  'totally',
  'just',
  'fr',
  'letterlijk',
  'wel',
  'toch',
  'ook',
  'nog',
  'altijd',
  'net',
  'te',
  'allemaal',
  'alleen',
  'maar',
  'most',
  'too',
  'all',
]);
// Words between "is" and an insult that carry no meaning of their own: "de grootste", "een stelletje", "a bunch of".
const FILLER = new Set([
  'de',
  'het',
  'een',
  'grootste',
  'ergste',
  'echte',
  'totale',
  'complete',
  'absolute',
  'verzameling',
  'stel',
  'stelletje',
  'bende',
  'zooitje',
  'kudde',
  'bunch',
  'of',
  'the',
  'biggest',
  'worst',
  'kanker',
  'kk',
  'kkr',
  'tyfus',
  'tering',
  'kut',
  'klote',
  'fucking',
  'effing',
]);
const SUPERLATIVE = new Set(['grootste', 'ergste', 'biggest', 'worst']);
const PERSONISH = new Set(['person', 'group', 'you', 'third', 'name']);
// Adjectives that insult on their own when said of a person ("die juf is dom"), not criticism ("streng").
const STRONG_ADJ = new Set([
  'dom',
  'domme',
  'stom',
  'stomme',
  'lui',
  'luie',
  'lelijk',
  'lelijke',
  'dik',
  'dikke',
  'vies',
  'vieze',
  'zielig',
  'zielige',
  'sukkelig',
  'sukkelige',
  'gestoord',
  'gestoorde',
  'achterlijk',
  'achterlijke',
  'debiel',
  'debiele',
  'walgelijk',
  'walgelijke',
  'gluiperig',
  'laf',
  'sneu',
  'onbenullig',
  'ugly',
  'fat',
  'dumb',
  'stupid',
  'pathetic',
  'gross',
  'disgusting',
  'thick',
]);

// "de conrector van het Kaai College", "die juf op De Zonnewijzer": from a capitalised word back over
// the school's name to the preposition that introduces it; the index before that preposition.
function schoolNameBefore(doc: Doc, k: number): number | undefined {
  if (!doc.toks[k]?.upper) return undefined;
  for (let m = k - 1; m >= Math.max(0, k - 4); m--) {
    const t = doc.toks[m]!;
    if (['van', 'op', 'bij', 'uit', 'aan', 'at', 'from', 'of'].includes(t.key)) return m - 1;
    if (!t.upper && !['de', 'het', "'t", 't', 'the'].includes(t.key)) return undefined;
  }
  return undefined;
}

function nounAt(doc: Doc, i: number): { start: number; end: number; last: number } | undefined {
  const t = doc.toks[i];
  if (!t) return undefined;
  for (const p of MULTI.get('noun') ?? [])
    if (p.every((w, j) => doc.toks[i + j]?.key === w))
      return { start: t.start, end: doc.toks[i + p.length - 1]!.end, last: i + p.length - 1 };
  if (is(t, 'noun')) return { start: t.start, end: t.end, last: i };
  return undefined;
}

// Walks back from an insult over adjectives, intensifiers and "een/zo'n" to what it is said of.
function aimedFrom(doc: Doc, i: number): 'copula' | 'exclaim' | 'address' | 'apposition' | 'pointed' | undefined {
  const c = doc.clauses[doc.toks[i]!.clause]!;
  let j = i - 1;
  let sawAdj = false;
  let sawSuper = false;
  while (j >= c.start) {
    const t = doc.toks[j]!;
    if (is(t, 'adj') || INTENS.has(t.key)) {
      sawAdj ||= is(t, 'adj');
      j--;
      continue;
    }
    if (
      is(t, 'det') ||
      FILLER.has(t.key) ||
      (t.key === 'uit' && ['bestaat', 'bestaan'].includes(doc.toks[j - 1]?.key ?? ''))
    ) {
      sawSuper ||= SUPERLATIVE.has(t.key);
      j--;
      continue;
    }
    break;
  }
  // "de grootste sukkel van de school is meneer Jansen", "the biggest idiot at X is my mentor": the
  // person comes after the verb.
  if (sawSuper) {
    for (let k = i + 1; k < Math.min(c.end, i + 9); k++) {
      if (!COPULA.has(doc.toks[k]!.key)) continue;
      for (let m = k + 1; m < Math.min(c.end, k + 4); m++) {
        const kind = targetKind(doc.toks[m]);
        if (kind && PERSONISH.has(kind)) return 'copula';
      }
      break;
    }
  }
  const before = doc.toks[j];
  const before2 = doc.toks[j - 1];
  // "X = tyfus muts", "Die meester: een luie nietsnut"
  const gapBefore = doc.folded.slice(before ? before.end : 0, doc.toks[j + 1]?.start ?? doc.toks[i]!.start);
  if (/[=:]/.test(gapBefore) && before) return 'copula';
  if (!before || before.clause !== doc.toks[i]!.clause) {
    // "Een hork die kinderen afbrandt.": a sentence that opens with the insult describes its subject.
    if (
      doc.toks[j + 1]?.key === 'een' &&
      doc.sentences[doc.toks[i]!.sentence]!.start === j + 1 &&
      doc.toks[i]!.sentence > 0
    )
      return 'apposition';
    // A clause that is only the insult, after a comma or at the start: "…, wat een prutser" handled
    // below; "Oplichter." on its own after a post about someone; ", een slappe zeurkous".
    const prevTok = doc.toks[c.start - 1];
    if (prevTok && /,\s*$/.test(doc.folded.slice(prevTok.end, doc.toks[c.start]!.start + 1)) && c.end - c.start <= 5)
      return 'apposition';
    if (c.end - c.start <= 3 && doc.toks[c.end - 1] === doc.toks[i] && doc.toks.length > 4) return 'pointed';
    return undefined;
  }
  if (before.key === 'geen' || before.key === 'niet' || before.key === 'no' || before.key === 'not') return undefined;
  if (
    (before.key === 'wat' || before.key === 'what') &&
    (doc.toks[j + 1]?.key === 'een' || doc.toks[j + 1]?.key === 'a' || doc.toks[j + 1]?.key === 'an')
  )
    return 'exclaim';
  if (['jij', 'je', 'you', 'u', 'hey', 'he', 'hé', 'oi'].includes(before.key) && j === i - 1) return 'address';
  if (['die', 'deze', 'dat', 'that', 'this', 'those'].includes(before.key) && (sawAdj || j === i - 1)) return 'pointed';
  if (COPULA.has(before.key) || (before2 && COPULA.has(before2.key) && INTENS.has(before.key))) {
    // Said of a person, not of a plan or a building: "de directeur is een prutser", not "het rooster is
    // een ramp" or "die nieuwe regel is idioot" ("die" only points).
    for (let k = j - 1; k >= Math.max(0, j - 9); k--) {
      const school = schoolNameBefore(doc, k);
      if (school !== undefined) {
        k = school + 1;
        continue;
      }
      const kind = targetKind(doc.toks[k]);
      if (kind === 'third' && ['die', 'dat', 'deze', 'dit', 'het', 'that', 'this'].includes(doc.toks[k]!.key)) continue;
      if (kind && PERSONISH.has(kind)) return 'copula';
      // "de juf van De Arke is een heks": the school named on the way is not what is called names.
      if (doc.toks[k]!.place || ((doc.toks[k]!.key === 'de' || doc.toks[k]!.key === 'het') && doc.toks[k + 1]?.place))
        continue;
      if (kind === 'thing' || kind === 'place') return undefined;
    }
    return /^(hij|zij|ze|jij|je|die|he|she|they|you)$/.test(doc.toks[j - 1]?.key ?? '') ? 'copula' : undefined;
  }
  // "een lachertje van een schoolleider"
  if (doc.toks[i + 1]?.key === 'van' && doc.toks[i + 2]?.key === 'een') return 'copula';
  return undefined;
}

const STARRED = [
  'kanker',
  'kankerlijer',
  'kankerhoer',
  'tyfus',
  'tering',
  'klootzak',
  'lul',
  'hoer',
  'kut',
  'fuck',
  'shit',
  'bitch',
  'mongool',
  'idioot',
  'sukkel',
  'eikel',
  'kutwijf',
  'teringlijer',
  'tyfuslijer',
  'kutjoch',
];

export function nameCalling(doc: Doc): Evidence[] {
  const out: Evidence[] = [];
  const add = (start: number, end: number) => out.push({ start, end, text: doc.text.slice(start, end) });
  for (let i = 0; i < doc.toks.length; i++) {
    const t = doc.toks[i]!;
    const noun = nounAt(doc, i);
    if (noun) {
      // "ik ben echt zo'n sukkel", "I'm such an idiot": about oneself.
      const c = doc.clauses[t.clause]!;
      if (doc.toks.slice(c.start, i).some((x) => ['ik', 'i', "i'm", 'im', 'k', 'we', "we're"].includes(x.key))) {
        i = noun.last;
        continue;
      }
      const how = aimedFrom(doc, i);
      if (how) add(noun.start, noun.end);
      i = noun.last;
      continue;
    }
    // "een dom mens", "die gefrustreerde tante", "a bitter old hag"
    if (
      is(t, 'adj') &&
      (is(doc.toks[i + 1], 'holder') || (is(doc.toks[i + 1], 'adj') && is(doc.toks[i + 2], 'holder')))
    ) {
      const holder = is(doc.toks[i + 1], 'holder') ? i + 1 : i + 2;
      const fragment = doc.clauses[t.clause]!.start === i && doc.toks[i]!.sentence > 0;
      if (
        fragment ||
        aimedFrom(doc, i) ||
        ['een', 'a', 'an', "zo'n", 'die', 'dat', 'wat'].includes(doc.toks[i - 1]?.key ?? '')
      ) {
        if (doc.toks[i - 1]?.key !== 'geen') add(t.start, doc.toks[holder]!.end);
      }
      continue;
    }
    // "die juf is zo dom", "he is so useless"
    if (
      STRONG_ADJ.has(t.key) &&
      (doc.toks[i + 1]?.clause !== t.clause ||
        !doc.toks[i + 1] ||
        !/^\p{L}/u.test(doc.toks[i + 1]!.key) ||
        [
          'en',
          'and',
          'als',
          'haha',
          'lol',
          'dat',
          'om',
          'hoor',
          'joh',
          'zeg',
          'ofzo',
          'toch',
          'echt',
          'dan',
          'that',
          'lmao',
          'xd',
        ].includes(doc.toks[i + 1]!.key))
    ) {
      let j = i - 1;
      while (j >= 0 && INTENS.has(doc.toks[j]!.key)) j--;
      const cop = doc.toks[j];
      if (cop && COPULA.has(cop.key) && cop.clause === t.clause) {
        for (let k = j - 1; k >= Math.max(0, j - 8); k--) {
          const school = schoolNameBefore(doc, k);
          if (school !== undefined) {
            k = school + 1;
            continue;
          }
          const kind = targetKind(doc.toks[k]);
          if (
            doc.toks[k]!.place ||
            ((doc.toks[k]!.key === 'de' || doc.toks[k]!.key === 'het') && doc.toks[k + 1]?.place)
          )
            continue;
          if (
            kind === 'thing' ||
            kind === 'place' ||
            ['het', 'dat', 'dit', 'it', 'this', 'ik', 'i'].includes(doc.toks[k]!.key)
          )
            break;
          if (kind && PERSONISH.has(kind)) {
            add(doc.toks[k]!.start, t.end);
            break;
          }
        }
      }
    }
  }
  // Words with letters starred out: "k*nkerlijer", "l*l".
  for (const m of doc.folded.matchAll(/(?<![\p{L}*])\p{L}+\*+\p{L}*(?![\p{L}*])/gu)) {
    const re = new RegExp(`^${m[0].replace(/\*+/g, '\\p{L}{1,3}')}$`, 'u');
    if ([...NC.keys()].some((w) => NC.get(w)!.has('noun') && re.test(w)) || STARRED.some((w) => re.test(w)))
      out.push({
        start: m.index!,
        end: m.index! + m[0].length,
        text: doc.text.slice(m.index!, m.index! + m[0].length),
      });
  }
  // A clown emoji said of someone: "de juf van groep 8 is een 🤡", "meneer Wiersma 🤡🤡".
  for (const m of doc.text.matchAll(/🤡+/gu)) {
    const before = doc.folded.slice(Math.max(0, m.index! - 40), m.index!);
    if (
      /\b(is|bent|zijn|die|deze|juf|meester|meneer|mevrouw|docent|leraar|directeur|mentor|conciërge|concierge|rector|he|she)\b/.test(
        before,
      )
    )
      add(m.index!, m.index! + m[0].length);
  }
  return out;
}

const defamationRe = new PhraseSet(phrasesByKind('defamation.tsv').get('accuse') ?? []);
const SPECIFIC =
  /\b(juf|juffrouw|meester|meneer|mevrouw|mevr|docent|docente|leraar|lerares|leerkracht|mentor|directeur|directrice|rector|conrector|conciërge|concierge|teamleider|afdelingsleider|locatieleider|decaan|intern begeleider|voorzitter|penningmeester|gymleraar|gymjuf|invaller|stagiair|stagiaire|bestuurder|the (head|headteacher|principal|teacher)|mr|mrs|ms)\b/;

// An accusation of a crime or abuse, said as a fact of a particular person: defamation, and a claim
// that may be false. Hearsay ("ik hoorde dat …") keeps it a rumour (inaccuracy) only when no person is named.
export function defamation(doc: Doc): Evidence[] {
  const out: Evidence[] = [];
  for (const m of defamationRe.all(doc.folded)) {
    const s = doc.sentences[doc.toks.find((t) => t.start >= m.index)?.sentence ?? 0]!;
    const sentence = doc.folded.slice(doc.toks[s.start]!.start, doc.toks[s.end - 1]!.end);
    const named = doc.toks.slice(s.start, s.end).some((t) => targetKind(t) === 'name');
    if (!SPECIFIC.test(sentence) && !named) continue;
    if (/\?\s*$/.test(doc.text.slice(doc.toks[s.end - 1]!.end, doc.toks[s.end - 1]!.end + 2))) continue;
    out.push({ start: m.index, end: m.index + m[0].length, text: doc.text.slice(m.index, m.index + m[0].length) });
  }
  return out;
}
