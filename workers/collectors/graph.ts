import { guardedFetch } from '../http/guardedFetch.ts';
import { clip } from '../normalise.ts';
import type { SettingsProblem } from './settings.ts';
import {
  CollectError,
  type CollectContext,
  type CollectedItem,
  type Collector,
  type MediaItem,
  type SourceInput,
} from './types.ts';

// Meta's Graph API with the school's own access token. Only the school's own Facebook page and
// Instagram business account can be read this way: comments under its own page posts, comments
// under its own Instagram posts, and Instagram posts in which it is tagged. Groups, private
// profiles and other people's pages cannot be read at all.
export const GRAPH = 'https://graph.facebook.com';
export const GRAPH_VERSION = 'v23.0';

type GraphError = { error?: { message?: string; type?: string; code?: number; error_subcode?: number } };

async function graphGet(
  path: string,
  params: Record<string, string>,
  token: string,
  ctx: CollectContext,
): Promise<Record<string, unknown>> {
  const url = new URL(`/${GRAPH_VERSION}/${path}`, ctx.endpoints?.graph ?? GRAPH);
  url.search = new URLSearchParams(params).toString();
  // The token goes in a header, so it never ends up in a log line or an error message with the URL.
  const res = await guardedFetch(url, {
    ...ctx.fetchOptions,
    headers: { accept: 'application/json', authorization: `Bearer ${token}` },
  });
  let body: Record<string, unknown> & GraphError;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new CollectError(
      `Meta gaf geen geldige JSON terug (HTTP ${res.status})`,
      Number(res.headers['retry-after']) || undefined,
      res.status < 500 && res.status !== 429,
    );
  }
  if (res.status < 400 && !body.error) return body;
  const e = body.error ?? {};
  const code = e.code ?? 0;
  // 4, 17, 32, 613: rate limits (app, user, page); 1, 2: temporary server trouble.
  if ([1, 2, 4, 17, 32, 613].includes(code) || res.status >= 500)
    throw new CollectError(
      `Meta beperkt het aantal verzoeken of heeft een storing (code ${code || res.status}); later opnieuw`,
      3600,
    );
  if (code === 190)
    throw new CollectError(
      'Het toegangstoken van Meta is verlopen of ingetrokken; maak een nieuw token aan in Meta Business Suite',
      undefined,
      true,
    );
  if (code === 10 || code === 200 || (code >= 200 && code < 300))
    throw new CollectError(
      `Dit token mag dit niet lezen (${e.message ?? `code ${code}`}); alleen eigen pagina's en accounts met de juiste toestemmingen`,
      undefined,
      true,
    );
  throw new CollectError(`Meta weigert dit verzoek: ${e.message ?? `HTTP ${res.status}`}`, undefined, true);
}

const list = <T>(v: unknown): T[] => (Array.isArray((v as { data?: unknown })?.data) ? (v as { data: T[] }).data : []);
const date = (s: string | undefined) => {
  const d = new Date(s ?? '');
  return Number.isNaN(d.getTime()) ? null : d;
};

function graphSettings(s: Record<string, unknown>, idKey: string) {
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string).trim() : '');
  return { id: str(idKey), token: str('token') };
}

const checks =
  (idKey: string, what: string) =>
  (s: Record<string, unknown>): SettingsProblem[] => {
    const v = graphSettings(s, idKey);
    return [
      ...(/^\d{5,25}$/.test(v.id) ? [] : [{ message: `heeft het nummer van ${what} nodig (${idKey})` }]),
      ...(v.token ? [] : [{ message: 'heeft een toegangstoken van Meta nodig (token)' }]),
    ];
  };

// --- Facebook page: comments under the page's own recent posts (one request, fields expanded).

type FbComment = {
  id: string;
  message?: string;
  created_time?: string;
  permalink_url?: string;
  like_count?: number;
  comment_count?: number;
  parent?: { id: string };
  from?: { name?: string };
  attachment?: { type?: string; url?: string; media?: { image?: { src?: string } } };
};
type FbPost = { id: string; message?: string; permalink_url?: string; comments?: { data?: FbComment[] } };

function fbComment(c: FbComment, post: FbPost): CollectedItem {
  const img = c.attachment?.media?.image?.src;
  const media: MediaItem[] = img ? [{ type: c.attachment?.type?.includes('video') ? 'video' : 'image', url: img }] : [];
  return {
    externalId: `fb:comment:${c.id}`,
    url: c.permalink_url ?? post.permalink_url ?? null,
    title: '',
    text: clip(c.message ?? ''),
    author: c.from?.name ?? null,
    publishedAt: date(c.created_time),
    media,
    replyTo: c.parent?.id ?? null,
    threadId: `fb:post:${post.id}`,
    engagement: { likes: c.like_count ?? 0, replies: c.comment_count ?? 0 },
  };
}

export const facebookPage: Collector = {
  kind: 'facebook_page',
  label: 'Facebook-pagina (eigen pagina)',
  help: 'Reacties onder de berichten van de eigen Facebook-pagina van de school. Alleen de eigen pagina kan gelezen worden, met een paginatoken uit Meta Business Suite (toestemmingen pages_read_engagement en pages_read_user_content). Facebookgroepen en profielen van anderen kan niemand uitlezen.',
  fields: [
    { key: 'page_id', label: 'Pagina-id (nummer)', required: true, placeholder: '1234567890' },
    { key: 'token', label: 'Toegangstoken (Meta)', secret: true, required: true },
  ],
  checkSettings: checks('page_id', 'de eigen Facebook-pagina'),
  describe: (s) => `Reacties op pagina ${graphSettings(s, 'page_id').id}`,
  sourceUrl: (s) => `https://www.facebook.com/${graphSettings(s, 'page_id').id}`,
  async collect(source: SourceInput, ctx) {
    const v = graphSettings(source.settings, 'page_id');
    const problems = facebookPage.checkSettings(source.settings);
    if (problems.length)
      throw new CollectError(`Een Facebook-bron ${problems.map((p) => p.message).join(' en ')}`, undefined, true);
    const body = await graphGet(
      `${v.id}/posts`,
      {
        fields:
          'id,message,permalink_url,comments.order(reverse_chronological).filter(stream).limit(100){id,message,created_time,permalink_url,like_count,comment_count,parent{id},from{name},attachment}',
        limit: '10',
      },
      v.token,
      ctx,
    );
    const items = list<FbPost>(body).flatMap((post) =>
      list<FbComment>(post.comments)
        .filter((c) => c.message)
        .map((c) => fbComment(c, post)),
    );
    return { items };
  },
};

// --- Instagram business account: posts it is tagged in, and comments under its own posts.

type IgMedia = {
  id: string;
  caption?: string;
  media_type?: string;
  media_url?: string;
  thumbnail_url?: string;
  permalink?: string;
  timestamp?: string;
  username?: string;
  like_count?: number;
  comments_count?: number;
  comments?: { data?: IgComment[] };
};
type IgComment = {
  id: string;
  text?: string;
  timestamp?: string;
  username?: string;
  like_count?: number;
  replies?: { data?: IgComment[] };
};

function igMedia(m: IgMedia): MediaItem[] {
  const url = m.media_type === 'VIDEO' ? (m.media_url ?? m.thumbnail_url) : m.media_url;
  return url ? [{ type: m.media_type === 'VIDEO' ? 'video' : 'image', url }] : [];
}

function igComment(c: IgComment, post: IgMedia, parent?: string): CollectedItem {
  return {
    externalId: `ig:comment:${c.id}`,
    url: post.permalink ?? null,
    title: '',
    text: clip(c.text ?? ''),
    author: c.username ? `@${c.username}` : null,
    handle: c.username ? `@${c.username}` : null,
    publishedAt: date(c.timestamp),
    replyTo: parent ?? null,
    threadId: `ig:media:${post.id}`,
    engagement: { likes: c.like_count ?? 0 },
  };
}

export const instagramBusiness: Collector = {
  kind: 'instagram_business',
  label: 'Instagram (eigen zakelijk account)',
  help: 'Posts waarin het zakelijke Instagram-account van de school getagd is, en reacties onder de eigen posts. Alleen het eigen account kan gelezen worden (token met instagram_basic en instagram_manage_comments). Vermeldingen van @school in bijschriften van anderen geeft Instagram alleen via webhooks door; die leest Klankbord niet.',
  fields: [
    { key: 'ig_user_id', label: 'Instagram-account-id (nummer)', required: true, placeholder: '17841400000000000' },
    { key: 'token', label: 'Toegangstoken (Meta)', secret: true, required: true },
  ],
  checkSettings: checks('ig_user_id', 'het eigen zakelijke Instagram-account'),
  describe: (s) => `Instagram ${graphSettings(s, 'ig_user_id').id}`,
  sourceUrl: (s) => `https://www.instagram.com/#${graphSettings(s, 'ig_user_id').id}`,
  async collect(source: SourceInput, ctx) {
    const v = graphSettings(source.settings, 'ig_user_id');
    const problems = instagramBusiness.checkSettings(source.settings);
    if (problems.length)
      throw new CollectError(`Een Instagram-bron ${problems.map((p) => p.message).join(' en ')}`, undefined, true);
    const tagged = await graphGet(
      `${v.id}/tags`,
      {
        fields: 'id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,username,like_count,comments_count',
        limit: '50',
      },
      v.token,
      ctx,
    );
    const own = await graphGet(
      `${v.id}/media`,
      {
        fields:
          'id,caption,permalink,timestamp,comments.limit(50){id,text,timestamp,username,like_count,replies{id,text,timestamp,username,like_count}}',
        limit: '10',
      },
      v.token,
      ctx,
    );
    const items: CollectedItem[] = list<IgMedia>(tagged).map((m) => ({
      externalId: `ig:media:${m.id}`,
      url: m.permalink ?? null,
      title: '',
      text: clip(m.caption ?? ''),
      author: m.username ? `@${m.username}` : null,
      handle: m.username ? `@${m.username}` : null,
      publishedAt: date(m.timestamp),
      media: igMedia(m),
      engagement: { likes: m.like_count ?? 0, replies: m.comments_count ?? 0 },
    }));
    for (const post of list<IgMedia>(own)) {
      for (const c of list<IgComment>(post.comments)) {
        items.push(igComment(c, post));
        for (const r of list<IgComment>(c.replies)) items.push(igComment(r, post, c.id));
      }
    }
    return { items };
  },
};
