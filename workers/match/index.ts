import { Doc, evaluate, FIELD_GAP_TEXT, prepare, prepareFrom, test, type Hit, type Post } from './evaluate.ts';
import { parseQuery, type Node } from './query.ts';
import { fold, isAscii, scanAscii, siteOf, tokenize, TokenSink, type Piece, type Token } from './tokens.ts';

// One compiled matcher for every school of every board. Each school's query gets "anchors": a
// set of index keys such that any post it matches must contain at least one of them (for
// `"obs De Meander" OR (Meander NEAR/5 school)` that is {meander}). A post looks up its own keys
// and only the few queries anchored there are evaluated; queries that cannot be anchored (only
// fields like lang:, or a wildcard without a two-letter start) are evaluated for every post.
// The cost of a post grows with its length and its candidates, not with the number of schools.

const STOP = new Set(['de', 'het', 'een', 'en', 'van', 'in', 'op', 'te', 'of', 'the', 'a', 'an', 'and', 'of', 'school', 'obs', 'cbs', 'pcbs', 'rkbs', 'ikc', 'kc', 'kindcentrum', 'basisschool', 'st', 'sint']);

type Anchors = { exact: string[]; prefixes: string[] } | null;

// freq: how many queries an index key already serves; rarer keys make better anchors.
function anchorsOf(n: Node, freq: (key: string) => number): Anchors {
  switch (n.type) {
    case 'term': {
      if (n.wildcard) {
        // Too short a fixed start to look up: evaluated for every post.
        if (n.wildcard.prefix.replace(/^[#@]/, '').length < 2) return null;
        return { exact: [], prefixes: [n.field === 'author' ? `author:${n.wildcard.prefix}` : n.wildcard.prefix] };
      }
      // The most telling word of a phrase: not a stop word, then the one fewest queries use, then the longest.
      const key = (w: string) => (n.field === 'author' ? `author:${w}` : w);
      const cost = (w: string) => (STOP.has(w) || w.length < 3 ? 1e6 : 0) + freq(key(w)) * 100 - w.length;
      const best = [...n.words].sort((a, b) => cost(a) - cost(b))[0];
      return { exact: [key(best)], prefixes: [] };
    }
    case 'meta':
      // site:nos.nl is looked up as the post's own site suffixes.
      return { exact: [`${n.field}:${n.value}`], prefixes: [] };
    case 'not':
      return null;
    case 'or': {
      const all = n.children.map((c) => anchorsOf(c, freq));
      if (all.some((a) => !a)) return null;
      return { exact: all.flatMap((a) => a!.exact), prefixes: all.flatMap((a) => a!.prefixes) };
    }
    case 'and':
    case 'near': {
      const options = (n.type === 'near' ? [n.left, n.right] : n.children).map((c) => anchorsOf(c, freq)).filter((a): a is NonNullable<Anchors> => !!a);
      if (!options.length) return null;
      // Fewest keys, exact before prefix, fewest stop words.
      const score = (a: NonNullable<Anchors>) => a.exact.reduce((sum, k) => sum + 1 + freq(k) + (STOP.has(k) || k.length < 3 ? 1000 : 0), 0) + a.prefixes.length * 50;
      return options.sort((a, b) => score(a) - score(b))[0];
    }
  }
}

// A cheap hash of a word (its length and first four characters), for the bloom filter.
function wordHash(s: string, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end && i < start + 4; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return (h ^ (h >>> 16)) & 0xffff;
}

export type Entry = { id: string; boardId: string; query: Node; exclusion?: Node | null };
export type IndexHit = Hit & { id: string };

export class MatcherIndex {
  private entries = new Map<string, Entry & { anchors: Anchors }>();
  private exact = new Map<string, Set<string>>();
  private prefixes = new Map<string, Set<string>>();
  private prefixLengths = new Map<number, number>();
  private always = new Set<string>();
  private exclusions = new Map<string, Node | null>();

  get size() {
    return this.entries.size;
  }

  // Add or replace one school's query: only its own keys change, nothing is rebuilt.
  set(entry: Entry) {
    this.delete(entry.id);
    const found = anchorsOf(entry.query, (k) => this.exact.get(k)?.size ?? 0);
    const anchors = found && { exact: [...new Set(found.exact)], prefixes: [...new Set(found.prefixes)] };
    this.entries.set(entry.id, { ...entry, anchors });
    if (!anchors) {
      this.always.add(entry.id);
      return;
    }
    for (const k of anchors.exact) {
      (this.exact.get(k) ?? this.exact.set(k, new Set()).get(k)!).add(entry.id);
      const h = wordHash(k, 0, k.length);
      this.bloom[h >>> 3] |= 1 << (h & 7);
    }
    for (const k of anchors.prefixes) {
      (this.prefixes.get(k) ?? this.prefixes.set(k, new Set()).get(k)!).add(entry.id);
      this.prefixLengths.set(k.length, (this.prefixLengths.get(k.length) ?? 0) + 1);
    }
  }

  delete(id: string) {
    const old = this.entries.get(id);
    if (!old) return;
    this.entries.delete(id);
    this.always.delete(id);
    for (const k of old.anchors?.exact ?? []) {
      const set = this.exact.get(k)!;
      set.delete(id);
      if (!set.size) this.exact.delete(k);
    }
    for (const k of old.anchors?.prefixes ?? []) {
      const set = this.prefixes.get(k)!;
      set.delete(id);
      if (!set.size) this.prefixes.delete(k);
      const n = this.prefixLengths.get(k.length)! - 1;
      if (n) this.prefixLengths.set(k.length, n);
      else this.prefixLengths.delete(k.length);
    }
  }

  // A board's exclusion list applies to all its schools, on top of their own queries.
  setExclusion(boardId: string, exclusion: Node | null) {
    this.exclusions.set(boardId, exclusion);
  }

  private lookup(key: string, out: Set<string>) {
    const hit = this.exact.get(key);
    if (hit !== undefined) for (const id of hit) out.add(id);
    if (this.prefixLengths.size !== 0) {
      for (const len of this.prefixLengths.keys()) {
        if (key.length < len) continue;
        const p = this.prefixes.get(key.slice(0, len));
        if (p) for (const id of p) out.add(id);
      }
    }
  }

  candidates(doc: Doc): Set<string> {
    const out = new Set(this.always);
    for (const key of doc.keys) this.lookup(key, out);
    return out;
  }

  // The same candidates straight from the text, without preparing a document: most posts are
  // about no school and stop here.
  candidatesOf(post: Post): Set<string> {
    const out = this.scratch;
    out.clear();
    for (const id of this.always) out.add(id);
    this.count = 0;
    this.ascii = true;
    if (post.title) this.visitText(post.title, 0);
    this.titleCount = this.count;
    this.visitText(post.text, 1);
    if (post.author) for (const t of tokenize(post.author, 'author')) this.lookup(`author:${t.t}`, out);
    const site = siteOf(post.url);
    if (site) {
      const parts = site.split('.');
      for (let i = 0; i < parts.length - 1; i++) this.lookup(`site:${parts.slice(i).join('.')}`, out);
    }
    if (post.lang) this.lookup(`lang:${fold(post.lang)}`, out);
    if (post.source) this.lookup(`source:${fold(post.source)}`, out);
    return out;
  }

  // The hot path, without a closure per call: plain-ASCII text is scanned in place and each token
  // looked up as it is cut out. The pieces are remembered, so a post with candidates is turned
  // into a document without scanning it again.
  private scratch = new Set<string>();
  private scanning = '';
  private kinds: Piece[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private strs: (string | undefined)[] = [];
  private count = 0;
  private titleCount = 0;
  private ascii = true;
  // A bit per hash of every anchor word: most words of a post are no anchor and are passed over
  // without cutting them out of the text or looking them up. Bits are never cleared (a stale bit
  // only costs a lookup).
  private bloom = new Uint8Array(1 << 13);
  private lowered: string[] = ['', ''];
  private piece = (kind: Piece, start: number, end: number) => {
    const n = this.count++;
    this.kinds[n] = kind;
    this.starts[n] = start;
    this.ends[n] = end;
    const s = this.scanning;
    const h = wordHash(s, start, end);
    if (this.prefixLengths.size === 0 && (this.bloom[h >>> 3] & (1 << (h & 7))) === 0) {
      this.strs[n] = undefined;
      return;
    }
    const t = s.slice(start, end);
    this.strs[n] = t;
    this.lookup(t, this.scratch);
  };
  private visitText(text: string, slot: 0 | 1) {
    if (isAscii(text)) {
      this.scanning = this.lowered[slot] = text.toLowerCase();
      scanAscii(this.scanning, this.piece);
    } else {
      this.ascii = false;
      for (const t of tokenize(text)) this.lookup(t.t, this.scratch);
    }
  }
  private scannedDoc(post: Post): Doc {
    if (!this.ascii) return prepare(post);
    const tokens: Token[] = [];
    const title = new TokenSink(tokens, 'title', 0);
    const [lowTitle, lowText] = this.lowered;
    for (let i = 0; i < this.titleCount; i++) title.add(this.kinds[i], this.strs[i] ?? lowTitle.slice(this.starts[i], this.ends[i]), this.starts[i], this.ends[i]);
    const text = new TokenSink(tokens, 'text', FIELD_GAP_TEXT);
    for (let i = this.titleCount; i < this.count; i++) text.add(this.kinds[i], this.strs[i] ?? lowText.slice(this.starts[i], this.ends[i]), this.starts[i], this.ends[i]);
    return prepareFrom(tokens, post);
  }

  // explain: false skips building spans and clauses (counting, previews of large sets).
  match(post: Post | Doc, opts: { boardId?: string; explain?: boolean } = {}): IndexHit[] {
    const candidates = post instanceof Doc ? this.candidates(post) : this.candidatesOf(post);
    if (!candidates.size) return [];
    // The scratch set is reused by the next call; evaluating may not call back into the index.
    const doc = post instanceof Doc ? post : this.scannedDoc(post);
    const out: IndexHit[] = [];
    for (const id of [...candidates]) {
      const e = this.entries.get(id)!;
      if (opts.boardId && e.boardId !== opts.boardId) continue;
      if (!test(e.query, doc)) continue;
      const exclusion = e.exclusion ?? this.exclusions.get(e.boardId);
      if (exclusion && test(exclusion, doc)) continue;
      out.push(opts.explain === false ? { id, spans: [], clauses: [] } : { id, ...evaluate(e.query, doc)! });
    }
    return out;
  }
}

// The school's own query, or the generated default; a query that does not parse is an error the
// caller reports (a stored query was checked when it was saved).
export function compileEntry(id: string, boardId: string, query: string): Entry {
  return { id, boardId, query: parseQuery(query) };
}
