import { guardedFetch } from '../http/guardedFetch.ts';
import { clip } from '../normalise.ts';
import { pacificDay } from '../quota.ts';
import type { SettingsProblem } from './settings.ts';
import { CollectError, type CollectContext, type CollectedItem, type Collector, type SourceInput } from './types.ts';

// Comments on the school's own videos through the YouTube Data API v3 with an API key:
// commentThreads.list with allThreadsRelatedToChannelId gives every thread on the channel's videos,
// newest first, 100 per page, with up to five replies each; one page costs one quota unit. Every
// request is counted against the key's daily quota (shared by all sources and workers that use the
// key) and collection stops for the day before the quota is spent.
export const YOUTUBE_API = 'https://www.googleapis.com';
const MAX_PAGES = 5;
const DEFAULT_DAILY_QUOTA = 10_000;
// Stop while a margin is left, so other uses of the same key (and the last page) still fit.
const MARGIN = 0.05;

type CommentSnippet = {
  videoId?: string;
  textOriginal?: string;
  textDisplay?: string;
  authorDisplayName?: string;
  authorChannelUrl?: string;
  likeCount?: number;
  publishedAt?: string;
  parentId?: string;
};
type Comment = { id: string; snippet: CommentSnippet };
type Thread = {
  id: string;
  snippet: { videoId?: string; topLevelComment: Comment; totalReplyCount?: number };
  replies?: { comments?: Comment[] };
};
type ApiError = { error?: { code?: number; message?: string; errors?: { reason?: string }[] } };

function settingsOf(s: Record<string, unknown>) {
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string).trim() : '');
  const quota = Number(s.dailyQuota ?? DEFAULT_DAILY_QUOTA);
  return {
    channel: str('channel_id'),
    key: str('apiKey'),
    dailyQuota: Number.isFinite(quota) && quota > 0 ? Math.floor(quota) : DEFAULT_DAILY_QUOTA,
  };
}

const checkSettings = (s: Record<string, unknown>): SettingsProblem[] => {
  const v = settingsOf(s);
  return [
    ...(/^UC[\w-]{22}$/.test(v.channel)
      ? []
      : [{ message: 'heeft het kanaal-id van de school nodig (channel_id, begint met UC, 24 tekens)' }]),
    ...(v.key ? [] : [{ message: 'heeft een API-sleutel van de YouTube Data API nodig (apiKey)' }]),
  ];
};

function toItem(c: Comment, videoId: string, thread: Thread, isReply: boolean): CollectedItem {
  const s = c.snippet;
  const published = new Date(s.publishedAt ?? '');
  const name = s.authorDisplayName?.trim() || null;
  return {
    externalId: `yt:comment:${c.id}`,
    url: `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}&lc=${encodeURIComponent(c.id)}`,
    title: '',
    text: clip((s.textOriginal ?? s.textDisplay ?? '').trim()),
    author: name,
    handle: name?.startsWith('@') ? name : null,
    publishedAt: Number.isNaN(published.getTime()) ? null : published,
    replyTo: isReply ? (s.parentId ?? thread.snippet.topLevelComment.id) : null,
    threadId: `yt:video:${videoId}`,
    engagement: { likes: s.likeCount ?? 0, ...(isReply ? {} : { replies: thread.snippet.totalReplyCount ?? 0 }) },
  };
}

function failure(status: number, body: ApiError, retryAfter?: number): CollectError {
  const reason = body.error?.errors?.[0]?.reason ?? '';
  const message = body.error?.message ?? `HTTP ${status}`;
  if (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded')
    return new CollectError(
      'Het dagquotum van deze YouTube-API-sleutel is op; morgen (na middernacht Pacific-tijd) gaat het verder',
      3600,
    );
  if (reason === 'keyInvalid' || /api key not valid/i.test(message))
    return new CollectError('De YouTube-API-sleutel is ongeldig', undefined, true);
  if (reason === 'commentsDisabled') return new CollectError('Reacties staan uit op dit kanaal', undefined, true);
  if (status === 404 || reason === 'channelNotFound')
    return new CollectError('Dit YouTube-kanaal bestaat niet (HTTP 404)', undefined, true);
  if (status === 429 || status >= 500) return new CollectError(`YouTube antwoordde met HTTP ${status}`, retryAfter);
  return new CollectError(`YouTube weigert dit verzoek: ${message}`, undefined, true);
}

export const youtubeComments: Collector = {
  kind: 'youtube_comments',
  label: 'YouTube-reacties (eigen kanaal)',
  usesQuota: true,
  help: "Reacties onder de video's van het eigen kanaal van de school, via de YouTube Data API. Nodig: het kanaal-id en een API-sleutel (Google Cloud Console → YouTube Data API v3). Het dagquotum wordt bijgehouden; vóór het op is, stopt het ophalen tot de volgende dag.",
  fields: [
    { key: 'channel_id', label: 'Kanaal-id', required: true, placeholder: 'UC…' },
    { key: 'apiKey', label: 'API-sleutel', secret: true, required: true },
    { key: 'dailyQuota', label: 'Dagquotum (eenheden)', type: 'number', placeholder: '10000' },
  ],
  checkSettings,
  describe: (s) => `Reacties op ${settingsOf(s).channel}`,
  sourceUrl: (s) => `https://www.youtube.com/channel/${settingsOf(s).channel}`,
  async collect(source: SourceInput, ctx: CollectContext) {
    const v = settingsOf(source.settings);
    const problems = checkSettings(source.settings);
    if (problems.length)
      throw new CollectError(
        `Een YouTube-reactiesbron ${problems.map((p) => p.message).join(' en ')}`,
        undefined,
        true,
      );
    if (!ctx.quota) throw new CollectError('Geen quotumteller beschikbaar; YouTube-reacties worden niet opgehaald');
    const newest = typeof source.state.newest === 'string' ? source.state.newest : undefined;
    const items: CollectedItem[] = [];
    let pageToken: string | undefined;
    let notice: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const day = pacificDay();
      if (!(await ctx.quota(v.key, 1, Math.floor(v.dailyQuota * (1 - MARGIN)), day))) {
        notice = `Het dagquotum van de YouTube-API-sleutel is bijna op (${v.dailyQuota} eenheden per dag); verder ophalen na middernacht Pacific-tijd`;
        break;
      }
      const url = new URL('/youtube/v3/commentThreads', ctx.endpoints?.youtube_api ?? YOUTUBE_API);
      url.search = new URLSearchParams({
        part: 'snippet,replies',
        allThreadsRelatedToChannelId: v.channel,
        order: 'time',
        maxResults: '100',
        textFormat: 'plainText',
        key: v.key,
        ...(pageToken ? { pageToken } : {}),
      }).toString();
      const res = await guardedFetch(url, { ...ctx.fetchOptions, headers: { accept: 'application/json' } });
      let body: ApiError & { items?: Thread[]; nextPageToken?: string };
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        if (res.status === 429 || res.status >= 500)
          throw failure(res.status, {}, Number(res.headers['retry-after']) || undefined);
        throw new CollectError(`YouTube gaf geen geldige JSON terug (HTTP ${res.status})`, undefined, true);
      }
      if (res.status >= 400) throw failure(res.status, body, Number(res.headers['retry-after']) || undefined);
      if (!Array.isArray(body.items))
        throw new CollectError('Onverwacht antwoord van YouTube (geen items)', undefined, true);
      for (const t of body.items) {
        const videoId = t.snippet.videoId ?? t.snippet.topLevelComment.snippet.videoId ?? '';
        items.push(toItem(t.snippet.topLevelComment, videoId, t, false));
        for (const r of t.replies?.comments ?? []) items.push(toItem(r, videoId, t, true));
      }
      pageToken = body.nextPageToken;
      const reachedSeen =
        newest && body.items.some((t) => (t.snippet.topLevelComment.snippet.publishedAt ?? '') <= newest);
      if (!newest || reachedSeen || !pageToken) break;
    }
    const latest = items.reduce<string | undefined>((max, i) => {
      const iso = i.replyTo ? undefined : i.publishedAt?.toISOString();
      return iso && (!max || iso > max) ? iso : max;
    }, newest);
    return { items, notice, state: latest ? { ...source.state, newest: latest } : source.state };
  },
};
