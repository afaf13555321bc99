// A compiled list of phrases from a data file. Syntax per line: words separated by spaces; `*` at the
// end of a word allows any ending ("ontslag*"); `~` stands for up to three other words and `~5` for
// up to five; `(a|b)` offers alternatives and `(a )?` makes a word optional. Matching is on the folded
// text, so case, accents and leetspeak do not matter.
// Words in a phrase may have quotes between them: "over hoe 'volwassen' ze eruit zien".
const SEP = `['"‘’“”]?\\s+['"‘’“”]?`;

// "a|(b|c) d|e" → ["a", "(b|c) d", "e"]: alternatives at the top level only.
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '|' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  return [...out, cur];
}

function phraseSource(p: string): string {
  let out = '';
  for (const w of p.trim().split(/\s+/)) {
    // A gap may close a group: "(hij|die ~) woont".
    const gap = /^~(\d*)(\)*)$/.exec(w);
    if (gap) out += `(?:${SEP}[^\\s.!?]+){0,${gap[1] || 3}}${gap[2]}`;
    else out += (out ? SEP : '') + w.replace(/[.+^${}[\]\\]/g, '\\$&').replace(/\*/g, '[\\p{L}\\p{N}]*');
  }
  return out;
}

// The words a phrase can start with, or undefined when that cannot be said (a word with a bracket
// inside it). Groups are followed into: "(maar )?(beter )?niet …" can start with "maar", "beter" or "niet".
function firstWords(p: string): string[] | undefined {
  const s = p.trim();
  if (!s) return undefined;
  if (!s.startsWith('(')) {
    const w = s.split(/\s+/)[0]!;
    return /^[\p{L}\p{N}]/u.test(w) && !/[()?|~]/.test(w) ? [w] : undefined;
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
  if (end < 0) return undefined;
  const optional = s[end + 1] === '?';
  if (s[end + 1] === '*') return undefined;
  // "(dood|dodelijk)(normaal|saai)", "(long|borst)kanker": the group begins a longer word.
  const glued = s[end + (optional ? 2 : 1)];
  if (
    glued !== undefined &&
    !/\s/.test(glued) &&
    !s
      .slice(1, end)
      .split('|')
      .every((a) => a.endsWith(' '))
  ) {
    if (optional) return undefined;
    const alts = s.slice(1, end).split('|');
    return alts.every((a) => /^[\p{L}\p{N}'-]+$/u.test(a)) ? alts.map((a) => a + '*') : undefined;
  }
  const rest = s.slice(end + (optional ? 2 : 1));
  const out: string[] = [];
  for (const a of splitTop(s.slice(1, end))) {
    // An alternative that is only spaces continues with what follows the group.
    const words = firstWords(a.trim() ? a + (a.endsWith(' ') ? '' : ' ') + rest : rest);
    if (!words) return undefined;
    out.push(...words);
  }
  if (optional) {
    const words = firstWords(rest);
    if (!words) return undefined;
    out.push(...words);
  }
  return [...new Set(out)];
}

export type PhraseMatch = { index: number; 0: string; id: number };

// The words a phrase cannot match without: its plain words and its one-word groups outside any optional
// part ("bom ~ (in|op) ~ (school|gebouw)" needs "bom", one of "in|op" and one of "school|gebouw"). A text
// without them is not worth trying the phrase on.
function needsOf(p: string): string[][] {
  const out: string[][] = [];
  let depth = 0;
  let cur = '';
  const parts: string[] = [];
  for (const ch of p.trim() + ' ') {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (/\s/.test(ch) && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  for (const part of parts) {
    if (/^[\p{L}\p{N}]+$/u.test(part)) out.push([part]);
    else if (
      /^\([^()]+\)$/.test(part) &&
      part
        .slice(1, -1)
        .split('|')
        .every((a) => /^[\p{L}\p{N}]+$/u.test(a))
    )
      out.push(part.slice(1, -1).split('|'));
  }
  return out;
}

const WORD_START = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

// Every PhraseSet registers the words its phrases can start with in one shared index, so a text's
// words are looked up once for all sets (there are ~45), not once per set.
export const registry: PhraseSet[] = [];
const byWord = new Map<string, number[]>(); // word → sets with a phrase starting with it
// a prefix's head (its first three letters, or all of a shorter one) → sets with a prefix phrase ("ontslag*")
const byHead = new Map<string, number[]>();
const headOf = (prefix: string) => prefix.slice(0, 3);
// The heads a word's prefixes can have: its first one, two and three letters.
const headsOf = (w: string) =>
  w.length >= 3 ? [w[0]!, w.slice(0, 2), w.slice(0, 3)] : w.length === 2 ? [w[0]!, w] : [w];
const addTo = (index: Map<string, number[]>, key: string, set: number) => {
  const list = index.get(key) ?? [];
  if (list[list.length - 1] !== set) list.push(set);
  index.set(key, list);
};

// The words of the last text seen, and per set the positions (word numbers) worth trying.
let lastText = '';
let lastSets = 0;
let lastWords: { start: number; norm: string; heads: string[] }[] = [];
let lastWordSet = new Set<string>();
// per set, only for the sets with a word to try (most sets have none in a given post)
let candidates: (number[] | undefined)[] = [];
// Bumped for every new text: a set's remembered answers about its phrases' words hold for one text.
let generation = 0;
const NONE: number[] = [];
const NONE_PREFIX: { prefix: string; id: number }[] = [];
function addCandidate(set: number, i: number) {
  const list = candidates[set];
  if (!list) candidates[set] = [i];
  else if (list[list.length - 1] !== i) list.push(i);
}
function prepare(folded: string) {
  if (folded === lastText && lastSets === registry.length) return;
  lastText = folded;
  lastSets = registry.length;
  generation++;
  lastWords = [];
  lastWordSet = new Set<string>();
  for (const m of folded.matchAll(WORD_START)) {
    lastWords.push({ start: m.index, norm: m[0], heads: headsOf(m[0]) });
    lastWordSet.add(m[0]);
  }
  candidates = new Array(registry.length);
  for (let i = 0; i < lastWords.length; i++) {
    const w = lastWords[i]!;
    for (const set of byWord.get(w.norm) ?? NONE) addCandidate(set, i);
    for (const head of w.heads) for (const set of byHead.get(head) ?? NONE) addCandidate(set, i);
  }
}

// Phrases are only tried where a word starts that one of them can start with, each with its own
// sticky expression: far cheaper than one big alternation tried at every character.
export class PhraseSet {
  private readonly sticky: RegExp[];
  private readonly number = registry.length;
  // word → the phrases that can start there, in file order (phrases with an open start included)
  private readonly exact = new Map<string, number[]>();
  private readonly prefixes: { prefix: string; id: number }[] = [];
  private readonly everywhere: number[] = [];
  private readonly prefixByHead = new Map<string, { prefix: string; id: number }[]>();
  private readonly needs: string[][][];
  constructor(readonly phrases: string[]) {
    registry.push(this);
    this.needs = phrases.map(needsOf);
    this.viableAt = new Uint32Array(phrases.length);
    this.viableIs = new Uint8Array(phrases.length);
    this.sticky = phrases.map((p) => new RegExp(`(?:${phraseSource(p)})(?![\\p{L}\\p{N}])`, 'uy'));
    phrases.forEach((p, id) => {
      const first = firstWords(p);
      if (!first) return this.everywhere.push(id);
      for (const w of first) {
        if (w.endsWith('*')) {
          this.prefixes.push({ prefix: w.slice(0, -1), id });
          addTo(byHead, headOf(w.slice(0, -1)), this.number);
        } else {
          this.exact.set(w, [...(this.exact.get(w) ?? []), id]);
          addTo(byWord, w, this.number);
        }
      }
    });
    for (const [w, ids] of this.exact)
      this.exact.set(
        w,
        [...new Set([...ids, ...this.everywhere])].sort((a, b) => a - b),
      );
    for (const p of this.prefixes)
      this.prefixByHead.set(headOf(p.prefix), [...(this.prefixByHead.get(headOf(p.prefix)) ?? []), p]);
  }

  // Like String.matchAll: in order of position, not overlapping; at one position the first phrase
  // in the file wins.
  all(folded: string): PhraseMatch[] {
    // Several detectors ask the same set about the same text: answer once.
    if (folded === this.lastText && this.lastResult) return this.lastResult;
    const result = this.run(folded);
    this.lastText = folded;
    this.lastResult = result;
    return result;
  }

  private lastText = '';
  private lastResult: PhraseMatch[] | undefined;

  // Per phrase: whether the current text has the words it needs (1 yes, 2 no), valid while the
  // phrase's stamp is the text's generation.
  private readonly viableAt: Uint32Array;
  private readonly viableIs: Uint8Array;
  private viable(id: number): boolean {
    if (this.viableAt[id] !== generation) {
      this.viableAt[id] = generation;
      this.viableIs[id] = this.needs[id]!.every((alts) => alts.some((w) => lastWordSet.has(w))) ? 1 : 2;
    }
    return this.viableIs[id] === 1;
  }

  private run(folded: string): PhraseMatch[] {
    prepare(folded);
    const at = this.everywhere.length ? lastWords.map((_, i) => i) : (candidates[this.number] ?? NONE);
    if (!at.length) return [];
    const out: PhraseMatch[] = [];
    let after = 0;
    for (const i of at) {
      const w = lastWords[i]!;
      if (w.start < after) continue;
      let ids = this.exact.get(w.norm) ?? this.everywhere;
      if (this.prefixes.length) {
        let extra: number[] | undefined;
        for (const head of w.heads)
          for (const p of this.prefixByHead.get(head) ?? NONE_PREFIX)
            if (w.norm.startsWith(p.prefix)) (extra ??= []).push(p.id);
        if (extra) ids = [...new Set([...ids, ...extra])].sort((a, b) => a - b);
      }
      for (const id of ids) {
        if (!this.viable(id)) continue;
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
