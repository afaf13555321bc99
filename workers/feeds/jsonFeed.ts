import { absoluteUrl, clip, htmlToText } from '../normalise.ts';
import type { CollectedItem } from '../collectors/types.ts';
import { CollectError } from '../collectors/types.ts';
import { hashKey, parseDate, str } from './fields.ts';

type JsonFeedItem = {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  content_text?: unknown;
  content_html?: unknown;
  summary?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  authors?: { name?: unknown }[];
  author?: { name?: unknown };
};

// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), mapped by hand: no parser needed.
export function parseJsonFeed(text: string, base: string): CollectedItem[] {
  let doc: { items?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CollectError(`Ongeldige JSON Feed: ${(err as Error).message}`, undefined, true);
  }
  if (!doc || !Array.isArray(doc.items)) throw new CollectError('JSON Feed zonder "items"-lijst', undefined, true);
  return doc.items
    .filter((raw): raw is JsonFeedItem => !!raw && typeof raw === 'object')
    .map((raw) => {
      const url = absoluteUrl(str(raw.url) || str(raw.external_url), base);
      const text = str(raw.content_text) || htmlToText(str(raw.content_html) || str(raw.summary));
      const title = htmlToText(str(raw.title));
      const published = parseDate(str(raw.date_published), str(raw.date_modified));
      return {
        externalId: str(raw.id) || url || hashKey(title, published),
        url,
        title: clip(title, 1000),
        text: clip(text),
        author: str(raw.authors?.[0]?.name) || str(raw.author?.name) || null,
        publishedAt: published,
      };
    });
}
