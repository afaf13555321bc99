import { parseFeed as lenientParse } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import type { CollectedItem, MediaItem } from '../collectors/types.ts';
import { CollectError } from '../collectors/types.ts';
import { absoluteUrl, clip, htmlToText } from '../normalise.ts';
import { parseJsonFeed } from './jsonFeed.ts';
import { hashKey, parseDate, str } from './fields.ts';
import { salvageItems } from './salvage.ts';

type Entry = Record<string, unknown> & {
  guid?: unknown;
  id?: unknown;
  link?: unknown;
  title?: unknown;
  content?: unknown;
  contentSnippet?: unknown;
  summary?: unknown;
  'content:encoded'?: unknown;
  creator?: unknown;
  author?: unknown;
  isoDate?: unknown;
  pubDate?: unknown;
};

// Media RSS (YouTube, podcasts): the description sits in media:group or directly on the item.
function mediaDescription(e: Entry): string {
  const group = e['media:group'] as Record<string, unknown> | undefined;
  return str(group?.['media:description']) || str(e['media:description']);
}

const attrs = (v: unknown): Record<string, string> => {
  const first = Array.isArray(v) ? v[0] : v;
  return ((first as { $?: Record<string, string> } | undefined)?.$ ?? {}) as Record<string, string>;
};
const mediaType = (hint: string): MediaItem['type'] =>
  /^image/.test(hint) ? 'image' : /^video|shockwave/.test(hint) ? 'video' : /^audio/.test(hint) ? 'audio' : 'other';

// Attachments: RSS enclosures and Media RSS content/thumbnails (YouTube puts them in media:group).
function feedMedia(e: Entry): MediaItem[] {
  const out: MediaItem[] = [];
  const enc = e.enclosure as { url?: string; type?: string } | undefined;
  if (enc?.url && /^https?:/i.test(enc.url)) out.push({ type: mediaType(enc.type ?? ''), url: enc.url });
  const group = (e['media:group'] ?? {}) as Record<string, unknown>;
  for (const holder of [e as Record<string, unknown>, group]) {
    const content = attrs(holder['media:content']);
    if (content.url && /^https?:/i.test(content.url))
      out.push({ type: mediaType(content.medium ?? content.type ?? ''), url: content.url });
    const thumb = attrs(holder['media:thumbnail']);
    if (thumb.url && /^https?:/i.test(thumb.url)) out.push({ type: 'image', url: thumb.url });
  }
  return out.slice(0, 10);
}

// Media RSS community data (YouTube): views and star ratings.
function feedEngagement(e: Entry): Record<string, number> {
  const group = (e['media:group'] ?? {}) as Record<string, unknown>;
  const community = (
    Array.isArray(group['media:community']) ? group['media:community'][0] : group['media:community']
  ) as Record<string, unknown> | undefined;
  if (!community) return {};
  const views = Number(attrs(community['media:statistics']).views);
  const ratings = Number(attrs(community['media:starRating']).count);
  return { ...(Number.isFinite(views) ? { views } : {}), ...(Number.isFinite(ratings) ? { ratings } : {}) };
}

const strict = new Parser<Record<string, unknown>, Entry>({
  customFields: {
    item: [
      'content:encoded',
      'summary',
      'author',
      'id',
      'atom:author',
      'atom:published',
      'dc:date',
      'dc:creator',
      'dc:author',
      'dc:description',
      'issued',
      'published',
      'modified',
      'updated',
      'itunes:author',
      'media:group',
      'media:description',
      'media:content',
      'media:thumbnail',
    ],
  },
});

function fromStrict(entries: Entry[], base: string): CollectedItem[] {
  return entries.map((e) => {
    const url = absoluteUrl(str(e.link), base);
    const text =
      htmlToText(
        str(e['content:encoded']) ||
          str(e.content) ||
          str(e.summary) ||
          str(e['dc:description']) ||
          mediaDescription(e),
      ) || str(e.contentSnippet);
    const title = htmlToText(str(e.title));
    const published = parseDate(
      ...['isoDate', 'pubDate', 'atom:published', 'published', 'issued', 'dc:date', 'updated', 'modified'].map(
        (k) => str(e[k]) || undefined,
      ),
    );
    return {
      externalId: str(e.guid) || str(e.id) || url || hashKey(title, published),
      url,
      title: clip(title, 1000),
      text: clip(text),
      author:
        str(e.creator) ||
        str(e['dc:creator']) ||
        str(e['dc:author']) ||
        str(e.author) ||
        str(e['atom:author']) ||
        str(e['itunes:author']) ||
        null,
      publishedAt: published,
      media: feedMedia(e),
      engagement: feedEngagement(e),
    };
  });
}

type LenientItem = {
  id: string | null;
  url: string | null;
  title: string | null;
  content: string | null;
  description: string | null;
  published: Date | null;
  updated: Date | null;
  authors: { name: string | null; email: string | null }[];
};

function fromLenient(items: LenientItem[], base: string): CollectedItem[] {
  return items.map((i) => {
    const url = absoluteUrl(i.url, base);
    const title = htmlToText(i.title ?? '');
    const published = parseDate(i.published, i.updated);
    return {
      externalId: i.id?.trim() || url || hashKey(title, published),
      url,
      title: clip(title, 1000),
      text: clip(htmlToText(i.content || i.description || '')),
      author: i.authors.map((a) => a.name || a.email).find(Boolean) ?? null,
      publishedAt: published,
    };
  });
}

const hasEntries = (xml: string) => /<(?:[\w-]+:)?(?:item|entry)[\s>]/i.test(xml);

// rss-parser first (strict, well known); where it throws or finds nothing in a document that has
// entries — no version attribute, a stray "&", text before the prolog, one bad date — the lenient
// parser takes over, and after it a salvage pass over the raw <item>/<entry> blocks. One item
// shape comes out either way.
export async function parseFeed(body: string, base: string): Promise<CollectedItem[]> {
  const text = body.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{')) return parseJsonFeed(text, base);
  if (/^<!doctype html|^<html[\s>]/i.test(text))
    throw new CollectError('Dit adres geeft een webpagina, geen feed', undefined, true);
  let strictError: Error | undefined;
  try {
    const feed = await strict.parseString(text);
    const items = fromStrict(feed.items ?? [], base);
    if (items.length || !hasEntries(text)) return items;
  } catch (err) {
    strictError = err as Error;
  }
  let lenientError: Error | undefined;
  try {
    const items = fromLenient(lenientParse(text).items as unknown as LenientItem[], base);
    if (items.length || !hasEntries(text)) return items;
  } catch (err) {
    lenientError = err as Error;
  }
  const salvaged = salvageItems(text, base);
  if (salvaged.length) return salvaged;
  if (!strictError && !lenientError) return []; // well-formed, but its entries carry nothing we can use
  const reason = (strictError ?? lenientError)?.message.split('\n')[0] ?? 'geen berichten gevonden';
  throw new CollectError(`Feed kon niet gelezen worden: ${reason}`, undefined, true);
}
