import { isPerson } from './shaming.ts';
import { fold, readList, readWeights, type Token } from './text.ts';
import { PhraseSet } from './phrases.ts';
import type { Evidence, Sentiment } from './types.ts';
import type { Doc } from './doc.ts';
import { features, LABELS, reasons, scores, sentimentModel, type RuleSignals } from './model.ts';

// Sentiment toward the school and its people, from weighted words with the rules a careful reader
// applies: negation has a reach ("niet blij", "geen enkele klacht"), intensifiers strengthen ("heel
// erg leuk"), after "maar" the rest counts more, irony turns praise around ("geweldig hoor" after a
// complaint, 🙄), rhetorical questions complain, and plain questions and announcements stay neutral.
// Every word that counted is returned as evidence with its weight.

const OWN_NL = readWeights('sentiment-nl.tsv');

function dutchLexicon(): Map<string, number> {
  const map = new Map<string, number>();
  for (const [w, v] of readWeights('lupje.tsv')) if (Math.abs(v) >= 2) map.set(w, v);
  for (const [w, v] of readWeights('lupje-review.tsv')) {
    map.set(w, v); // 0 stays listed, so that no word ending is stripped to find a meaning
  }
  for (const [w, v] of OWN_NL) map.set(w, v);
  return map;
}

const NL = dutchLexicon();
const HEADS = new Map([...OWN_NL].filter(([w, v]) => v <= -2 && w.length >= 5));
const EN = readWeights('sentiment-en.tsv');
const EMOJI = new Map(
  readList('emoji.tsv')
    .map((l) => l.split('\t') as [string, string])
    .map(([e, v]) => [e, Number(v)]),
);
const NEGATORS = new Set(readList('negators.txt').map(fold));
const INTENSIFIERS = readWeights('intensifiers.tsv');
const CONTRAST = new Set(readList('contrast.txt').map(fold));
const PHRASE_LINES = readList('phrases-nl.tsv').map((l) => l.split('\t'));
const PHRASES = new PhraseSet(PHRASE_LINES.map(([p]) => p!.trim()));
const PHRASE_WEIGHTS = PHRASE_LINES.map(([, w]) => Number(w));
const SARCASM = readList('sarcasm.txt');
// Cues that are ironic on their own; the others ("geweldig hoor", "weer eens") only next to a complaint.
const STRONG_SARCASM = new Set([
  'ja hoor',
  'jaja',
  'ja ja',
  'nou lekker',
  'lekker dan',
  'yeah right',
  '/s',
  '🙄',
  '🤡',
  '🙃',
  '😒',
]);
const sarcasmStrong = new PhraseSet(SARCASM.filter((s) => STRONG_SARCASM.has(s) && /^\p{L}/u.test(s)));
const sarcasmWeak = new PhraseSet(SARCASM.filter((s) => !STRONG_SARCASM.has(s) && /^\p{L}/u.test(s)));
const sarcasmSymbols = SARCASM.filter((s) => !/^\p{L}/u.test(s)).map(
  (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gu'),
);
const RHETORICAL = new PhraseSet(readList('rhetorical.txt'));

const emojiKeys = [...EMOJI.keys()].sort((a, b) => b.length - a.length);
const emojiRe = new RegExp(emojiKeys.map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');

// Word endings to try when a word is not listed itself: "leuke" → "leuk", "slechtste" → "slecht".
const ENDINGS = ['ste', 'st', 'ere', 'er', 'en', 'e', 's', "'s"];
// English words that Dutch posts use as they are ("echt nice", "wat een fail").
const LOANWORDS = new Set(readList('loanwords.txt').map(fold));
const PRAISE_PREFIX = ['super', 'mega', 'hyper', 'kei', 'reuze', 'bere', 'oer', 'dolle', 'hartstikke', 'ultra'];
const TOP_PREFIX = ['top', 'droom', 'super'];
const CURSE_PREFIX = [
  'kanker',
  'kenker',
  'kk',
  'kkr',
  'tyfus',
  'tering',
  'klere',
  'kolere',
  'pleuris',
  'kut',
  'klote',
  'rot',
  'kloten',
  'waardeloze',
  'bagger',
];

// Words come back text after text: what a word weighs is worked out once per lexicon.
const memo = new Map<Map<string, number>, Map<string, number | undefined>>();
function lookup(lex: Map<string, number>, w: string, depth = 0): number | undefined {
  if (depth > 0) return lookupRaw(lex, w, depth);
  let m = memo.get(lex);
  if (!m) memo.set(lex, (m = new Map()));
  if (m.has(w)) return m.get(w);
  const v = lookupRaw(lex, w, 0);
  if (m.size > 50_000) m.clear();
  m.set(w, v);
  return v;
}

function lookupRaw(lex: Map<string, number>, w: string, depth = 0): number | undefined {
  const direct = lex.get(w);
  if (direct !== undefined) return direct;
  for (const e of ENDINGS) {
    if (w.length - e.length >= 4 && w.endsWith(e)) {
      const stem = w.slice(0, -e.length);
      const v = lex.get(stem) ?? (/(.)\1$/.test(stem) ? lex.get(stem.slice(0, -1)) : undefined); // "kapotte" → "kapot"
      if (v !== undefined) return v;
    }
  }
  if (depth > 0 || w.length < 6) return undefined;
  // Dutch compounds: "superleuk", "topschool", "kutschool", "onvriendelijk".
  // A curse before a person is an insult; before the weather it is only a mood.
  for (const p of CURSE_PREFIX)
    if (w.startsWith(p) && w.length > p.length + 2) return isPerson(w.slice(p.length)) ? -4 : -1;
  for (const p of PRAISE_PREFIX) {
    if (w.startsWith(p)) {
      const v = lookup(lex, w.slice(p.length).replace(/^-/, ''), 1);
      if (v !== undefined) return Math.max(-5, Math.min(5, v * 1.5));
    }
  }
  for (const p of TOP_PREFIX) if (w.startsWith(p) && w.length > p.length + 3) return 3;
  if (w.startsWith('on')) {
    const v = lookup(lex, w.slice(2), 1);
    if (v !== undefined && v > 0) return -v;
  }
  // The head of a compound carries its feeling: "examenfraude", "roosterchaos". Only our own,
  // clearly negative words: positive heads hide in ordinary words ("klas-genoten").
  for (let i = 3; i <= w.length - 5; i++) {
    const v = HEADS.get(w.slice(i));
    if (v !== undefined) return v;
  }
  return undefined;
}

export const STOPWORDS = new Set(
  'hem mij me jou zich mijn mn uw er nu dus zo dit daar hier de het een en van in op is zijn voor met te dat die deze dit niet geen ook er als maar bij aan om uit tot naar wordt worden heeft hebben kan mag moet hun haar ons onze jullie jij je ik we wij zij ze hij the and for with this that are was were have has our your you they them their its wat hoe wie waar nog al dan toch wel zo heel erg echt gewoon'.split(
    ' ',
  ),
);

// A word's feeling in the lexicons (Dutch, English for loanwords and English posts), or undefined.
export const wordWeight = (w: string, language = 'nl') =>
  lookup(language === 'en' ? EN : NL, w) ?? (language !== 'en' && LOANWORDS.has(w) ? EN.get(w) : undefined);

export type SentimentInput = {
  text: string;
  folded: string;
  tokens: Token[];
  language: string;
  context?: { start: number; end: number; weight: number }[];
  doc?: Doc;
  risks?: string[];
};

type Hit = { start: number; end: number; weight: number; sentence: number; kind: 'word' | 'phrase' | 'emoji' | 'rule' };

const NOT_VERBS = new Set(['gelukkig', 'helaas', 'eigenlijk', 'echt', 'zeker']);
const round = (n: number) => Math.round(n * 1000) / 1000;

export function sentiment(input: SentimentInput): Sentiment {
  const rules = ruleSentiment(input);
  const model = sentimentModel();
  if (!model || !input.doc) return rules.sentiment;
  const fs = features(input.doc, rules.signals);
  const p = scores(model, fs);
  const best = p.indexOf(Math.max(...p));
  const label = LABELS[best]!;
  // Evidence: the words the lexicon weighed in the label's direction, and the words the model leaned on.
  const want = (w: number) => (label === 'positive' ? w > 0 : label === 'negative' ? w < 0 : false);
  const lexical = (rules.sentiment.evidence ?? []).filter(
    (e) => e.weight !== undefined && (label === 'neutral' || want(e.weight)),
  );
  const learned: Evidence[] = [];
  for (const f of reasons(model, fs, best)) {
    const text = input.text.slice(f.start!, f.end!);
    // Content words only, each once: "een" or "de" explain nothing to a reader.
    if (
      text.length < 3 ||
      STOPWORDS.has(text.toLowerCase()) ||
      [...lexical, ...learned].some((e) => e.start < f.end! && f.start! < e.end)
    )
      continue;
    learned.push({
      start: f.start!,
      end: f.end!,
      text,
      weight: round((label === 'negative' ? -1 : 1) * Math.min(2, f.value)),
      by: 'model',
    });
  }
  const evidence = [...lexical, ...(label === 'neutral' ? [] : learned)].sort((a, b) => a.start - b.start);
  return { label, score: round(p[2]! - p[0]!), evidence };
}

export function ruleSentiment({ text, folded, tokens, language, context = [], risks = [] }: SentimentInput): {
  sentiment: Sentiment;
  signals: RuleSignals;
} {
  const hits: Hit[] = [];
  const lex = language === 'en' ? EN : NL;
  const confident = language === 'nl' || language === 'en';
  // Sentence numbers by offset, for contrast and question rules.
  const sentenceOf = sentenceIndexer(folded);

  const consumed = new Uint8Array(folded.length);
  if (confident) {
    for (const m of PHRASES.all(folded)) {
      const start = m.index;
      const end = start + m[0].length;
      consumed.fill(1, start, end);
      hits.push({ start, end, weight: PHRASE_WEIGHTS[m.id]!, sentence: sentenceOf(start), kind: 'phrase' });
    }
  }
  emojiRe.lastIndex = 0;
  for (const m of text.matchAll(emojiRe)) {
    const start = m.index!;
    // ":D" and ":(" only as emoticons, not inside "http://"
    if (/^[:;<]/.test(m[0]) && /\S/.test(text[start - 1] ?? ' ')) continue;
    hits.push({
      start,
      end: start + m[0].length,
      weight: EMOJI.get(m[0]) ?? 0,
      sentence: sentenceOf(start),
      kind: 'emoji',
    });
  }

  if (confident) {
    let negation = 0;
    let negationAt = -1;
    let boost = 1;
    let boostLeft = 0;
    let prevEnd = 0;
    const contrastFrom = new Map<number, number>(); // sentence → offset where "maar" starts
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      // A comma, semicolon or sentence end stops negation and intensifiers.
      if (/[,;:.!?\n(]/.test(folded.slice(prevEnd, t.start))) {
        negation = 0;
        boostLeft = 0;
      }
      prevEnd = t.end;
      if (consumed[t.start]) continue;
      const w = t.norm;
      if (NEGATORS.has(w)) {
        // "luistert nooit", "reageert niet": after a verb with a feeling and nothing to negate ahead.
        const last = hits[hits.length - 1];
        const ahead = tokens.slice(i + 1, i + 4).some((n) => !consumed[n.start] && (lookup(lex, n.norm) ?? 0) !== 0);
        if (
          !ahead &&
          last &&
          last.kind === 'word' &&
          last.weight > 0 &&
          !NOT_VERBS.has(tokens[i - 1]!.norm) &&
          tokens[i - 1]?.end === last.end &&
          !/[,;:.!?\n]/.test(folded.slice(last.end, t.start))
        ) {
          last.weight = -last.weight * 0.8;
          continue;
        }
        negation = 3;
        negationAt = i;
        continue;
      }
      if (CONTRAST.has(w) && !(w === 'alleen' && i + 1 < tokens.length && tokens[i + 1]!.norm === 'maar')) {
        const s = sentenceOf(t.start);
        if (!contrastFrom.has(s)) contrastFrom.set(s, t.start);
        negation = 0;
        continue;
      }
      const mult = INTENSIFIERS.get(w);
      if (mult !== undefined && i + 1 < tokens.length && lookup(lex, tokens[i + 1]!.norm) !== undefined) {
        boost *= mult;
        boostLeft = 2;
        continue;
      }
      let v = lookup(lex, w);
      if (v === undefined && language === 'nl' && LOANWORDS.has(w)) v = EN.get(w);
      if (v === undefined) {
        if (negation > 0 && i - negationAt >= 3) negation = 0;
        if (boostLeft > 0) boostLeft--;
        if (!boostLeft) boost = 1;
        continue;
      }
      let weight = v * boost;
      if (
        t.end - t.start >= 3 &&
        text.slice(t.start, t.end) === text.slice(t.start, t.end).toUpperCase() &&
        /\p{Lu}/u.test(text.slice(t.start, t.end))
      )
        weight *= 1.3;
      if (negation > 0 && i - negationAt <= 3) {
        // "niet blij" is a complaint; "niet slecht" is faint praise.
        weight = weight > 0 ? -weight * 0.8 : Math.min(1, -weight * 0.35);
        negation = 0;
      }
      boost = 1;
      boostLeft = 0;
      hits.push({ start: t.start, end: t.end, weight, sentence: sentenceOf(t.start), kind: 'word' });
    }
    for (const h of hits) {
      const from = contrastFrom.get(h.sentence);
      if (from === undefined) continue;
      h.weight *= h.start < from ? 0.5 : 1.5;
    }
  }

  let negative = hits.reduce((s, h) => s + Math.min(0, h.weight), 0);
  // Irony: strong cues turn praise around by themselves; weak ones only in a post that complains.
  const strong = confident ? sarcasmStrong.all(folded) : [];
  const weak = confident ? sarcasmWeak.all(folded) : [];
  const symbols = sarcasmSymbols.flatMap((re) => [...text.matchAll(re)]);
  const rhetorical = confident ? RHETORICAL.all(folded) : [];
  for (const m of rhetorical) {
    hits.push({
      start: m.index!,
      end: m.index! + m[0].length,
      weight: -2.5,
      sentence: sentenceOf(m.index!),
      kind: 'rule',
    });
    negative -= 2.5;
  }
  const clap = [...text.matchAll(/👏/gu)];
  const ironic = strong.length + symbols.length > 0 || ((weak.length > 0 || clap.length > 0) && negative <= -2);
  if (ironic) {
    for (const h of hits) if (h.weight > 0) h.weight = -h.weight * 0.8;
    for (const m of [...strong, ...weak, ...symbols, ...(negative <= -2 ? clap : [])]) {
      hits.push({
        start: m.index!,
        end: m.index! + m[0].length,
        weight: -1.5,
        sentence: sentenceOf(m.index!),
        kind: 'rule',
      });
    }
  }

  // Plain questions ("Weet iemand wanneer de open dag is?") carry little feeling.
  const questions = new Set<number>();
  for (let q = folded.indexOf('?'); q >= 0; q = folded.indexOf('?', q + 1)) questions.add(sentenceOf(q));
  // Complaints are often asked ("Hoe lang nog?"): questions soften praise more than criticism.
  for (const h of hits) if (h.kind !== 'rule' && questions.has(h.sentence)) h.weight *= h.weight > 0 ? 0.5 : 0.8;
  // What the risk rules found colours the feeling: threats and insults are hostile, rumours worry.
  for (const r of context)
    hits.push({ start: r.start, end: r.end, weight: r.weight, sentence: sentenceOf(r.start), kind: 'rule' });

  const sum = hits.reduce((s, h) => s + h.weight, 0);
  const score = sum / Math.sqrt(sum * sum + 15);
  const label = score >= 0.3 ? 'positive' : score <= -0.3 ? 'negative' : 'neutral';
  const evidence: (Evidence & { weight: number })[] = hits
    .filter((h) => Math.abs(h.weight) >= 0.25)
    .sort((a, b) => a.start - b.start)
    .map((h) => ({ start: h.start, end: h.end, text: text.slice(h.start, h.end), weight: round(h.weight) }));
  const signals: RuleSignals = {
    score: round(score),
    positive: hits.filter((h) => h.weight > 0).reduce((a, h) => a + h.weight, 0),
    negative: -hits.filter((h) => h.weight < 0).reduce((a, h) => a + h.weight, 0),
    risks,
    ironic,
    contrast: /\b(maar|alleen|helaas|jammer|toch|but|however)\b/.test(folded),
    after: (() => {
      const m = /\b(maar|alleen|helaas|jammer|but|however)\b(?!.*\b(maar|alleen|helaas|jammer|but|however)\b)/s.exec(
        folded,
      );
      return m ? hits.filter((h) => h.start > m.index).reduce((a, h) => a + h.weight, 0) : 0;
    })(),
    question: questions.size > 0,
    negation: tokens.some((t) => NEGATORS.has(t.norm)),
    exclaim: /!/.test(text),
  };
  return { sentiment: { label, score: round(score), evidence }, signals };
}

function sentenceIndexer(folded: string): (offset: number) => number {
  const ends: number[] = [];
  for (const m of folded.matchAll(/[.!?\n]+/g)) ends.push(m.index! + m[0].length);
  return (offset) => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
