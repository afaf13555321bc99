import { looksLikeHtml, readPage } from '../feeds/htmlPage.ts';
import { parseFeed } from '../feeds/parseFeed.ts';
import { decodeBody } from '../http/decode.ts';
import { guardedFetch } from '../http/guardedFetch.ts';
import { canonicalUrl } from '../urls.ts';
import { CollectError, type CollectContext, type CollectResult, type SourceInput } from './types.ts';

export type FeedMessages = { refused?: (status: number) => string };

// Fetch a feed URL politely (conditional GET) and return its items with canonical links. Shared by
// every collector whose platform publishes a feed.
export async function collectFeed(
  url: string,
  source: SourceInput,
  ctx: CollectContext,
  messages: FeedMessages = {},
): Promise<CollectResult> {
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8',
  };
  if (source.etag) headers['if-none-match'] = source.etag;
  if (source.lastModified) headers['if-modified-since'] = source.lastModified;
  const res = await guardedFetch(url, { ...ctx.fetchOptions, headers });
  const retryAfter = Number(res.headers['retry-after']) || undefined;
  if (res.status === 304) return { items: [], notModified: true };
  if (res.status === 429 || res.status === 503)
    throw new CollectError(
      messages.refused?.(res.status) ?? `De server weigert tijdelijk (HTTP ${res.status})`,
      retryAfter,
    );
  if (res.status === 404 || res.status === 410)
    throw new CollectError(`Deze feed bestaat niet (meer) (HTTP ${res.status})`, undefined, true);
  if (res.status >= 400 && res.status < 500)
    throw new CollectError(`De server weigert deze feed (HTTP ${res.status})`, retryAfter, true);
  if (res.status >= 400) throw new CollectError(`De server antwoordde met HTTP ${res.status}`, retryAfter);
  const text = decodeBody(res.body, res.headers['content-type']);
  if (looksLikeHtml(text)) {
    const feeds = readPage(text, res.url).feeds;
    const err = new CollectError(
      feeds.length
        ? `Dit adres is een webpagina, geen feed. De pagina verwijst naar ${feeds.length === 1 ? 'deze feed' : 'deze feeds'}: ${feeds.map((f) => f.url).join(', ')}`
        : 'Dit adres is een webpagina, geen feed, en de pagina verwijst niet naar een feed',
      undefined,
      true,
    );
    err.discovered = feeds;
    throw err;
  }
  const items = (await parseFeed(text, res.url)).map((item) => {
    const url = canonicalUrl(item.url);
    // An item whose key was its (redirector) link gets the real address as key.
    return { ...item, url, externalId: item.externalId === item.url && url ? url : item.externalId };
  });
  return {
    items,
    etag: (res.headers.etag as string | undefined) ?? null,
    lastModified: (res.headers['last-modified'] as string | undefined) ?? null,
  };
}

export function searchQuery(source: SourceInput): string {
  const q = source.settings.query;
  if (typeof q !== 'string' || !q.trim())
    throw new CollectError('Deze bron heeft geen zoekopdracht (query)', undefined, true);
  return q.trim();
}
