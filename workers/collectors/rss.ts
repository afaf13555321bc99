import crypto from 'node:crypto';
import Parser from 'rss-parser';
import { decodeBody } from '../http/decode.ts';
import { guardedFetch } from '../http/guardedFetch.ts';
import { absoluteUrl, clip, htmlToText } from '../normalise.ts';
import { CollectError, type CollectedItem, type Collector } from './types.ts';

type Entry = Record<string, unknown> & {
  guid?: string; id?: string; link?: string; title?: string; content?: string; contentSnippet?: string;
  summary?: string; 'content:encoded'?: string; creator?: string; author?: unknown; isoDate?: string; pubDate?: string;
};

const parser = new Parser<Record<string, unknown>, Entry>({ customFields: { item: ['content:encoded', 'summary', 'author', 'id'] } });

// xml2js hands back strings, arrays, or objects ({ _: text, $: attributes }, { name }) depending on
// what the feed contains; take the text wherever it is.
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return str(o._ ?? o.name ?? o.href ?? (o.$ as Record<string, unknown> | undefined)?.href ?? '');
  }
  return '';
}

function parseDate(...candidates: (string | undefined)[]): Date | null {
  for (const c of candidates) {
    if (!c) continue;
    const d = new Date(c);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

type JsonFeedItem = { id?: unknown; url?: unknown; external_url?: unknown; title?: unknown; content_text?: unknown; content_html?: unknown; summary?: unknown; date_published?: unknown; date_modified?: unknown; authors?: { name?: unknown }[]; author?: { name?: unknown } };

function fromJsonFeed(doc: { items?: unknown; home_page_url?: unknown }, base: string): CollectedItem[] {
  if (!Array.isArray(doc.items)) throw new CollectError('JSON Feed zonder "items"-lijst');
  return doc.items.map((raw: JsonFeedItem) => {
    const url = absoluteUrl(str(raw.url) || str(raw.external_url), base);
    const text = str(raw.content_text) || htmlToText(str(raw.content_html) || str(raw.summary));
    const title = htmlToText(str(raw.title));
    return {
      externalId: str(raw.id) || url || hashOf(title + text),
      url,
      title: clip(title, 1000),
      text: clip(text),
      author: str(raw.authors?.[0]?.name) || str(raw.author?.name) || null,
      publishedAt: parseDate(str(raw.date_published), str(raw.date_modified)),
    };
  });
}

const hashOf = (s: string) => 'sha1:' + crypto.createHash('sha1').update(s).digest('hex');

export function parseFeedItems(entries: Entry[], base: string): CollectedItem[] {
  return entries.map((e) => {
    const url = absoluteUrl(str(e.link), base);
    const html = str(e['content:encoded']) || str(e.content) || str(e.summary);
    const text = htmlToText(html) || str(e.contentSnippet);
    const title = htmlToText(str(e.title));
    return {
      externalId: str(e.guid) || str(e.id) || url || hashOf(title + text),
      url,
      title: clip(title, 1000),
      text: clip(text),
      author: str(e.creator) || str(e.author) || null,
      publishedAt: parseDate(str(e.isoDate), str(e.pubDate)),
    };
  });
}

export async function parseFeed(body: string, base: string): Promise<CollectedItem[]> {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      throw new CollectError(`Ongeldige JSON Feed: ${(err as Error).message}`);
    }
    return fromJsonFeed(doc as never, base);
  }
  if (/^<!doctype html|^<html/i.test(trimmed)) throw new CollectError('Dit adres geeft een webpagina, geen feed');
  let feed;
  try {
    feed = await parser.parseString(trimmed);
  } catch (err) {
    throw new CollectError(`Feed kon niet gelezen worden: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseFeedItems(feed.items ?? [], base);
}

export const rss: Collector = {
  kind: 'rss',
  label: 'RSS/Atom/JSON Feed',
  async collect(source, ctx) {
    if (!source.url) throw new CollectError('Deze bron heeft geen URL');
    const headers: Record<string, string> = { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8' };
    if (source.etag) headers['if-none-match'] = source.etag;
    if (source.lastModified) headers['if-modified-since'] = source.lastModified;
    const res = await guardedFetch(source.url, { ...ctx.fetchOptions, headers });
    const retryAfter = Number(res.headers['retry-after']) || undefined;
    if (res.status === 304) return { items: [], notModified: true };
    if (res.status === 429 || res.status === 503) throw new CollectError(`De server weigert tijdelijk (HTTP ${res.status})`, retryAfter);
    if (res.status >= 400) throw new CollectError(`De server antwoordde met HTTP ${res.status}`, retryAfter);
    const items = await parseFeed(decodeBody(res.body, res.headers['content-type']), res.url);
    return {
      items,
      etag: (res.headers.etag as string | undefined) ?? null,
      lastModified: (res.headers['last-modified'] as string | undefined) ?? null,
    };
  },
};
