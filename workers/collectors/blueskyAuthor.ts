import { guardedFetch } from '../http/guardedFetch.ts';
import { clip } from '../normalise.ts';
import { requireKeys } from './settings.ts';
import { CollectError, type CollectedItem, type Collector, type MediaItem, type SourceInput } from './types.ts';

// One account's public posts through Bluesky's public AppView (app.bsky.feed.getAuthorFeed, no
// login needed). The feed pages backwards from the newest post; we read pages until we reach the
// newest post seen last time (kept in the source's state), at most MAX_PAGES per run.
export const BLUESKY_PUBLIC = 'https://public.api.bsky.app';
const MAX_PAGES = 3;

type Image = { thumb?: string; fullsize?: string; alt?: string };
type Embed = {
  $type?: string;
  images?: Image[];
  playlist?: string;
  thumbnail?: string;
  alt?: string;
  external?: { uri?: string; title?: string; thumb?: string };
  media?: Embed;
};
export type PostView = {
  uri: string;
  author: { handle: string; displayName?: string };
  record: { text?: string; createdAt?: string; reply?: { root?: { uri?: string }; parent?: { uri?: string } } };
  embed?: Embed;
  indexedAt?: string;
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
  quoteCount?: number;
};
type FeedViewPost = { post: PostView; reason?: { $type?: string } };

const ACTOR = /^(did:[a-z]+:[\w.:%-]+|[a-z0-9.-]+\.[a-z]{2,})$/i;

function mediaOf(e: Embed | undefined): MediaItem[] {
  if (!e) return [];
  const t = e.$type ?? '';
  if (t.startsWith('app.bsky.embed.images'))
    return (e.images ?? []).flatMap((i) =>
      i.fullsize || i.thumb
        ? [{ type: 'image' as const, url: (i.fullsize ?? i.thumb)!, ...(i.alt ? { alt: i.alt } : {}) }]
        : [],
    );
  if (t.startsWith('app.bsky.embed.video') && (e.playlist || e.thumbnail))
    return [{ type: 'video', url: (e.playlist ?? e.thumbnail)!, ...(e.alt ? { alt: e.alt } : {}) }];
  if (t.startsWith('app.bsky.embed.recordWithMedia')) return mediaOf(e.media);
  return [];
}

function counts(p: PostView): Record<string, number> {
  const all = { likes: p.likeCount, reposts: p.repostCount, replies: p.replyCount, quotes: p.quoteCount };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

export function postToItem(p: PostView): CollectedItem {
  const rkey = p.uri.split('/').pop() ?? '';
  const name = p.author.displayName?.trim();
  const created = new Date(p.record.createdAt ?? p.indexedAt ?? '');
  return {
    externalId: p.uri,
    url: `https://bsky.app/profile/${p.author.handle}/post/${rkey}`,
    title: '',
    text: clip(p.record.text ?? ''),
    author: name ? `${name} (@${p.author.handle})` : `@${p.author.handle}`,
    publishedAt: Number.isNaN(created.getTime()) ? null : created,
    handle: `@${p.author.handle}`,
    media: mediaOf(p.embed),
    replyTo: p.record.reply?.parent?.uri ?? null,
    threadId: p.record.reply?.root?.uri ?? null,
    engagement: counts(p),
  };
}

export const blueskyAuthor: Collector = {
  kind: 'bluesky_author',
  label: 'Bluesky (account)',
  help: 'De openbare posts van één Bluesky-account, bijvoorbeeld dat van de school.',
  fields: [{ key: 'actor', label: 'Account', required: true, placeholder: 'school.bsky.social' }],
  checkSettings: requireKeys('actor'),
  describe: (s) => `@${String(s.actor).replace(/^@/, '')}`,
  sourceUrl: (s) => `https://bsky.app/profile/${String(s.actor ?? '').replace(/^@/, '')}`,
  async collect(source: SourceInput, ctx) {
    const actor = typeof source.settings.actor === 'string' ? source.settings.actor.replace(/^@/, '').trim() : '';
    if (!ACTOR.test(actor))
      throw new CollectError('Geef een Bluesky-account als handle (school.bsky.social) of did', undefined, true);
    const newest = typeof source.state.newest === 'string' ? source.state.newest : undefined;
    const items: CollectedItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = new URL('/xrpc/app.bsky.feed.getAuthorFeed', ctx.endpoints?.bluesky ?? BLUESKY_PUBLIC);
      url.search = new URLSearchParams({
        actor,
        limit: '100',
        filter: 'posts_with_replies',
        ...(cursor ? { cursor } : {}),
      }).toString();
      const res = await guardedFetch(url, { ...ctx.fetchOptions, headers: { accept: 'application/json' } });
      if (res.status === 429 || res.status >= 500)
        throw new CollectError(
          `Bluesky antwoordde met HTTP ${res.status}`,
          Number(res.headers['retry-after']) || undefined,
        );
      let body: { feed?: FeedViewPost[]; cursor?: string; error?: string; message?: string };
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        throw new CollectError(`Bluesky gaf geen geldige JSON terug (HTTP ${res.status})`, undefined, true);
      }
      if (res.status >= 400)
        throw new CollectError(
          `Bluesky weigert dit account: ${body.message ?? body.error ?? `HTTP ${res.status}`}`,
          undefined,
          true,
        );
      if (!Array.isArray(body.feed))
        throw new CollectError('Onverwacht antwoord van Bluesky (geen feed)', undefined, true);
      // Reposts are other people's words; replies and own posts are kept.
      const own = body.feed.filter((f) => !f.reason?.$type?.endsWith('#reasonRepost')).map((f) => postToItem(f.post));
      items.push(...own);
      const reachedSeen = newest && own.some((i) => i.publishedAt && i.publishedAt.toISOString() <= newest);
      cursor = body.cursor;
      if (!newest || reachedSeen || !cursor) break;
    }
    const latest = items.reduce<string | undefined>((max, i) => {
      const iso = i.publishedAt?.toISOString();
      return iso && (!max || iso > max) ? iso : max;
    }, newest);
    return { items, state: latest ? { ...source.state, newest: latest } : source.state };
  },
};
