import { evaluate, FIELD_GAP_TEXT, prepare, prepareFrom, test, type Doc, type Hit, type Post } from './evaluate.ts';
import { anchorsOf, BLOOM_BITS, isSimple, wordHash, type Anchors, type ExactAnchor, type Posting } from './anchors.ts';
import { terms, type Node } from './query.ts';
import { asciiView, fold, isAscii, scanAscii, siteOf, tokenize, TokenSink, type Piece, type Token } from './tokens.ts';

// One compiled matcher for every school of every board. Each school's query gets "anchors": a
// set of index keys such that any post it matches must contain at least one of them (for
// `"obs De Meander" OR (Meander NEAR/5 school)` that is {meander}). A post looks up its own keys
// and only the few queries anchored there are evaluated; queries that cannot be anchored (only
// fields like lang:, or a wildcard without a two-letter start) are evaluated for every post.
// The cost of a post grows with its length and its candidates, not with the number of schools.

export type Entry = { id: string; boardId: string; query: Node; exclusion?: Node | null };
export type IndexHit = Hit & { id: string };
const NO_EXPLANATION: Hit = { spans: [], clauses: [] };
const FIELD_KEY = /^(?:author|site|lang|source):/;
const JSON_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
// A JSON string's escapes as the characters they stand for (a \n between two words must part them).
const unescapeJson = (s: string) =>
  s.replace(/\\(?:u([0-9a-fA-F]{4})|([^]))/g, (_, hex: string | undefined, c: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : (JSON_ESCAPES[c] ?? c),
  );

export class MatcherIndex {
  private entries = new Map<string, Entry & { anchors: Anchors; simple: boolean }>();
  private exact = new Map<string, Posting[]>();
  private prefixes = new Map<string, Set<string>>();
  private prefixLengths = new Map<number, number>();
  private always = new Set<string>();
  private exclusions = new Map<string, Node | null>();
  // Anchors on a field (author:, site:, lang:, source:), which no text alone can rule out.
  private fieldKeys = 0;
  // Queries and exclusion lists that ask for a language (lang:): without any, a post's language is
  // never read, and the caller need not work it out.
  private langUsers = new Set<string>();
  get asksLanguage() {
    return this.langUsers.size !== 0;
  }

  get size() {
    return this.entries.size;
  }

  private freq = (k: string) => this.exact.get(k)?.length ?? 0;

  // Add or replace one school's query: only its own keys change, nothing is rebuilt.
  set(entry: Entry) {
    this.delete(entry.id);
    const found = anchorsOf(entry.query, this.freq);
    // The same anchor twice (two phrases around one word) would be looked up twice: keep one.
    const exact: ExactAnchor[] = [];
    for (const a of found?.exact ?? [])
      if (!exact.some((b) => b.key === a.key && b.words === a.words && b.r === a.r && b.field === a.field))
        exact.push(a);
    const anchors = found && {
      exact,
      prefixes: found.prefixes.length > 1 ? [...new Set(found.prefixes)] : found.prefixes,
    };
    this.entries.set(entry.id, { ...entry, anchors, simple: anchors !== null && isSimple(entry.query) });
    if (asksLanguage(entry.query) || (entry.exclusion && asksLanguage(entry.exclusion)))
      this.langUsers.add(`school:${entry.id}`);
    if (!anchors) {
      this.always.add(entry.id);
      return;
    }
    for (const a of anchors.exact) {
      if (FIELD_KEY.test(a.key)) this.fieldKeys++;
      (this.exact.get(a.key) ?? this.exact.set(a.key, []).get(a.key)!).push({
        id: entry.id,
        words: a.words,
        r: a.r,
        field: a.field,
      });
      const h = wordHash(a.key, 0, a.key.length);
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
    this.langUsers.delete(`school:${id}`);
    for (const { key } of old.anchors?.exact ?? []) {
      if (FIELD_KEY.test(key)) this.fieldKeys--;
      const list = this.exact.get(key);
      if (!list) continue;
      const rest = list.filter((p) => p.id !== id);
      if (rest.length) this.exact.set(key, rest);
      else this.exact.delete(key);
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
    if (exclusion && asksLanguage(exclusion)) this.langUsers.add(`board:${boardId}`);
    else this.langUsers.delete(`board:${boardId}`);
  }

  private lookup(key: string, out: Set<string>) {
    const hit = this.exact.get(key);
    if (hit !== undefined) for (const p of hit) out.add(p.id);
    this.lookupPrefixes(key, out);
  }

  private lookupPrefixes(key: string, out: Set<string>) {
    if (this.prefixLengths.size !== 0) {
      for (const len of this.prefixLengths.keys()) {
        if (key.length < len) continue;
        const p = this.prefixes.get(key.slice(0, len));
        if (p) for (const id of p) out.add(id);
      }
    }
  }

  // Whether any query could match a post with this text (JSON-escaped or not) and an author, site,
  // language and source no query asks for: false only when no anchor word occurs in it and every
  // query needs one, so a false is certain and a true only means "parse and match it properly".
  couldMatchText(raw: string): boolean {
    if (this.always.size !== 0 || this.prefixLengths.size !== 0 || this.fieldKeys !== 0) return true;
    const unescaped = raw.includes('\\') ? unescapeJson(raw) : raw;
    const s = isAscii(unescaped) ? unescaped : asciiView(unescaped);
    if (s === null) {
      for (const t of tokenize(unescaped)) if (this.exact.has(t.t)) return true;
      return false;
    }
    this.rawLow = s.toLowerCase();
    this.rawHit = false;
    scanAscii(this.rawLow, this.rawPiece);
    return this.rawHit;
  }
  private rawLow = '';
  private rawHit = false;
  private rawPiece = (_kind: Piece, start: number, end: number) => {
    if (this.rawHit) return;
    const h = wordHash(this.rawLow, start, end);
    if ((this.bloom[h >>> 3] & (1 << (h & 7))) !== 0 && this.exact.has(this.rawLow.slice(start, end)))
      this.rawHit = true;
  };

  // The same candidates straight from the text, without preparing a document: most posts are
  // about no school and stop here.
  candidatesOf(post: Post): Set<string> {
    const out = this.scratch;
    out.clear();
    for (const id of this.always) out.add(id);
    this.count = 0;
    this.flagged = 0;
    this.verified.clear();
    this.ascii = true;
    this.pos = 0;
    if (post.title) this.visitText(post.title, 0);
    this.titleCount = this.count;
    this.pos = FIELD_GAP_TEXT;
    this.visitText(post.text, 1);
    this.resolveFlagged(out);
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
  private verified = new Set<string>();
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
  private bloom = new Uint8Array(1 << (BLOOM_BITS - 3));
  private lowered: string[] = ['', ''];
  private positions: number[] = [];
  private flags: number[] = [];
  private flagged = 0;
  private pos = 0;
  private piece = (kind: Piece, start: number, end: number) => {
    const n = this.count++;
    this.kinds[n] = kind;
    this.starts[n] = start;
    this.ends[n] = end;
    // Positions as TokenSink gives them: a tag, its handle form and a compound's whole share the
    // next word's position.
    this.positions[n] = kind === 'tag' || kind === 'handle' || kind === 'compound' ? this.pos : this.pos++;
    const s = this.scanning;
    const h = wordHash(s, start, end);
    if (this.prefixLengths.size === 0 && (this.bloom[h >>> 3] & (1 << (h & 7))) === 0) {
      this.strs[n] = undefined;
      return;
    }
    const t = s.slice(start, end);
    this.strs[n] = t;
    this.flags[this.flagged++] = n;
    if (this.prefixLengths.size !== 0) this.lookupPrefixes(t, this.scratch);
  };
  private str(m: number): string {
    return (this.strs[m] ??= this.lowered[m < this.titleCount ? 0 : 1].slice(this.starts[m], this.ends[m]));
  }
  // Each anchor word found in the scan, checked against its postings: a phrase posting only counts
  // when the phrase is really there, around that word.
  private resolveFlagged(out: Set<string>) {
    for (let f = 0; f < this.flagged; f++) {
      const n = this.flags[f];
      const postings = this.exact.get(this.strs[n]!);
      if (postings === undefined) continue;
      for (const p of postings) {
        if (!this.verified.has(p.id) && this.verify(n, p)) {
          out.add(p.id);
          this.verified.add(p.id);
        }
      }
    }
  }
  private verify(n: number, p: Posting): boolean {
    const inTitle = n < this.titleCount;
    if (p.field === 'title' && !inTitle) return false;
    if (!p.words) return true;
    const lo = inTitle ? 0 : this.titleCount;
    const hi = inTitle ? this.titleCount : this.count;
    const at = this.positions[n];
    for (let j = 0; j < p.words.length; j++) {
      if (j === p.r) continue;
      const target = at + (j - p.r!);
      let found = false;
      if (target > at) {
        for (let m = n + 1; m < hi && this.positions[m] <= target && !found; m++)
          found = this.positions[m] === target && this.str(m) === p.words[j];
      } else {
        for (let m = n - 1; m >= lo && this.positions[m] >= target && !found; m--)
          found = this.positions[m] === target && this.str(m) === p.words[j];
      }
      if (!found) return false;
    }
    return true;
  }
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
    for (let i = 0; i < this.titleCount; i++)
      title.add(
        this.kinds[i],
        this.strs[i] ?? lowTitle.slice(this.starts[i], this.ends[i]),
        this.starts[i],
        this.ends[i],
      );
    const text = new TokenSink(tokens, 'text', FIELD_GAP_TEXT);
    for (let i = this.titleCount; i < this.count; i++)
      text.add(
        this.kinds[i],
        this.strs[i] ?? lowText.slice(this.starts[i], this.ends[i]),
        this.starts[i],
        this.ends[i],
      );
    return prepareFrom(tokens, post);
  }

  // explain: false skips building spans and clauses (counting, previews of large sets).
  match(post: Post, opts: { boardId?: string; explain?: boolean } = {}): IndexHit[] {
    const candidates = this.candidatesOf(post);
    if (!candidates.size) return [];
    // The document is only built when something needs it (a test, an explanation, exclusions);
    // no closure for that, as this runs for every post.
    let doc: Doc | undefined;
    const out: IndexHit[] = [];
    // The candidate set is the index's scratch set: nothing below touches the index, so it can be
    // read as it is.
    for (const id of candidates) {
      const e = this.entries.get(id)!;
      if (opts.boardId && e.boardId !== opts.boardId) continue;
      let hit: Hit | null;
      if (opts.explain !== false) hit = evaluate(e.query, (doc ??= this.scannedDoc(post)));
      else if (e.simple && this.verified.has(id)) hit = NO_EXPLANATION;
      else hit = test(e.query, (doc ??= this.scannedDoc(post))) ? NO_EXPLANATION : null;
      if (!hit) continue;
      const exclusion = e.exclusion ?? this.exclusions.get(e.boardId);
      if (exclusion && test(exclusion, (doc ??= this.scannedDoc(post)))) continue;
      out.push({ id, spans: hit.spans, clauses: hit.clauses });
    }
    return out;
  }
}

// Whether a query has a lang: condition anywhere.
const asksLanguage = (n: Node) => terms(n).some((t) => t.type === 'meta' && t.field === 'lang');
