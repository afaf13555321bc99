import { clip } from '../normalise.ts';
import type { CollectedItem, Collector, MediaItem } from './types.ts';

// Bluesky in real time through Jetstream: one WebSocket for the whole deployment carries every public
// post as JSON (workers/stream.ts holds it; jetstreamClient.ts reads it). This module only knows the
// wire format: the subscribe address and what an event means. Events look like
//   {"did":"did:plc:…","time_us":1725911162329308,"kind":"commit",
//    "commit":{"rev":"…","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3q…","cid":"bafy…",
//              "record":{"$type":"app.bsky.feed.post","text":"…","createdAt":"…","langs":["nl"],"reply":…,"embed":…}}}
// and kind "identity" / "account" for handle and account changes, which carry a time_us too.
export const JETSTREAM_KIND = 'bluesky_jetstream';
export const POST_COLLECTION = 'app.bsky.feed.post';
// What `site:` sees of every post: matching needs only the host, not each post's own link.
export const BSKY_SITE = 'https://bsky.app/';

export function subscribeUrl(base: string, collections: readonly string[], cursorUs?: number | null): string {
  const u = new URL(base);
  u.searchParams.delete('wantedCollections');
  u.searchParams.delete('cursor');
  for (const c of collections) u.searchParams.append('wantedCollections', c);
  if (cursorUs != null && cursorUs > 0) u.searchParams.set('cursor', String(Math.floor(cursorUs)));
  return u.toString();
}

type BlobRef = { ref?: { $link?: string } };
type Embed = {
  $type?: string;
  images?: { image?: BlobRef; alt?: string }[];
  video?: BlobRef;
  alt?: string;
  media?: Embed;
};
type StrongRef = { uri?: string };
export type PostRecord = {
  text?: unknown;
  createdAt?: unknown;
  langs?: unknown;
  reply?: { root?: StrongRef; parent?: StrongRef };
  embed?: Embed;
};
// A new post, as far as matching needs it; the rest is read only when it matches.
export type JetstreamPost = { did: string; rkey: string; text: string; lang: string | null; record: PostRecord };
// bad: not a Jetstream event at all (skipped with a log); otherwise the event's time, and the post if it is one.
// screened: passed over unparsed by readFrame.
export type ParsedFrame =
  { bad: true; reason: string } | { bad: false; timeUs: number; post: JetstreamPost | null; screened?: true };

// What each frame costs at Bluesky's rate: a frame in which no string under a "text" key could be
// about a school (`couldMatch`, the deployment matcher's screen) is not parsed at all; only its time
// is read, for the cursor. A post's text is one of those strings, wherever else the key occurs.
// Anything unusual (a key spelled with escapes, spaces around the colon, a time that cannot be read
// that way) is parsed whole.
export function readFrame(frame: string, couldMatch: (text: string) => boolean): ParsedFrame {
  if (!textsCouldMatch(frame, couldMatch)) {
    const timeUs = frameTime(frame);
    if (timeUs !== null) return { bad: false, timeUs, post: null, screened: true };
  }
  return parseFrame(frame);
}

const TEXT_KEY = '"text"';
function textsCouldMatch(frame: string, couldMatch: (text: string) => boolean): boolean {
  if (frame.includes('\\u')) return couldMatch(frame);
  for (let from = 0; ;) {
    const at = frame.indexOf(TEXT_KEY, from);
    if (at < 0) return false;
    const next = frame.charCodeAt(at + TEXT_KEY.length);
    // "text" as a value ("…":"text", ["text"]) is followed by , } or ]
    if (next === 44 || next === 125 || next === 93) {
      from = at + TEXT_KEY.length;
      continue;
    }
    if (next !== 58 || frame.charCodeAt(at + TEXT_KEY.length + 1) !== 34) return couldMatch(frame);
    const start = at + TEXT_KEY.length + 2;
    const end = stringEnd(frame, start);
    if (end < 0) return true;
    if (couldMatch(frame.slice(start, end))) return true;
    from = end + 1;
  }
}

// The closing quote of the JSON string that starts at `start` (after its opening quote), or -1.
function stringEnd(s: string, start: number): number {
  for (let i = s.indexOf('"', start); i >= 0; i = s.indexOf('"', i + 1)) {
    let backslashes = 0;
    while (s.charCodeAt(i - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return -1;
}

// The top-level "time_us" of a frame that is one JSON object, without parsing it. Inside a JSON string
// a quote is escaped, so `"time_us":` can only be a key; a second one (a post's own record may carry
// any key) leaves the question to the parser.
const TIME_KEY = '"time_us":';
export function frameTime(frame: string): number | null {
  if (frame.charCodeAt(0) !== 123 || frame.charCodeAt(frame.length - 1) !== 125) return null;
  const at = frame.indexOf(TIME_KEY);
  if (at < 0 || frame.indexOf(TIME_KEY, at + TIME_KEY.length) >= 0) return null;
  let i = at + TIME_KEY.length;
  let n = 0;
  const start = i;
  for (let c = frame.charCodeAt(i); c >= 48 && c <= 57 && i - start < 16; c = frame.charCodeAt(++i))
    n = n * 10 + (c - 48);
  const next = frame.charCodeAt(i);
  if (i === start || (next !== 44 && next !== 125) || n <= 0 || !Number.isSafeInteger(n)) return null;
  return n;
}

const DID = /^did:[a-z]+:[A-Za-z0-9._:%-]+$/;
const RKEY = /^[A-Za-z0-9._:~-]{1,512}$/;

export function parseFrame(frame: string): ParsedFrame {
  let e: {
    did?: unknown;
    time_us?: unknown;
    kind?: unknown;
    commit?: { operation?: unknown; collection?: unknown; rkey?: unknown; record?: PostRecord };
  };
  try {
    e = JSON.parse(frame);
  } catch {
    return { bad: true, reason: 'not JSON' };
  }
  if (typeof e !== 'object' || e === null) return { bad: true, reason: 'not an object' };
  const timeUs = e.time_us;
  if (typeof timeUs !== 'number' || !Number.isSafeInteger(timeUs) || timeUs <= 0)
    return { bad: true, reason: 'no time_us' };
  const c = e.commit;
  // Deletes, updates (Bluesky posts are not edited) and other collections: nothing to match.
  if (e.kind !== 'commit' || !c || c.operation !== 'create' || c.collection !== POST_COLLECTION)
    return { bad: false, timeUs, post: null };
  const r = c.record;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.text !== 'string' ||
    !r.text ||
    typeof e.did !== 'string' ||
    !DID.test(e.did) ||
    typeof c.rkey !== 'string' ||
    !RKEY.test(c.rkey)
  )
    return { bad: false, timeUs, post: null };
  return { bad: false, timeUs, post: { did: e.did, rkey: c.rkey, text: r.text, lang: langOf(r.langs), record: r } };
}

// The pipeline knows nl, en and other (workers/classify/language.ts); the author's own tag says which.
function langOf(langs: unknown): string | null {
  if (!Array.isArray(langs) || typeof langs[0] !== 'string') return null;
  const primary = langs[0].slice(0, 2).toLowerCase();
  return primary === 'nl' || primary === 'en' ? primary : 'other';
}

const CID = /^[a-z0-9]{8,128}$/i;

// Jetstream gives blob references, not links: images and videos are served by Bluesky's CDNs by
// account and content id.
function mediaOf(did: string, e: Embed | undefined): MediaItem[] {
  if (!e || typeof e !== 'object') return [];
  const t = e.$type ?? '';
  const link = (b: BlobRef | undefined) => {
    const cid = b?.ref?.$link;
    return typeof cid === 'string' && CID.test(cid) ? cid : null;
  };
  if (t === 'app.bsky.embed.images')
    return (Array.isArray(e.images) ? e.images : []).flatMap((i) => {
      const cid = link(i?.image);
      if (!cid) return [];
      const url = `https://cdn.bsky.app/img/feed_fullsize/plain/${did}/${cid}@jpeg`;
      return [{ type: 'image' as const, url, ...(typeof i.alt === 'string' && i.alt ? { alt: i.alt } : {}) }];
    });
  if (t === 'app.bsky.embed.video') {
    const cid = link(e.video);
    if (!cid) return [];
    const url = `https://video.bsky.app/watch/${encodeURIComponent(did)}/${cid}/playlist.m3u8`;
    return [{ type: 'video', url, ...(typeof e.alt === 'string' && e.alt ? { alt: e.alt } : {}) }];
  }
  if (t === 'app.bsky.embed.recordWithMedia') return mediaOf(did, e.media);
  return [];
}

const uriOf = (r: StrongRef | undefined) => (typeof r?.uri === 'string' && r.uri.startsWith('at://') ? r.uri : null);

// No handle lookup: the account is named by its DID, which is also what the link uses.
export function postToItem(p: JetstreamPost): CollectedItem {
  const created = typeof p.record.createdAt === 'string' ? new Date(p.record.createdAt) : null;
  return {
    externalId: `at://${p.did}/${POST_COLLECTION}/${p.rkey}`,
    url: `https://bsky.app/profile/${p.did}/post/${p.rkey}`,
    title: '',
    text: clip(p.text),
    author: p.did,
    handle: p.did,
    publishedAt: created && !Number.isNaN(created.getTime()) ? created : null,
    media: mediaOf(p.did, p.record.embed),
    replyTo: uriOf(p.record.reply?.parent),
    threadId: uriOf(p.record.reply?.root),
  };
}

// Listed so its rows have a collector; never fetched on a schedule (the stream pushes), made by the
// system per board on its first match, paused by a board that wants none of it.
export const blueskyJetstream: Collector = {
  kind: JETSTREAM_KIND,
  label: 'Bluesky (live)',
  help: 'Alle openbare Bluesky-posts, live via Jetstream, getoetst aan de zoekopdrachten van de scholen. Alleen posts die bij een school horen worden bewaard. Wordt door Klankbord zelf aangemaakt als de beheerder van de installatie Jetstream aanzet; pauzeren stopt het voor dit bestuur.',
  fields: [],
  addable: false,
  push: true,
  checkSettings: () => [],
  describe: () => 'Bluesky (live)',
  async collect() {
    return { items: [] };
  },
};
