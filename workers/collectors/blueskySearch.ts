import { FetchError, guardedFetch, type FetchResult } from '../http/guardedFetch.ts';
import { postToItem, type PostView } from './blueskyAuthor.ts';
import type { SettingsProblem } from './settings.ts';
import { CollectError, type CollectContext, type CollectedItem, type Collector, type SourceInput } from './types.ts';

// Bluesky's post search (app.bsky.feed.searchPosts) needs a logged-in account since 2025. The
// school gives an account and an app password (Settings → Privacy and security → App passwords,
// never the real password); we log in with com.atproto.server.createSession, keep the session in
// the source's state, refresh it with com.atproto.server.refreshSession when the access token
// expires, and log in again only when the refresh token is spent too. Logins are rate-limited by
// Bluesky (a few dozen per five minutes), so reusing the session matters.
export const BLUESKY_PDS = 'https://bsky.social';
const MAX_PAGES = 3;

type Session = { accessJwt: string; refreshJwt: string };
type XrpcError = { error?: string; message?: string };

function parse(res: FetchResult): Record<string, unknown> & XrpcError {
  try {
    const body = JSON.parse(res.body.toString('utf8'));
    if (body && typeof body === 'object') return body;
  } catch {
    /* handled below */
  }
  throw new CollectError(`Bluesky gaf geen geldige JSON terug (HTTP ${res.status})`, undefined, res.status < 500);
}

function transient(res: FetchResult) {
  if (res.status === 429 || res.status >= 500) {
    throw new CollectError(
      `Bluesky antwoordde met HTTP ${res.status}`,
      Number(res.headers['retry-after']) || undefined,
    );
  }
}

function read(res: FetchResult) {
  transient(res);
  return parse(res);
}

const isSession = (v: unknown): v is Session =>
  !!v && typeof (v as Session).accessJwt === 'string' && typeof (v as Session).refreshJwt === 'string';

async function xrpcPost(base: string, method: string, ctx: CollectContext, body: unknown, bearer?: string) {
  const res = await guardedFetch(new URL(`/xrpc/${method}`, base), {
    ...ctx.fetchOptions,
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
  });
  return { res, body: read(res) };
}

async function login(base: string, ctx: CollectContext, identifier: string, password: string): Promise<Session> {
  const { res, body } = await xrpcPost(base, 'com.atproto.server.createSession', ctx, { identifier, password });
  if (res.status === 401 || body.error === 'AuthenticationRequired') {
    throw new CollectError('Inloggen bij Bluesky lukt niet: account of app-wachtwoord klopt niet', undefined, true);
  }
  if (body.error === 'AccountTakedown' || body.error === 'AccountSuspended')
    throw new CollectError(`Dit Bluesky-account is geblokkeerd (${body.error})`, undefined, true);
  if (res.status >= 400 || !isSession(body))
    throw new CollectError(
      `Inloggen bij Bluesky mislukt: ${body.message ?? body.error ?? `HTTP ${res.status}`}`,
      undefined,
      true,
    );
  return { accessJwt: body.accessJwt, refreshJwt: body.refreshJwt };
}

async function refresh(base: string, ctx: CollectContext, session: Session): Promise<Session | undefined> {
  const { res, body } = await xrpcPost(base, 'com.atproto.server.refreshSession', ctx, undefined, session.refreshJwt);
  return res.status < 400 && isSession(body) ? { accessJwt: body.accessJwt, refreshJwt: body.refreshJwt } : undefined;
}

const expired = (res: FetchResult, body: XrpcError) =>
  (res.status === 400 || res.status === 401) && (body.error === 'ExpiredToken' || body.error === 'InvalidToken');

function settingsOf(s: Record<string, unknown>) {
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string).trim() : '');
  return {
    query: str('query'),
    identifier: str('identifier').replace(/^@/, ''),
    password: str('appPassword'),
    lang: str('lang'),
  };
}

const checkSettings = (s: Record<string, unknown>, url?: string): SettingsProblem[] => {
  const v = settingsOf(s);
  return [
    ...(v.query ? [] : [{ message: 'heeft een zoekopdracht nodig (query)' }]),
    ...(v.identifier ? [] : [{ message: 'heeft het Bluesky-account nodig waarmee gezocht wordt (identifier)' }]),
    ...(v.password ? [] : [{ message: 'heeft een app-wachtwoord van dat account nodig (appPassword)' }]),
    ...(url ? [{ message: 'krijgt geen url, alleen een query', key: 'url' }] : []),
  ];
};

export const blueskySearch: Collector = {
  kind: 'bluesky_search',
  label: 'Bluesky (zoeken)',
  help: 'Zoeken in alle openbare Bluesky-posts. Bluesky vraagt daarvoor een ingelogd account: gebruik een account van de school met een app-wachtwoord (Instellingen → Privacy en beveiliging → App-wachtwoorden), nooit het echte wachtwoord.',
  fields: [
    { key: 'query', label: 'Zoekopdracht', required: true, placeholder: '"De Meander"' },
    { key: 'identifier', label: 'Account', required: true, placeholder: 'school.bsky.social' },
    { key: 'appPassword', label: 'App-wachtwoord', secret: true, required: true },
    { key: 'lang', label: 'Taal (optioneel)', placeholder: 'nl' },
  ],
  checkSettings,
  describe: (s) => `Bluesky: ${settingsOf(s).query}`,
  sourceUrl: (s) => `https://bsky.app/search?q=${encodeURIComponent(settingsOf(s).query)}`,
  async collect(source: SourceInput, ctx) {
    const v = settingsOf(source.settings);
    const problems = checkSettings(source.settings);
    if (problems.length)
      throw new CollectError(`Een Bluesky-zoekbron ${problems.map((p) => p.message).join(' en ')}`, undefined, true);
    const base = ctx.endpoints?.bluesky_pds ?? BLUESKY_PDS;
    const stored = source.state.session;
    // A session belongs to the account it was made for; a changed account logs in afresh.
    let session =
      isSession(stored) && source.state.identifier === v.identifier
        ? stored
        : await login(base, ctx, v.identifier, v.password);
    try {
      return await search(
        base,
        ctx,
        source,
        v,
        () => session,
        (s) => (session = s),
      );
    } catch (err) {
      // Keep a fresh session even when the search failed: logging in again is what Bluesky limits.
      const failure =
        err instanceof CollectError
          ? err
          : new CollectError(
              err instanceof Error ? err.message : String(err),
              undefined,
              err instanceof FetchError && err.permanent,
            );
      failure.state = { ...source.state, identifier: v.identifier, session };
      throw failure;
    }
  },
};

async function search(
  base: string,
  ctx: CollectContext,
  source: SourceInput,
  v: ReturnType<typeof settingsOf>,
  current: () => Session,
  renewed: (s: Session) => void,
) {
  let session = current();
  const since = typeof source.state.since === 'string' ? source.state.since : undefined;
  const items: CollectedItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL('/xrpc/app.bsky.feed.searchPosts', base);
    url.search = new URLSearchParams({
      q: v.query,
      sort: 'latest',
      limit: '100',
      ...(since ? { since } : {}),
      ...(v.lang ? { lang: v.lang } : {}),
      ...(cursor ? { cursor } : {}),
    }).toString();
    const get = (s: Session) =>
      guardedFetch(url, {
        ...ctx.fetchOptions,
        headers: { accept: 'application/json', authorization: `Bearer ${s.accessJwt}` },
      });
    let res = await get(session);
    let body = read(res);
    if (expired(res, body)) {
      session = (await refresh(base, ctx, session)) ?? (await login(base, ctx, v.identifier, v.password));
      renewed(session);
      res = await get(session);
      body = read(res);
    }
    if (res.status === 401 || res.status === 403)
      throw new CollectError(
        `Bluesky laat dit account niet zoeken (HTTP ${res.status}${body.message ? `: ${body.message}` : ''})`,
        undefined,
        true,
      );
    if (res.status >= 400)
      throw new CollectError(
        `Bluesky weigert deze zoekopdracht: ${body.message ?? body.error ?? `HTTP ${res.status}`}`,
        undefined,
        true,
      );
    if (!Array.isArray(body.posts))
      throw new CollectError('Onverwacht antwoord van Bluesky (geen posts)', undefined, true);
    items.push(...(body.posts as PostView[]).map(postToItem));
    cursor = typeof body.cursor === 'string' ? body.cursor : undefined;
    // The first run takes one page; later runs read on until the search has nothing older than
    // `since` left to give.
    if (!since || !cursor) break;
  }
  const newest = items.reduce<string | undefined>((max, i) => {
    const iso = i.publishedAt?.toISOString();
    return iso && (!max || iso > max) && i.publishedAt!.getTime() <= Date.now() + 60_000 ? iso : max;
  }, since);
  return { items, state: { ...source.state, identifier: v.identifier, session, ...(newest ? { since: newest } : {}) } };
}
