import { fold, queryWords, type Field } from './tokens.ts';

// The query language (see README, "Zoekopdrachten"):
//   terms and "exact phrases"; AND, OR, NOT (also -term; Dutch EN, OF, NIET), parentheses;
//   adjacent terms are ANDed; a NEAR/5 b (either order, within 5 words), a ONEAR/5 b (in order);
//   leerling* (suffix wildcard), l?raar (one character); #hashtag and @handle match those tokens;
//   fields title:, author:, site: (domain of the link), lang:, source: (source kind).
// Errors say where (1-based character position) and what was expected, in Dutch.

export type TextField = Exclude<Field, 'text'> | undefined; // undefined: title and text
export type Term = {
  type: 'term';
  raw: string; // as written, for "why did this match"
  at: number; // 0-based offset in the query
  field: TextField;
  words: string[]; // folded; several for a phrase
  rare: string; // the word of a phrase least likely to occur (longest), checked first
  wildcard?: { re: RegExp; prefix: string };
};
export type Meta = { type: 'meta'; raw: string; at: number; field: 'site' | 'lang' | 'source'; value: string };
export type Node =
  | Term
  | Meta
  | { type: 'and' | 'or'; children: Node[] }
  | { type: 'not'; child: Node }
  | { type: 'near'; left: Node; right: Node; n: number; ordered: boolean; at: number };

export class QueryError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} bij positie ${position}`);
  }
}

type Lexeme =
  | { k: 'lp' | 'rp' | 'minus'; at: number }
  | { k: 'and' | 'or' | 'not'; at: number }
  | { k: 'near'; at: number; n: number; ordered: boolean }
  | { k: 'field'; at: number; name: string }
  | { k: 'word' | 'phrase'; at: number; text: string }
  | { k: 'end'; at: number };

const FIELDS = new Set(['title', 'author', 'site', 'lang', 'source', 'titel', 'auteur', 'bron', 'taal']);
const FIELD_ALIAS: Record<string, string> = { titel: 'title', auteur: 'author', bron: 'source', taal: 'lang' };
const OPS: Record<string, 'and' | 'or' | 'not'> = {
  AND: 'and',
  EN: 'and',
  OR: 'or',
  OF: 'or',
  NOT: 'not',
  NIET: 'not',
};

const STOPS_WORD = new Set([' ', '\n', '\t', '\r', '(', ')', '"', '“', '”']);

function lex(q: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ k: 'lp', at: i++ });
      continue;
    }
    if (c === ')') {
      out.push({ k: 'rp', at: i++ });
      continue;
    }
    if (c === '"' || c === '“' || c === '”') {
      const close = q.slice(i + 1).search(/["“”]/);
      if (close < 0) throw new QueryError('Aanhalingsteken niet gesloten', i + 1);
      out.push({ k: 'phrase', at: i, text: q.slice(i + 1, i + 1 + close) });
      i += close + 2;
      continue;
    }
    if (c === '-' && i + 1 < q.length && !/[\s)]/.test(q[i + 1]) && (i === 0 || /[\s(]/.test(q[i - 1]))) {
      out.push({ k: 'minus', at: i++ });
      continue;
    }
    let j = i;
    while (j < q.length && !STOPS_WORD.has(q[j])) j++;
    const word = q.slice(i, j);
    const near = /^(O?NEAR)(?:\/(\d{1,3}))?$/.exec(word);
    const field = /^([a-z]+):/i.exec(word);
    const badNear = !near && /^(O?NEAR)\//.exec(word);
    if (badNear) throw new QueryError(`${badNear[1]} heeft een afstand in woorden nodig, zoals ${badNear[1]}/5`, i + 1);
    if (near) {
      if (!near[2]) throw new QueryError(`${near[1]} heeft een afstand nodig, zoals ${near[1]}/5`, i + 1);
      out.push({ k: 'near', at: i, n: Number(near[2]), ordered: near[1] === 'ONEAR' });
    } else if (OPS[word]) {
      out.push({ k: OPS[word], at: i });
    } else if (field && !/^https?:\/\//i.test(word)) {
      const name = field[1].toLowerCase();
      if (!FIELDS.has(name))
        throw new QueryError(`Onbekend veld "${field[1]}:" (kies uit title:, author:, site:, lang:, source:)`, i + 1);
      out.push({ k: 'field', at: i, name: FIELD_ALIAS[name] ?? name });
      j = i + field[0].length; // what follows the colon is lexed on its own
    } else {
      out.push({ k: 'word', at: i, text: word });
    }
    i = j;
  }
  out.push({ k: 'end', at: q.length });
  return out;
}

const SIMPLE = /^[A-Za-z0-9 ]+$/;
const escapeRe = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

function term(raw: string, at: number, field: TextField, quoted: boolean): Term {
  if (!quoted && /[*?]/.test(raw)) {
    const star = raw.indexOf('*');
    if (star >= 0 && star !== raw.length - 1)
      throw new QueryError('Een * mag alleen aan het eind van een woord staan', at + star + 1);
    const folded = fold(raw);
    const prefix = folded.split(/[*?]/)[0];
    if (folded.replace(/[#@*?]/g, '').length < 2)
      throw new QueryError('Een woord met * of ? heeft minstens twee letters nodig', at + 1);
    const re = new RegExp(`^${escapeRe(folded).replace(/\?/g, '.').replace(/\*$/, '.*')}$`, 'u');
    return { type: 'term', raw, at, field, words: [prefix], rare: prefix, wildcard: { re, prefix } };
  }
  // Plain words and spaces (most names) split the same way the tokenizer would, only faster.
  const words = SIMPLE.test(raw)
    ? raw
        .toLowerCase()
        .split(' ')
        .filter((w) => w)
    : queryWords(raw);
  if (!words.length)
    throw new QueryError(
      quoted ? 'Lege zin tussen aanhalingstekens' : `"${raw}" bevat geen letters of cijfers`,
      at + 1,
    );
  const rare = words.reduce((a, b) => (b.length > a.length ? b : a));
  return { type: 'term', raw: quoted ? `"${raw}"` : raw, at, field, words, rare };
}

const ENDS_TERM = new Set(['end', 'rp', 'or', 'and']);
const ENDS_NEAR = new Set(['end', 'rp', 'or', 'and', 'near']);
const META_FIELDS = new Set(['site', 'lang', 'source']);
const pos = (l: Lexeme) => l.at + 1;

// Recursive descent over the lexemes; a class rather than closures, so parsing thousands of
// queries (a whole country's schools) allocates little besides the tree itself.
const MAX_DEPTH = 50;

class Parser {
  depth = 0;
  private p = 0;
  constructor(private readonly lx: Lexeme[]) {}
  peek() {
    return this.lx[this.p];
  }
  or(): Node {
    const children = [this.and()];
    while (this.peek().k === 'or') {
      const op = this.lx[this.p++];
      if (ENDS_TERM.has(this.peek().k)) throw new QueryError('Na OR ontbreekt een zoekterm', pos(op) + 2);
      children.push(this.and());
    }
    return children.length === 1 ? children[0] : { type: 'or', children };
  }
  and(): Node {
    const children = [this.unary()];
    for (;;) {
      const l = this.peek();
      if (l.k === 'and') {
        this.p++;
        if (ENDS_TERM.has(this.peek().k)) throw new QueryError('Na AND ontbreekt een zoekterm', pos(l) + 3);
        children.push(this.unary());
      } else if (
        l.k === 'word' ||
        l.k === 'phrase' ||
        l.k === 'lp' ||
        l.k === 'not' ||
        l.k === 'minus' ||
        l.k === 'field'
      ) {
        children.push(this.unary()); // implicit AND
      } else break;
    }
    return children.length === 1 ? children[0] : { type: 'and', children };
  }
  unary(): Node {
    const l = this.peek();
    if (l.k === 'not' || l.k === 'minus') {
      this.p++;
      if (ENDS_TERM.has(this.peek().k))
        throw new QueryError(
          `Na ${l.k === 'not' ? 'NOT' : '-'} ontbreekt een zoekterm`,
          pos(l) + (l.k === 'not' ? 3 : 1),
        );
      return { type: 'not', child: this.unary() };
    }
    return this.near();
  }
  near(): Node {
    let left = this.primary();
    while (this.peek().k === 'near') {
      const op = this.lx[this.p++] as Extract<Lexeme, { k: 'near' }>;
      if (ENDS_NEAR.has(this.peek().k))
        throw new QueryError(`Na ${op.ordered ? 'ONEAR' : 'NEAR'}/${op.n} ontbreekt een zoekterm`, pos(op));
      const right = this.primary();
      if (!nearable(left) || !nearable(right))
        throw new QueryError('NEAR werkt alleen tussen woorden, zinnen of (… OR …) daarvan', pos(op));
      if (op.n < 1 || op.n > 100) throw new QueryError('De afstand bij NEAR is 1 tot 100 woorden', pos(op));
      left = { type: 'near', left, right, n: op.n, ordered: op.ordered, at: op.at };
    }
    return left;
  }
  primary(field?: string): Node {
    const l = this.lx[this.p++];
    switch (l.k) {
      case 'lp': {
        if (this.peek().k === 'rp') throw new QueryError('Lege haakjes', pos(l));
        // deep nesting would exhaust the stack here and when the query is evaluated
        if (++this.depth > MAX_DEPTH)
          throw new QueryError(`Te veel haakjes in elkaar (hoogstens ${MAX_DEPTH})`, pos(l));
        const inner = withField(this.or(), field);
        this.depth--;
        if (this.peek().k !== 'rp') throw new QueryError('Haakje niet gesloten', pos(l));
        this.p++;
        return inner;
      }
      case 'field': {
        if (field) throw new QueryError('Twee velden achter elkaar', pos(l));
        const next = this.peek();
        if (next.k !== 'word' && next.k !== 'phrase' && next.k !== 'lp')
          throw new QueryError(`Na ${l.name}: ontbreekt een waarde`, pos(l));
        if (META_FIELDS.has(l.name)) {
          const v = this.lx[this.p++];
          if (v.k !== 'word' && v.k !== 'phrase') throw new QueryError(`Na ${l.name}: ontbreekt een waarde`, pos(l));
          const value = fold(v.text)
            .replace(/^https?:\/\//, '')
            .replace(/^www\./, '')
            .replace(/\/.*$/, '');
          if (!value) throw new QueryError(`Na ${l.name}: ontbreekt een waarde`, pos(l));
          return { type: 'meta', raw: `${l.name}:${v.text}`, at: l.at, field: l.name as Meta['field'], value };
        }
        return this.primary(l.name);
      }
      case 'word':
        return term(l.text, l.at, field as TextField, false);
      case 'phrase':
        return term(l.text, l.at, field as TextField, true);
      case 'rp':
        throw new QueryError('Haakje sluiten zonder haakje openen', pos(l));
      case 'end':
        throw new QueryError('Zoekterm verwacht', pos(l));
      default:
        throw new QueryError(`Zoekterm verwacht, niet ${l.k === 'near' ? 'NEAR' : l.k.toUpperCase()}`, pos(l));
    }
  }
}

export function parseQuery(q: string): Node {
  if (q.length > 10_000) throw new QueryError('Zoekopdracht te lang (max. 10.000 tekens)', 10_001);
  if (!q.trim()) throw new QueryError('Lege zoekopdracht', 1);
  const parser = new Parser(lex(q));
  const ast = parser.or();
  const rest = parser.peek();
  if (rest.k === 'rp') throw new QueryError('Haakje sluiten zonder haakje openen', pos(rest));
  if (rest.k !== 'end') throw new QueryError('Onverwacht einde van de zoekopdracht', pos(rest));
  if (!positive(ast))
    throw new QueryError('Deze zoekopdracht bestaat alleen uit uitsluitingen (NOT) en vindt daardoor niets', 1);
  return ast;
}

// title:(a OR b) puts the field on every term inside.
function withField(n: Node, field?: string): Node {
  if (!field) return n;
  switch (n.type) {
    case 'term':
      return { ...n, field: field as TextField };
    case 'meta':
      return n;
    case 'and':
    case 'or':
      return { ...n, children: n.children.map((c) => withField(c, field)) };
    case 'not':
      return { ...n, child: withField(n.child, field) };
    case 'near':
      return { ...n, left: withField(n.left, field), right: withField(n.right, field) };
  }
}

function nearable(n: Node): boolean {
  return n.type === 'term' || (n.type === 'or' && n.children.every(nearable));
}

// Whether a node can match on its own (a lone NOT only ever removes matches).
function positive(n: Node): boolean {
  switch (n.type) {
    case 'not':
      return false;
    case 'and':
      return n.children.some(positive);
    case 'or':
      return n.children.every(positive);
    default:
      return true;
  }
}

// The terms of a query, for "why did this match" and for the dashboard.
export function terms(n: Node): (Term | Meta)[] {
  switch (n.type) {
    case 'term':
    case 'meta':
      return [n];
    case 'and':
    case 'or':
      return n.children.flatMap(terms);
    case 'not':
      return terms(n.child);
    case 'near':
      return [...terms(n.left), ...terms(n.right)];
  }
}
