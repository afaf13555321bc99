import type { CollectedItem } from '../collectors/types.ts';
import { absoluteUrl, clip, decodeEntities, htmlToText } from '../normalise.ts';
import { hashKey, parseDate } from './fields.ts';

// Last resort for documents both parsers reject (RSS 1.1, a lone Atom <entry>, broken entities,
// truncated files): cut out each <item>/<entry> and read its fields one by one. It never throws.

const block = /<((?:[\w-]+:)?(?:item|entry))\b[^>]*>([\s\S]*?)(?:<\/\1\s*>|(?=<(?:[\w-]+:)?(?:item|entry)\b)|$)/gi;

function field(xml: string, names: string[]): string {
  for (const name of names) {
    const m = xml.match(
      new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w-]+:)?${name}\\s*>)`, 'i'),
    );
    if (m?.[1]) {
      const raw = m[1].replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, '$1').trim();
      if (raw) return raw;
    }
  }
  return '';
}

function linkOf(xml: string): string {
  const alternate =
    xml.match(/<(?:[\w-]+:)?link\b[^>]*\brel=["']alternate["'][^>]*\bhref=["']([^"']+)["']/i) ??
    xml.match(/<(?:[\w-]+:)?link\b(?![^>]*\brel=["'](?!alternate))[^>]*\bhref=["']([^"']+)["']/i);
  if (alternate) return decodeEntities(alternate[1]);
  const text = field(xml, ['link']);
  if (text) return decodeEntities(htmlToText(text));
  return decodeEntities(xml.match(/\brdf:about=["']([^"']+)["']/i)?.[1] ?? '');
}

export function salvageItems(xml: string, base: string): CollectedItem[] {
  const items: CollectedItem[] = [];
  for (const m of xml.matchAll(block)) {
    const inner = m[2];
    const title = htmlToText(decodeEntities(field(inner, ['title'])));
    const url = absoluteUrl(linkOf(m[0]), base);
    const published = parseDate(
      ...['pubDate', 'published', 'date', 'issued', 'updated', 'modified'].map(
        (n) => htmlToText(field(inner, [n])) || undefined,
      ),
    );
    const body = field(inner, ['encoded', 'content', 'description', 'summary']);
    const author = htmlToText(field(inner, ['creator', 'name', 'author']));
    const id = htmlToText(field(inner, ['guid', 'id']));
    if (!title && !body && !url) continue;
    items.push({
      externalId: id || url || hashKey(title, published),
      url,
      title: clip(title, 1000),
      text: clip(htmlToText(decodeEntities(body))),
      author: author || null,
      publishedAt: published,
    });
  }
  return items;
}
