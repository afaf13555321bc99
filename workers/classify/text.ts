import { readFileSync } from 'node:fs';

// The classifiers read a folded copy of the text that has exactly the original's length, so every
// match offset is also an offset into the original and evidence spans need no mapping back:
// lower case, accents off (ë → e), and the spelling games of insults undone inside words
// (k@nker, l00ser, t3ring, $ukkel). Characters whose lower case changes length stay as they are.

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', '€': 'e', '5': 's', '$': 's', '7': 't', '|': 'l' };
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

export function fold(text: string): string {
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
        // "l00ser": look one further for a letter across a run of look-alikes.
        const far = letterBefore ? text[i + 2] : text[i - 2];
        inWord = isLetter(far) || (letterBefore ? next in LEET : prev in LEET);
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
  for (const m of folded.matchAll(/(?<![\p{L}\p{N}])\p{L}(?:[ .\-_*]\p{L}){3,}(?![\p{L}\p{N}])/gu)) {
    out.push({ norm: m[0].replace(/[ .\-_*]/g, ''), start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

// Sentence ends, for rules that must stay within one sentence.
export function sentenceAt(folded: string, index: number): { start: number; end: number } {
  let start = index;
  while (start > 0 && !/[.!?\n]/.test(folded[start - 1]!)) start--;
  let end = index;
  while (end < folded.length && !/[.!?\n]/.test(folded[end]!)) end++;
  return { start, end };
}

// A compiled list of phrases from a data file. Syntax per line: words separated by spaces; `*` at the
// end of a word allows any ending ("ontslag*"); `~` stands for up to three other words and `~5` for
// up to five; `(a|b)` offers alternatives and `(a )?` makes a word optional. Matching is on the folded
// text, so case, accents and leetspeak do not matter.
function phraseSource(p: string): string {
  let out = '';
  for (const w of p.trim().split(/\s+/)) {
    // A gap may close a group: "(hij|die ~) woont".
    const gap = /^~(\d*)(\)*)$/.exec(w);
    if (gap) out += `(?:\\s+[^\\s.!?]+){0,${gap[1] || 3}}${gap[2]}`;
    else out += (out ? '\\s+' : '') + w.replace(/[.+^${}[\]\\]/g, '\\$&').replace(/\*/g, '[\\p{L}\\p{N}]*');
  }
  return out;
}

// The words a phrase can start with, or undefined when that is not plain (an optional first word).
function firstWords(p: string): string[] | undefined {
  const s = p.trim();
  if (!s.startsWith('(')) {
    const w = s.split(/\s+/)[0]!;
    return /^[\p{L}\p{N}]/u.test(w) && !/[()?]/.test(w) ? [w] : undefined;
  }
  let depth = 0;
  let end = -1;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '(') depth++;
    else if (s[k] === ')' && --depth === 0) {
      end = k;
      break;
    }
  }
  if (end < 0 || s[end + 1] === '?') return undefined;
  const alternatives = s.slice(1, end).split('|').map((a) => a.trim().split(/\s+/)[0] ?? '');
  return alternatives.every((w) => /^[\p{L}\p{N}]/u.test(w) && !/[()?]/.test(w)) ? alternatives : undefined;
}

export type PhraseMatch = { index: number; 0: string; id: number };

const WORD_START = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
let lastText = '';
let lastWords: { start: number; norm: string }[] = [];
function wordsOf(folded: string) {
  if (folded !== lastText) {
    lastText = folded;
    lastWords = [...folded.matchAll(WORD_START)].map((m) => ({ start: m.index!, norm: m[0] }));
  }
  return lastWords;
}

// Phrases are only tried where a word starts that one of them can start with, each with its own
// sticky expression: far cheaper than one big alternation tried at every character.
export class PhraseSet {
  private readonly sticky: RegExp[];
  private readonly exact = new Map<string, number[]>();
  private readonly prefixes: { prefix: string; id: number }[] = [];
  private readonly everywhere: number[] = [];
  constructor(readonly phrases: string[]) {
    this.sticky = phrases.map((p) => new RegExp(`(?:${phraseSource(p)})(?![\\p{L}\\p{N}])`, 'uy'));
    phrases.forEach((p, id) => {
      const first = firstWords(p);
      if (!first) return this.everywhere.push(id);
      for (const w of first) {
        if (w.endsWith('*')) this.prefixes.push({ prefix: w.slice(0, -1), id });
        else this.exact.set(w, [...(this.exact.get(w) ?? []), id]);
      }
    });
  }

  // Like String.matchAll: in order of position, not overlapping; at one position the first phrase
  // in the file wins.
  all(folded: string): PhraseMatch[] {
    const out: PhraseMatch[] = [];
    let after = 0;
    for (const w of wordsOf(folded)) {
      if (w.start < after) continue;
      const ids = [...(this.exact.get(w.norm) ?? []), ...this.everywhere];
      for (const p of this.prefixes) if (w.norm.startsWith(p.prefix)) ids.push(p.id);
      if (!ids.length) continue;
      if (ids.length > 1) ids.sort((a, b) => a - b);
      for (const id of ids) {
        const re = this.sticky[id]!;
        re.lastIndex = w.start;
        const m = re.exec(folded);
        if (m) {
          out.push({ index: w.start, 0: m[0], id });
          after = w.start + m[0].length;
          break;
        }
      }
    }
    return out;
  }

  test(folded: string): boolean {
    return this.all(folded).length > 0;
  }
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
