import type { Meta, Node, Term } from './query.ts';
import { fold, siteOf, tokenize, type Field, type Token } from './tokens.ts';

// A post prepared once for matching against any number of queries: its tokens by value and by
// position, and the metadata the fields look at. Title and text get positions far apart, so a
// phrase or NEAR never spans both.

export type Post = {
  title?: string;
  text: string;
  author?: string | null;
  url?: string | null;
  lang?: string | null;
  source?: string | null;
};
export type Span = { field: 'title' | 'text'; start: number; end: number };
export type Hit = { spans: Span[]; clauses: string[] };

export class Doc {
  private index: Map<string, number[]> | undefined;
  constructor(
    readonly tokens: Token[], // in position order (a compound's whole comes before its parts)
    readonly site: string | null,
    readonly lang: string | null,
    readonly source: string | null,
  ) {}

  // Indices of the tokens with this value. A post of ordinary length is simply scanned (cheaper
  // than building a map for the few words a query asks about); long texts get a map.
  indicesOf(word: string): readonly number[] {
    const tokens = this.tokens;
    if (tokens.length <= 96) {
      let out: number[] | undefined;
      for (let i = 0; i < tokens.length; i++) if (tokens[i].t === word) (out ??= []).push(i);
      return out ?? NONE;
    }
    if (!this.index) {
      this.index = new Map();
      for (let i = 0; i < tokens.length; i++) {
        const list = this.index.get(tokens[i].t);
        if (list) list.push(i);
        else this.index.set(tokens[i].t, [i]);
      }
    }
    return this.index.get(word) ?? NONE;
  }
}

const FIELD_GAP = 1000;
const NONE: readonly number[] = [];

export const FIELD_GAP_TEXT = FIELD_GAP;

// A document from tokens already cut (the index's scan), with the post's metadata.
export function prepareFrom(tokens: Token[], post: Post): Doc {
  if (post.author) for (const t of tokenize(post.author, 'author', 2 * FIELD_GAP + tokens.length)) tokens.push(t);
  return new Doc(tokens, siteOf(post.url), post.lang ? fold(post.lang) : null, post.source ? fold(post.source) : null);
}

export function prepare(post: Post): Doc {
  const tokens = post.title ? tokenize(post.title, 'title', 0) : [];
  for (const t of tokenize(post.text, 'text', FIELD_GAP)) tokens.push(t);
  if (post.author) for (const t of tokenize(post.author, 'author', 2 * FIELD_GAP + tokens.length)) tokens.push(t);
  return new Doc(tokens, siteOf(post.url), post.lang ? fold(post.lang) : null, post.source ? fold(post.source) : null);
}

// The token with value `word` at position `pos` in the same field, searching forward from index `from`.
function tokenAt(doc: Doc, from: number, pos: number, word: string, field: Field): Token | undefined {
  for (let k = from; k < doc.tokens.length; k++) {
    const t = doc.tokens[k];
    if (t.pos > pos) return undefined;
    if (t.pos === pos && t.t === word && t.field === field) return t;
  }
  return undefined;
}

const inField = (t: Token, field: Term['field']) => (field ? t.field === field : t.field !== 'author');

// Where a term occurs: first and last token of each occurrence.
type Occ = { first: Token; last: Token };

function occurrences(term: Term, doc: Doc): Occ[] {
  if (term.wildcard) {
    const re = term.wildcard.re;
    return doc.tokens
      .filter((t) => inField(t, term.field) && t.t.startsWith(term.wildcard!.prefix) && re.test(t.t))
      .map((t) => ({ first: t, last: t }));
  }
  const [w0, ...rest] = term.words;
  const out: Occ[] = [];
  for (const idx of doc.indicesOf(w0)) {
    const first = doc.tokens[idx];
    if (!inField(first, term.field)) continue;
    let last = first;
    let ok = true;
    for (let i = 0; i < rest.length && ok; i++) {
      const next = tokenAt(doc, idx + 1, first.pos + i + 1, rest[i], first.field);
      if (next) last = next;
      else ok = false;
    }
    if (ok) out.push({ first, last });
  }
  return out;
}

function metaMatches(m: Meta, doc: Doc): boolean {
  if (m.field === 'site') return !!doc.site && (doc.site === m.value || doc.site.endsWith(`.${m.value}`));
  if (m.field === 'lang') return doc.lang === m.value;
  return doc.source === m.value;
}

const spanOf = (o: Occ): Span | undefined =>
  o.first.field === 'author'
    ? undefined
    : { field: o.first.field as Span['field'], start: o.first.start, end: o.last.end };

function nearOccurrences(n: Node, doc: Doc): Occ[] {
  if (n.type === 'term') return occurrences(n, doc);
  if (n.type === 'or') return n.children.flatMap((c) => nearOccurrences(c, doc));
  return [];
}

// Whether a term occurs at all, without building anything: most candidates fail here.
function termOccurs(term: Term, doc: Doc): boolean {
  if (term.wildcard)
    return doc.tokens.some(
      (t) => inField(t, term.field) && t.t.startsWith(term.wildcard!.prefix) && term.wildcard!.re.test(t.t),
    );
  const w0 = term.words[0];
  const tokens = doc.tokens;
  if (term.words.length > 1) {
    // A phrase cannot occur without its rarest word: one cheap pass usually settles it.
    let seen = false;
    for (let i = 0; i < tokens.length && !seen; i++) seen = tokens[i].t === term.rare;
    if (!seen) return false;
  }
  outer: for (let idx = 0; idx < tokens.length; idx++) {
    const first = tokens[idx];
    if (first.t !== w0 || !inField(first, term.field)) continue;
    for (let i = 1; i < term.words.length; i++) {
      if (!tokenAt(doc, idx + 1, first.pos + i, term.words[i], first.field)) continue outer;
    }
    return true;
  }
  return false;
}

// A yes/no answer with no allocation, used before evaluate() builds the explanation.
export function test(n: Node, doc: Doc): boolean {
  switch (n.type) {
    case 'term':
      return termOccurs(n, doc);
    case 'meta':
      return metaMatches(n, doc);
    case 'not':
      return !test(n.child, doc);
    case 'and':
      for (const c of n.children) if (c.type !== 'not' && !test(c, doc)) return false;
      for (const c of n.children) if (c.type === 'not' && !test(c, doc)) return false;
      return true;
    case 'or':
      for (const c of n.children) if (test(c, doc)) return true;
      return false;
    case 'near':
      return evaluate(n, doc) !== null;
  }
}

// null: no match. Otherwise the spans that made it match and the clauses (terms as written).
export function evaluate(n: Node, doc: Doc): Hit | null {
  switch (n.type) {
    case 'term': {
      const occ = occurrences(n, doc);
      if (!occ.length) return null;
      return { spans: occ.map(spanOf).filter((s): s is Span => !!s), clauses: [n.raw] };
    }
    case 'meta':
      return metaMatches(n, doc) ? { spans: [], clauses: [n.raw] } : null;
    case 'not':
      return evaluate(n.child, doc) ? null : { spans: [], clauses: [] };
    case 'and': {
      const hits: Hit[] = [];
      // Cheap and selective children decide first; NOT children are checked last.
      for (const c of n.children) {
        if (c.type === 'not') continue;
        const h = evaluate(c, doc);
        if (!h) return null;
        hits.push(h);
      }
      for (const c of n.children) if (c.type === 'not' && !test(c, doc)) return null;
      return hits.length === 1 ? hits[0] : merge(hits);
    }
    case 'or': {
      const hits: Hit[] = [];
      for (const c of n.children) {
        // A term is answered by finding it; bigger children are checked cheaply first.
        if (c.type !== 'term' && !test(c, doc)) continue;
        const h = evaluate(c, doc);
        if (h) hits.push(h);
      }
      return hits.length === 1 ? hits[0] : hits.length ? merge(hits) : null;
    }
    case 'near': {
      const left = nearOccurrences(n.left, doc);
      if (!left.length) return null;
      const right = nearOccurrences(n.right, doc);
      const spans: Span[] = [];
      for (const l of left) {
        for (const r of right) {
          if (l.first.field !== r.first.field) continue;
          const forward = r.first.pos - l.last.pos;
          const backward = l.first.pos - r.last.pos;
          if ((forward >= 1 && forward <= n.n) || (!n.ordered && backward >= 1 && backward <= n.n)) {
            for (const s of [spanOf(l), spanOf(r)]) if (s) spans.push(s);
          }
        }
      }
      if (!spans.length) return null;
      return { spans: dedupe(spans), clauses: [nearClause(n)] };
    }
  }
}

function clausesOf(n: Node): string[] {
  if (n.type === 'term' || n.type === 'meta') return [n.raw];
  if (n.type === 'or') return n.children.flatMap(clausesOf);
  return [];
}

function nearClause(n: Extract<Node, { type: 'near' }>): string {
  const side = (x: Node) => (x.type === 'term' ? x.raw : `(${clausesOf(x).join(' OR ')})`);
  return `${side(n.left)} ${n.ordered ? 'ONEAR' : 'NEAR'}/${n.n} ${side(n.right)}`;
}

function dedupe(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  const seen = new Set<string>();
  return spans
    .filter((s) => {
      const k = `${s.field}:${s.start}:${s.end}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.field === b.field ? a.start - b.start : a.field === 'title' ? -1 : 1));
}

function merge(hits: Hit[]): Hit {
  return { spans: dedupe(hits.flatMap((h) => h.spans)), clauses: [...new Set(hits.flatMap((h) => h.clauses))] };
}

export type { Field };
