import type { Node } from './query.ts';

// Anchoring a query for the index: a set of words such that any post the query matches must
// contain at least one of them (for `"obs De Meander" OR (Meander NEAR/5 school)` that is
// {meander}); for a phrase the anchor also carries the phrase, so the scan can check it.

export const STOP = new Set([
  'de',
  'het',
  'een',
  'en',
  'van',
  'in',
  'op',
  'te',
  'of',
  'the',
  'a',
  'an',
  'and',
  'of',
  'school',
  'obs',
  'cbs',
  'pcbs',
  'rkbs',
  'ikc',
  'kc',
  'kindcentrum',
  'basisschool',
  'st',
  'sint',
]);

// An exact anchor is a word to look up; for a phrase it also carries the phrase, so a post that has
// the word but not the phrase ("Meerwa" without "ikc De Meerwa") is passed over in the scan,
// without touching the query at all.
export type ExactAnchor = { key: string; words?: string[]; r?: number; field?: 'title' | 'text' };
export type Posting = { id: string; words?: string[]; r?: number; field?: 'title' | 'text' };
export type Anchors = { exact: ExactAnchor[]; prefixes: string[] } | null;

// freq: how many queries an index key already serves; rarer keys make better anchors.
export function anchorsOf(n: Node, freq: (key: string) => number): Anchors {
  switch (n.type) {
    case 'term': {
      if (n.wildcard) {
        // Too short a fixed start to look up: evaluated for every post.
        if (n.wildcard.prefix.replace(/^[#@]/, '').length < 2) return null;
        return { exact: [], prefixes: [n.field === 'author' ? `author:${n.wildcard.prefix}` : n.wildcard.prefix] };
      }
      // The most telling word of a phrase: not a stop word, then the one fewest queries use, then the longest.
      const author = n.field === 'author';
      let best = n.words[0];
      let bestCost = Infinity;
      for (const w of n.words) {
        const c = (STOP.has(w) || w.length < 3 ? 1e6 : 0) + freq(author ? `author:${w}` : w) * 100 - w.length;
        if (c < bestCost) ((best = w), (bestCost = c));
      }
      if (author) return { exact: [{ key: `author:${best}` }], prefixes: [] };
      const field = n.field as 'title' | undefined;
      return {
        exact: [
          n.words.length > 1 ? { key: best, words: n.words, r: n.words.indexOf(best), field } : { key: best, field },
        ],
        prefixes: [],
      };
    }
    case 'meta':
      // site:nos.nl is looked up as the post's own site suffixes.
      return { exact: [{ key: `${n.field}:${n.value}` }], prefixes: [] };
    case 'not':
      return null;
    case 'or': {
      const exact: ExactAnchor[] = [];
      const prefixes: string[] = [];
      for (const c of n.children) {
        const a = anchorsOf(c, freq);
        if (!a) return null;
        for (const x of a.exact) exact.push(x);
        for (const x of a.prefixes) prefixes.push(x);
      }
      return { exact, prefixes };
    }
    case 'and':
    case 'near': {
      // The child with the fewest, rarest keys; exact before prefix; no stop words.
      let best: Anchors = null;
      let bestScore = Infinity;
      for (const c of n.type === 'near' ? [n.left, n.right] : n.children) {
        const a = anchorsOf(c, freq);
        if (!a) continue;
        let score = a.prefixes.length * 50;
        for (const { key: k, words } of a.exact)
          score += 1 + freq(k) / (words ? 4 : 1) + (STOP.has(k) || k.length < 3 ? 1000 : 0);
        if (score < bestScore) ((best = a), (bestScore = score));
      }
      return best;
    }
  }
}

// A query that is only words and phrases joined by OR (no NOT, NEAR, wildcards or author/site/…
// fields): when the scan has verified one of its phrases around an anchor word, it matches —
// there is nothing left to test.
export function isSimple(n: Node): boolean {
  if (n.type === 'term') return !n.wildcard && n.field !== 'author';
  return n.type === 'or' && n.children.every(isSimple);
}

// A cheap hash of a word (FNV-1a over its characters), for the bloom filter.
export const BLOOM_BITS = 20;
export function wordHash(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) & ((1 << BLOOM_BITS) - 1);
}
