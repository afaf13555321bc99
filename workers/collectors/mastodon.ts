import { guardedFetch } from '../http/guardedFetch.ts';
import { clip, htmlToText } from '../normalise.ts';
import { canonicalUrl } from '../urls.ts';
import { requireKeys } from './settings.ts';
import {
  CollectError,
  type CollectContext,
  type CollectedItem,
  type Collector,
  type CollectResult,
  type MediaItem,
  type SourceInput,
} from './types.ts';

// Mastodon's REST API on an instance the school chooses: a hashtag timeline, or one account's
// public posts. New posts are paged with min_id (the statuses immediately newer than the newest
// one we have), at most MAX_PAGES pages of 40 per run.

const PAGE = 40;
const MAX_PAGES = 5;

type Status = {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  content: string;
  spoiler_text?: string;
  language?: string | null;
  account: { acct: string; display_name?: string };
  reblog?: Status | null;
  in_reply_to_id?: string | null;
  media_attachments?: { type: string; url: string | null; remote_url?: string | null; description?: string | null }[];
  favourites_count?: number;
  reblogs_count?: number;
  replies_count?: number;
};

const MEDIA_TYPES: Record<string, MediaItem['type']> = {
  image: 'image',
  gifv: 'video',
  video: 'video',
  audio: 'audio',
};

function settingsOf(source: SourceInput) {
  const s = source.settings;
  const instance = typeof s.instance === 'string' ? s.instance.replace(/\/+$/, '') : '';
  if (!/^https?:\/\/[^/]+$/i.test(instance))
    throw new CollectError('Geef de Mastodon-server als adres, bijvoorbeeld https://mastodon.nl', undefined, true);
  const token = typeof s.token === 'string' && s.token ? s.token : undefined;
  return {
    instance,
    token,
    tag: typeof s.tag === 'string' ? s.tag.replace(/^#/, '') : '',
    account: typeof s.account === 'string' ? s.account.replace(/^@/, '') : '',
  };
}

async function getJson(url: string, ctx: CollectContext, token: string | undefined, what: string): Promise<unknown> {
  const res = await guardedFetch(url, {
    ...ctx.fetchOptions,
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const retryAfter = Number(res.headers['retry-after']) || undefined;
  if (res.status === 401 || res.status === 403) {
    throw new CollectError(
      `Deze Mastodon-server laat ${what} niet zonder (geldig) toegangstoken lezen (HTTP ${res.status}). Sinds Mastodon 4.5 kan een server dat afschermen; voeg een toegangstoken toe of kies een andere server.`,
      undefined,
      true,
    );
  }
  if (res.status === 404) throw new CollectError(`${what} bestaat niet op deze server (HTTP 404)`, undefined, true);
  if (res.status === 429 || res.status >= 500)
    throw new CollectError(`De Mastodon-server antwoordde met HTTP ${res.status}`, retryAfter);
  if (res.status >= 400)
    throw new CollectError(`De Mastodon-server weigert dit verzoek (HTTP ${res.status})`, undefined, true);
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new CollectError('De Mastodon-server gaf geen geldige JSON terug', undefined, true);
  }
}

export function statusToItem(status: Status): CollectedItem {
  const s = status.reblog ?? status;
  const body = htmlToText(s.content ?? '');
  const text = s.spoiler_text ? `${s.spoiler_text}\n\n${body}` : body;
  const name = s.account.display_name?.trim();
  return {
    externalId: s.uri || s.id,
    url: canonicalUrl(s.url ?? s.uri),
    title: '',
    text: clip(text),
    author: name ? `${name} (@${s.account.acct})` : `@${s.account.acct}`,
    publishedAt: new Date(s.created_at),
    handle: `@${s.account.acct}`,
    media: (s.media_attachments ?? []).flatMap((m) => {
      const url = m.url ?? m.remote_url;
      return url
        ? [{ type: MEDIA_TYPES[m.type] ?? 'other', url, ...(m.description ? { alt: m.description } : {}) }]
        : [];
    }),
    replyTo: s.in_reply_to_id ?? null,
    engagement: Object.fromEntries(
      Object.entries({ likes: s.favourites_count, reposts: s.reblogs_count, replies: s.replies_count }).filter(
        (e): e is [string, number] => typeof e[1] === 'number',
      ),
    ),
  };
}

async function page(
  base: string,
  ctx: CollectContext,
  token: string | undefined,
  what: string,
  state: Record<string, unknown>,
): Promise<CollectResult> {
  let minId = typeof state.minId === 'string' ? state.minId : undefined;
  const statuses: Status[] = [];
  for (let i = 0; i < MAX_PAGES; i++) {
    const url = new URL(base);
    url.searchParams.set('limit', String(PAGE));
    if (minId) url.searchParams.set('min_id', minId);
    const list = await getJson(url.toString(), ctx, token, what);
    if (!Array.isArray(list))
      throw new CollectError('Onverwacht antwoord van de Mastodon-server (geen lijst)', undefined, true);
    statuses.push(...(list as Status[]));
    if (!list.length) break;
    // Ids are numeric strings of growing length; compare as BigInt to find the newest.
    minId = (list as Status[]).map((s) => s.id).reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
    if (list.length < PAGE || !state.minId) break; // first run: only the latest page, no backfill
  }
  const notice =
    !statuses.length && !state.minId && !token
      ? `Deze server gaf een lege lijst voor ${what}. Dat kan een stille tag zijn, maar sinds Mastodon 4.5 kan een server deze tijdlijn ook afschermen; controleer het of voeg een toegangstoken toe.`
      : undefined;
  return { items: statuses.map(statusToItem), state: minId ? { ...state, minId } : state, notice };
}

export const mastodonTag: Collector = {
  kind: 'mastodon_tag',
  label: 'Mastodon (hashtag)',
  help: 'Openbare posts met een hashtag op een Mastodon-server naar keuze. Sinds Mastodon 4.5 kan een server hashtag-tijdlijnen afschermen; dan is een toegangstoken van een account op die server nodig.',
  fields: [
    { key: 'instance', label: 'Mastodon-server', type: 'url', required: true, placeholder: 'https://mastodon.nl' },
    { key: 'tag', label: 'Hashtag', required: true, placeholder: 'obsmeander' },
    { key: 'token', label: 'Toegangstoken (alleen als de server dat vraagt)', secret: true },
  ],
  checkSettings: requireKeys('instance', 'tag'),
  describe: (s) => `#${String(s.tag).replace(/^#/, '')}`,
  sourceUrl: (s) => `${String(s.instance ?? '').replace(/\/+$/, '')}/tags/${String(s.tag ?? '').replace(/^#/, '')}`,
  async collect(source, ctx) {
    const { instance, token, tag } = settingsOf(source);
    if (!/^[\p{L}\p{N}_]+$/u.test(tag))
      throw new CollectError('Geef een hashtag zonder spaties, bijvoorbeeld obsmeander', undefined, true);
    return page(`${instance}/api/v1/timelines/tag/${encodeURIComponent(tag)}`, ctx, token, `#${tag}`, source.state);
  },
};

export const mastodonAccount: Collector = {
  kind: 'mastodon_account',
  label: 'Mastodon (account)',
  help: 'De openbare posts van één Mastodon-account, bijvoorbeeld dat van de school.',
  fields: [
    { key: 'instance', label: 'Mastodon-server', type: 'url', required: true, placeholder: 'https://mastodon.nl' },
    { key: 'account', label: 'Account', required: true, placeholder: 'demeander@mastodon.nl' },
    { key: 'token', label: 'Toegangstoken (alleen als de server dat vraagt)', secret: true },
  ],
  checkSettings: requireKeys('instance', 'account'),
  describe: (s) => `@${String(s.account).replace(/^@/, '')}`,
  sourceUrl: (s) => `${String(s.instance ?? '').replace(/\/+$/, '')}/@${String(s.account ?? '').replace(/^@/, '')}`,
  async collect(source, ctx) {
    const { instance, token, account } = settingsOf(source);
    if (!/^[\w.-]+(@[\w.-]+\.[a-z]{2,})?$/i.test(account))
      throw new CollectError('Geef een account als gebruiker of gebruiker@server', undefined, true);
    let id =
      typeof source.state.accountId === 'string' && source.state.account === account
        ? source.state.accountId
        : undefined;
    if (!id) {
      const found = (await getJson(
        `${instance}/api/v1/accounts/lookup?acct=${encodeURIComponent(account)}`,
        ctx,
        token,
        `account @${account}`,
      )) as { id?: unknown };
      if (typeof found?.id !== 'string') throw new CollectError(`Account @${account} niet gevonden`, undefined, true);
      id = found.id;
    }
    const base = `${instance}/api/v1/accounts/${encodeURIComponent(id)}/statuses?exclude_reblogs=true`;
    const result = await page(base, ctx, token, `@${account}`, source.state);
    return { ...result, state: { ...result.state, account, accountId: id } };
  },
};
