// Tokenising for the query language. Both posts and queries go through the same folding: lower
// case, accents removed (ë = e), so "Scholengemeenschap Ëmmen" and "emmen" meet.
//
// Dutch details:
// - "school's", "auto's", "Anne's": the token is the word before the apostrophe ("school").
// - Hyphenated compounds ("Scala-leerlingen", "Edu-Ley") give the whole ("scala-leerlingen") and
//   each part ("scala", "leerlingen"); the parts take consecutive positions, so the phrase
//   "Scala leerlingen" matches too, and the name "Edu-Ley" matches as one token.
// - "#hashtag" and "@handle" (also "@user@server") are tokens of their own, and their bare word is
//   a token at the same position, so `meander` finds "#meander" but `#meander` only the hashtag.
// - URLs stay whole (one token), so their path words do not match school names.

export type Field = 'title' | 'text' | 'author';
export type Token = { t: string; pos: number; start: number; end: number; field: Field };

const MARKS = /\p{M}+/gu;
// Plain ASCII (most words) only needs lower-casing, which is much cheaper.
const NON_ASCII = /[^\x00-\x7f]/;
export const fold = (s: string) =>
  NON_ASCII.test(s) ? s.normalize('NFKD').replace(MARKS, '').toLowerCase() : s.toLowerCase();

// Folding can change lengths (ﬁ → fi); offsets must point into the original string, so the
// pattern runs over the original text and only the token values are folded.
const TOKEN =
  /(https?:\/\/[^\s<>"']+)|(#[\p{L}\p{N}_]+|@[\p{L}\p{N}_]+(?:@[\p{L}\p{N}_.-]*[\p{L}\p{N}])?)|([\p{L}\p{N}]+(?:[-‐][\p{L}\p{N}]+)*)(?:['’`][\p{L}]{1,2}(?![\p{L}\p{N}]))?/gu;

export function tokenize(text: string, field: Field = 'text', firstPos = 0): Token[] {
  if (!NON_ASCII.test(text)) return tokenizeAscii(text, field, firstPos);
  const out: Token[] = [];
  let pos = firstPos;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const start = m.index;
    if (m[1]) {
      const url = m[1].replace(/[.,;:!?)\]]+$/, '');
      out.push({ t: fold(url), pos: pos++, start, end: start + url.length, field });
      continue;
    }
    if (m[2]) {
      const end = start + m[2].length;
      const tag = fold(m[2]);
      out.push({ t: tag, pos, start, end, field });
      const bare = tag.slice(1).split('@')[0];
      // @user@server is also @user: a handle query matches it on any server.
      if (tag.indexOf('@', 1) > 0) out.push({ t: `@${bare}`, pos, start, end, field });
      if (bare) out.push({ t: bare, pos, start, end, field });
      pos++;
      continue;
    }
    const word = m[3];
    const end = start + word.length;
    const parts = word.split(/[-‐]/);
    if (parts.length > 1) {
      out.push({ t: fold(parts.join('-')), pos, start, end, field });
      let at = start;
      for (const p of parts) {
        out.push({ t: fold(p), pos: pos++, start: at, end: at + p.length, field });
        at += p.length + 1;
      }
    } else {
      out.push({ t: fold(word), pos: pos++, start, end, field });
    }
  }
  return out;
}

// The words of a query term, folded the same way ("Edu-Ley" → ["edu-ley"], "obs De Meander" →
// ["obs", "de", "meander"]).
export function queryWords(s: string): string[] {
  return dedupeCompoundParts(tokenize(s));
}

function dedupeCompoundParts(tokens: Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    out.push(tok.t);
    // Skip the parts of a compound and the bare twin of a #tag/@handle.
    if (tok.t.includes('-') && !tok.t.startsWith('http')) {
      const n = tok.t.split('-').length;
      i += n;
    } else if (/^[#@]/.test(tok.t)) {
      while (tokens[i + 1]?.pos === tok.pos) i++;
    }
  }
  return out;
}

// A stream asks for the same site post after post: the last answer is kept (parsing a URL costs more
// than matching most posts).
let lastUrl = '';
let lastSite: string | null = null;
export function siteOf(url: string | null | undefined): string | null {
  if (!url) return null;
  if (url === lastUrl) return lastSite;
  let site: string | null;
  try {
    site = fold(new URL(url).hostname).replace(/^www\./, '');
  } catch {
    site = null;
  }
  lastUrl = url;
  lastSite = site;
  return site;
}

// The prefilter's view of a text: every token value tokenize() would give, without positions or
// objects, by scanning character codes. Only plain-ASCII texts take this path (the others go
// through tokenize()); a test checks both agree on arbitrary input.
const isAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
const isTagChar = (c: number) => isAlnum(c) || c === 95;

export type Piece = 'url' | 'tag' | 'handle' | 'bare' | 'word' | 'compound' | 'part';

// Scans lower-cased plain-ASCII text; emit gets each piece's kind and offsets.
export function scanAscii(s: string, emit: (kind: Piece, start: number, end: number) => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 104 && (s.startsWith('http://', i) || s.startsWith('https://', i))) {
      // A URL: up to whitespace or < > " ', minus trailing punctuation.
      let j = i;
      while (j < n && !/[\s<>"']/.test(s[j])) j++;
      let end = j;
      while (end > i && '.,;:!?)]'.includes(s[end - 1])) end--;
      if (end - i > (s.startsWith('https://', i) ? 8 : 7)) {
        emit('url', i, end);
        i = j;
        continue;
      }
    }
    if ((c === 35 || c === 64) && i + 1 < n && isTagChar(s.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isTagChar(s.charCodeAt(j))) j++;
      const bareEnd = j;
      // @user@server
      if (c === 64 && s.charCodeAt(j) === 64) {
        let k = j + 1;
        while (k < n && (isTagChar(s.charCodeAt(k)) || s[k] === '.' || s[k] === '-')) k++;
        while (k > j + 1 && !isAlnum(s.charCodeAt(k - 1))) k--;
        if (k > j + 1) j = k;
      }
      emit('tag', i, j);
      if (j > bareEnd) emit('handle', i, bareEnd);
      emit('bare', i + 1, bareEnd);
      i = j;
      continue;
    }
    if (isAlnum(c)) {
      let j = i;
      let parts = 1;
      for (;;) {
        while (j < n && isAlnum(s.charCodeAt(j))) j++;
        if (j + 1 < n && s.charCodeAt(j) === 45 && isAlnum(s.charCodeAt(j + 1))) {
          parts++;
          j++;
          continue;
        }
        break;
      }
      if (parts > 1) {
        emit('compound', i, j);
        let at = i;
        for (let k = i; k <= j; k++) {
          if (k === j || s.charCodeAt(k) === 45) {
            emit('part', at, k);
            at = k + 1;
          }
        }
      } else emit('word', i, j);
      // 's, 't, 'n … belong to the word; skip them.
      const q = s.charCodeAt(j);
      if (q === 39 || q === 96) {
        let k = j + 1;
        while (k < n && k - j <= 3 && s.charCodeAt(k) >= 97 && s.charCodeAt(k) <= 122) k++;
        const len = k - j - 1;
        if (len >= 1 && len <= 2 && !(k < n && isAlnum(s.charCodeAt(k)))) j = k;
      }
      i = j;
      continue;
    }
    i++;
  }
}

export const isAscii = (s: string) => !NON_ASCII.test(s);

// A plain-ASCII text whose scanAscii pieces include every token tokenize() gives of `text` (more
// pieces are fine: it is for screening, see MatcherIndex.couldMatchRaw), or null when only tokenize()
// will do: letters outside ASCII remain after folding (ß, ø, other scripts), or a ‐ (U+2010), which
// joins a compound but not a handle's server. Accents fold away; whitespace stays whitespace and ’
// an apostrophe; anything else (emoji, symbols) becomes a control character, which parts words but,
// as in tokenize(), not a URL.
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /^\p{M}$/u;
const SPACE = /^\s$/u;
// One pass over the char codes: texts are mostly ASCII with a few accents or emoji, and a regular
// expression with a callback per character costs more than the rest of the screen.
export function asciiView(text: string): string | null {
  const f = text.normalize('NFKD');
  let out = '';
  let last = 0;
  for (let i = 0; i < f.length; i++) {
    const c = f.charCodeAt(i);
    if (c < 128) continue;
    const astral = c >= 0xd800 && c <= 0xdbff && i + 1 < f.length;
    const ch = astral ? f.slice(i, i + 2) : f[i];
    let rep: string;
    if (c >= 0x300 && c <= 0x36f) rep = '';
    else if (c === 0x2019) rep = "'";
    else if (c === 0x2010 || LETTER_OR_DIGIT.test(ch)) return null;
    else if (MARK.test(ch)) rep = '';
    else rep = SPACE.test(ch) ? ' ' : '\x01';
    out += f.slice(last, i) + rep;
    if (astral) i++;
    last = i + 1;
  }
  return last === 0 ? f : out + f.slice(last);
}

export function scanTokens(text: string, emit: (t: string) => void): void {
  if (NON_ASCII.test(text)) {
    for (const t of tokenize(text)) emit(t.t);
    return;
  }
  const s = text.toLowerCase();
  scanAscii(s, (_kind, start, end) => emit(s.slice(start, end)));
}

// Turns scanned pieces into tokens with positions: a #tag, its @handle form and its bare word
// share a position; a compound's whole shares its first part's position.
export class TokenSink {
  constructor(
    readonly out: Token[],
    readonly field: Field,
    private pos: number,
  ) {}
  add(kind: Piece, t: string, start: number, end: number) {
    const { out, field } = this;
    if (kind === 'tag' || kind === 'compound') out.push({ t, pos: this.pos, start, end, field });
    else if (kind === 'handle')
      out.push({ t, pos: this.pos, start: out[out.length - 1].start, end: out[out.length - 1].end, field });
    else if (kind === 'bare') out.push({ t, pos: this.pos++, start: start - 1, end: out[out.length - 1].end, field });
    else out.push({ t, pos: this.pos++, start, end, field });
  }
}

class SlicingSink extends TokenSink {
  constructor(
    private readonly s: string,
    field: Field,
    firstPos: number,
  ) {
    super([], field, firstPos);
  }
  readonly piece = (kind: Piece, start: number, end: number) => this.add(kind, this.s.slice(start, end), start, end);
}

function tokenizeAscii(text: string, field: Field, firstPos: number): Token[] {
  const s = text.toLowerCase();
  const sink = new SlicingSink(s, field, firstPos);
  scanAscii(s, sink.piece);
  return sink.out;
}
