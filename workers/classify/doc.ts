import { fold, spacedWords, words, type Token } from './text.ts';

// One reading of a text that every detector shares: the folded text, its words with offsets, which
// sentence and clause each word is in, and a spelling-game-free key per word ("kankerrrr" →
// "kanker", "k i l l" → "kill"). Built once per classification.

// place: a capitalised word after a capitalised article, "De Regenboog", "Het Klaverblad" (a school, not a person).
export type Tok = Token & {
  key: string;
  i: number;
  sentence: number;
  clause: number;
  quoted: boolean;
  place?: boolean;
};
export type Span = { start: number; end: number };
export type Doc = {
  text: string;
  folded: string;
  toks: Tok[];
  clauses: Span[] /* token ranges, end exclusive */;
  sentences: Span[];
};

// Words that start a new clause: what follows them is said on its own terms (a condition's "dan",
// "maar", "want"), so negation and verbs do not reach across them.
const HONORIFIC = new Set(['meneer', 'mevrouw', 'mevr', 'dhr', 'juf', 'meester', 'familie', 'fam', 'mr', 'mrs']);
const CLAUSE_WORDS = new Set(['dan', 'maar', 'want', 'omdat', 'anders', 'zodat', 'terwijl', 'doch', 'but', 'because']);

// "kankerrrrr" → "kanker", "heeeel" → "heel": three or more of a letter become one (Dutch writes at
// most two of a letter in a row).
const TRIPLE = /(\p{L})\1{2,}/u;
const collapse = (w: string) => w.replace(/(\p{L})\1{2,}/gu, '$1');

export function readDoc(text: string, folded = fold(text), tokens: Token[] = words(text, folded)): Doc {
  const toks: Tok[] = [];
  // Spelled-out words ("k i l l", "v.e.r.m.o.o.r.d") replace the single letters they are made of.
  const spaced = spacedWords(folded);
  let s = 0;
  for (const t of tokens) {
    while (s < spaced.length && spaced[s]!.end <= t.start) s++;
    const sp = spaced[s];
    if (sp && t.start >= sp.start && t.end <= sp.end) {
      if (t.start === sp.start)
        toks.push({
          norm: sp.norm,
          start: sp.start,
          end: sp.end,
          upper: t.upper,
          key: collapse(sp.norm),
          i: 0,
          sentence: 0,
          clause: 0,
          quoted: false,
        });
      continue;
    }
    // Only letters the writer typed three times are collapsed ("zeeën" folds to "zeeen" and stays).
    const typed = TRIPLE.test(t.norm) && TRIPLE.test(text.slice(t.start, t.end).toLowerCase());
    const norm = t.norm.replace(/['’]s$/, '');
    toks.push({
      norm: t.norm,
      start: t.start,
      end: t.end,
      upper: t.upper,
      key: typed ? collapse(norm) : norm,
      i: 0,
      sentence: 0,
      clause: 0,
      quoted: false,
    });
  }
  for (let i = 1; i < toks.length; i++) {
    const a = toks[i - 1]!;
    if (
      toks[i]!.upper &&
      a.upper &&
      (a.key === 'de' || a.key === 'het') &&
      !HONORIFIC.has(toks[i - 2]?.key ?? '') &&
      /^\s$/.test(text.slice(a.end, toks[i]!.start))
    )
      toks[i]!.place = true;
  }
  const clauses: Span[] = [];
  const sentences: Span[] = [];
  let sentence = 0;
  let clause = 0;
  let clauseStart = 0;
  let sentenceStart = 0;
  let open: string | null = null;
  let prevEnd = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const gap = t.start - prevEnd === 1 && folded[prevEnd] === ' ' ? ' ' : folded.slice(prevEnd, t.start);
    if (gap === ' ' && k > 0) {
      if (CLAUSE_WORDS.has(t.norm)) {
        clauses.push({ start: clauseStart, end: k });
        clauseStart = k;
        clause++;
      }
      t.i = k;
      t.sentence = sentence;
      t.clause = clause;
      t.quoted = open !== null;
      prevEnd = t.end;
      continue;
    }
    if (k > 0) {
      // "12.00", "8,50", "1.5": a point between digits ends nothing.
      const numeric = /^[.,:]$/.test(gap) && /\d/.test(folded[prevEnd - 1] ?? '') && /\d/.test(folded[t.start] ?? '');
      const sentenceEnd = !numeric && /[.!?\n]/.test(gap);
      const clauseEnd = sentenceEnd || (!numeric && /[,;:()"“”„]|\s[-–—]\s/.test(gap)) || CLAUSE_WORDS.has(t.norm);
      if (sentenceEnd) {
        sentences.push({ start: sentenceStart, end: k });
        sentenceStart = k;
        sentence++;
      }
      if (clauseEnd) {
        clauses.push({ start: clauseStart, end: k });
        clauseStart = k;
        clause++;
      }
    }
    // Inside quotes: "'we steken de school in de fik'" is quoted speech.
    for (let g = 0; g < gap.length; g++) {
      const ch = gap[g]!;
      const at = prevEnd + g;
      if ('"“„«'.includes(ch) && !open) open = ch === '“' || ch === '„' ? '”' : ch === '«' ? '»' : '"';
      else if (open && (ch === open || (open === '”' && ch === '"') || (open === '»' && ch === '»'))) open = null;
      else if (
        (ch === "'" || ch === '‘') &&
        !open &&
        !/\p{L}/u.test(folded[at - 1] ?? '') &&
        !/^['‘](s|t|n|k|m|r|ns)(?!\p{L})/u.test(folded.slice(at, at + 4))
      )
        open = ch === '‘' ? '’' : "'";
      else if (open && (ch === '’' || ch === "'") && (open === "'" || open === '’')) open = null;
    }
    t.i = k;
    t.sentence = sentence;
    t.clause = clause;
    t.quoted = open !== null;
    prevEnd = t.end;
  }
  clauses.push({ start: clauseStart, end: toks.length });
  sentences.push({ start: sentenceStart, end: toks.length });
  return { text, folded, toks, clauses, sentences };
}

export const clauseOf = (doc: Doc, t: Tok) => doc.clauses[t.clause]!;
export const sentenceOf = (doc: Doc, t: Tok) => doc.sentences[t.sentence]!;
export const spanText = (doc: Doc, start: number, end: number) => doc.text.slice(start, end);
