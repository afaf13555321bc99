import { collectFeed, searchQuery } from './feedSource.ts';
import { requireQueryOnly } from './settings.ts';
import type { Collector, SourceInput } from './types.ts';

export const BING = 'https://www.bing.com';

export function bingNewsUrl(query: string, base = BING): string {
  const u = new URL('/news/search', base);
  u.search = new URLSearchParams({ q: query, format: 'RSS', mkt: 'nl-NL' }).toString();
  return u.toString();
}

// Bing News search as RSS. Its items have no guid and link through a Bing redirector; the feed
// helper unwraps the real address from the redirector's url parameter (without requesting it)
// and uses it as the key.
export const bingNews: Collector = {
  kind: 'bing_news',
  label: 'Bing News (zoekopdracht)',
  help: 'Een zoekopdracht in Bing News (Nederlandse markt).',
  fields: [{ key: 'query', label: 'Zoekopdracht', required: true, placeholder: '"De Meander" school' }],
  checkSettings: requireQueryOnly,
  describe: (s) => String(s.query),
  sourceUrl: (settings) => bingNewsUrl(String(settings.query ?? '')),
  async collect(source: SourceInput, ctx) {
    return collectFeed(bingNewsUrl(searchQuery(source), ctx.endpoints?.bing_news), source, ctx);
  },
};
