import { readFileSync } from 'node:fs';

// The classifiers read a folded copy of the text that has exactly the original's length, so every
// match offset is also an offset into the original and evidence spans need no mapping back:
// lower case, accents off (ë → e), and the spelling games of insults undone inside words
// (k@nker, l00ser, t3ring, $ukkel). Characters whose lower case changes length stay as they are.

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '1': 'i',
  '!': 'i',
  '3': 'e',
  '€': 'e',
  '5': 's',
  $: 's',
  '7': 't',
  '|': 'l',
};
const isLetter = (c: string | undefined) => !!c && /\p{L}/u.test(c);

const foldCache = new Map<string, string>();
function foldChar(c: string): string {
  let f = foldCache.get(c);
  if (f === undefined) {
    const lower = c.toLowerCase();
    const plain = lower.normalize('NFD').replace(/\p{M}/gu, '');
    f = plain.length === c.length ? plain : lower.length === c.length ? lower : c;
    foldCache.set(c, f);
  }
  return f;
}

// The last text folded: a post's text is folded by the classifiers and again by the policy's rules.
let foldedIn = '';
let foldedOut = '';
export function fold(text: string): string {
  if (text === foldedIn) return foldedOut;
  const out = foldText(text);
  foldedIn = text;
  foldedOut = out;
  return out;
}

function foldText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (code < 128 && !(c in LEET)) {
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
      continue;
    }
    const leet = LEET[c];
    if (leet) {
      // Only inside a word that has letters on both sides or a letter on one side and goes on as a
      // word ("k@nker", "l00ser", "$ukkel"): "@handle", "06-12345678" and "€ 45" stay as they are.
      const prev = text[i - 1];
      const next = text[i + 1];
      const letterBefore = isLetter(prev);
      const letterAfter = isLetter(next);
      let inWord = letterBefore && letterAfter;
      if (!inWord && (letterBefore || letterAfter) && c !== '@') {
        // "l00ser": a run of look-alikes with letters on both sides. "gymzaal! Daar" is a sentence end.
        const far = letterBefore ? text[i + 2] : text[i - 2];
        const run = letterBefore ? next !== undefined && next in LEET : prev !== undefined && prev in LEET;
        inWord = run && isLetter(far);
      }
      if (!inWord && c === '$' && letterAfter && !/[\p{L}\p{N}]/u.test(prev ?? '')) inWord = true;
      out += inWord ? leet : c;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      out += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    out += foldChar(c);
  }
  return out;
}

export type Token = { norm: string; start: number; end: number; upper: boolean };

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

// Words of the folded text with their offsets; `upper` says the original started with a capital.
export function words(text: string, folded: string): Token[] {
  const out: Token[] = [];
  for (const m of folded.matchAll(WORD)) {
    const start = m.index!;
    const first = text[start]!;
    out.push({ norm: m[0], start, end: start + m[0].length, upper: first !== first.toLowerCase() });
  }
  return out;
}

// "k a n k e r", "k.a.n.k.e.r", "t-e-r-i-n-g": single letters with one separator between them, read
// as the word they spell. Returned with the span of the whole run.
export function spacedWords(folded: string): { norm: string; start: number; end: number }[] {
  const out: { norm: string; start: number; end: number }[] = [];
  for (const m of folded.matchAll(/(?<![\p{L}\p{N}])\p{L}(?:[ .\-_*]\p{L}){2,}(?![\p{L}\p{N}])/gu)) {
    out.push({ norm: m[0].replace(/[ .\-_*]/g, ''), start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

// A sentence that only asks ("klopt het dat …?", "gaat de school dicht?") and claims nothing.
export const QUESTION_ONLY =
  /^\s*(klopt het|klopt dat|is het waar|is het zo|weet iemand|kan iemand|heeft iemand|gaat|gaan|wordt|worden|heeft|hebben|is|zijn|mag|mogen|moet|moeten|komt|komen|klopt|does|is it true|can anyone|has anyone|will|is there)\b[^?]*\?+\s*$/;

// Sentence ends, for rules that must stay within one sentence.
// A point between digits ("8.30", "€ 1.50") ends no sentence.
const ends = (folded: string, i: number) =>
  /[.!?\n]/.test(folded[i]!) &&
  !(folded[i] === '.' && /\d/.test(folded[i - 1] ?? '') && /\d/.test(folded[i + 1] ?? ''));
// The sentence ends of the last text asked about, found once: a post without full stops is one long
// sentence, and walking it for every word would take quadratic time.
let endsOf = '';
let endsAt: number[] = [];
export function sentenceAt(folded: string, index: number): { start: number; end: number } {
  if (folded !== endsOf) {
    endsOf = folded;
    endsAt = [];
    for (let i = 0; i < folded.length; i++) if (ends(folded, i)) endsAt.push(i);
  }
  // The first end at or after index; the sentence starts after the end before it.
  let lo = 0;
  let hi = endsAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (endsAt[mid]! < index) lo = mid + 1;
    else hi = mid;
  }
  return { start: lo > 0 ? endsAt[lo - 1]! + 1 : 0, end: lo < endsAt.length ? endsAt[lo]! : folded.length };
}

// Data files: one entry per line, `#` starts a comment (each file says where its words came from).
export function readList(name: string): string[] {
  return readFileSync(new URL(`./lexicon/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

// Word<TAB>weight files.
export function readWeights(name: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of readList(name)) {
    const [word, weight] = line.split('\t');
    if (word && weight !== undefined && Number.isFinite(Number(weight))) map.set(fold(word.trim()), Number(weight));
  }
  return map;
}
