import { absoluteUrl, htmlToText } from '../normalise.ts';

// What a web page says about itself in its <head>: title, description, date, and the feeds it
// links to with <link rel="alternate">. Regular expressions over the head only: enough for these
// few tags, and a hostile page cannot make us build a DOM.

export type DiscoveredFeed = { url: string; title: string; type: 'rss' | 'atom' | 'json' };
export type PageInfo = {
  title: string;
  description: string;
  publishedAt: Date | null;
  siteName: string | null;
  feeds: DiscoveredFeed[];
};

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? htmlToText(m[2] ?? m[3] ?? m[4] ?? '') : '';
};

const FEED_TYPES: Record<string, DiscoveredFeed['type']> = {
  'application/rss+xml': 'rss',
  'application/rdf+xml': 'rss',
  'application/atom+xml': 'atom',
  'application/feed+json': 'json',
  'application/json': 'json',
};

export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>])/i.test(
    text.replace(/^\uFEFF/, '').replace(/^\s*<!--[\s\S]*?-->/, ''),
  );
}

export function readPage(html: string, base: string): PageInfo {
  const head = html.slice(0, 300_000).split(/<\/head>/i)[0];
  const tags = head.match(/<(meta|link)\b[^>]*>/gi) ?? [];
  const meta = (key: string) => {
    for (const t of tags) {
      if (!/^<meta/i.test(t)) continue;
      if ([attr(t, 'property'), attr(t, 'name')].some((k) => k.toLowerCase() === key)) return attr(t, 'content');
    }
    return '';
  };
  const feeds: DiscoveredFeed[] = [];
  for (const t of tags) {
    if (!/^<link/i.test(t)) continue;
    const rel = attr(t, 'rel').toLowerCase().split(/\s+/);
    const type = FEED_TYPES[attr(t, 'type').toLowerCase()];
    const url = absoluteUrl(attr(t, 'href'), base);
    if (rel.includes('alternate') && type && url && /^https?:/i.test(url) && !feeds.some((f) => f.url === url)) {
      feeds.push({ url, title: attr(t, 'title') || url, type });
    }
  }
  const titleTag = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? '';
  const date = new Date(meta('article:published_time') || meta('date') || '');
  return {
    title: (meta('og:title') || htmlToText(titleTag)).slice(0, 1000),
    description: (meta('og:description') || meta('description')).slice(0, 5000),
    publishedAt: Number.isNaN(date.getTime()) ? null : date,
    siteName: meta('og:site_name') || null,
    feeds: feeds.slice(0, 20),
  };
}
