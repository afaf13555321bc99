import { collectFeed, searchQuery } from './feedSource.ts';
import { requireQueryOnly } from './settings.ts';
import type { Collector, SourceInput } from './types.ts';

export const GOOGLE_NEWS = 'https://news.google.com';

export function googleNewsUrl(query: string, base = GOOGLE_NEWS): string {
  const u = new URL('/rss/search', base);
  u.search = new URLSearchParams({ q: query, hl: 'nl', gl: 'NL', ceid: 'NL:nl' }).toString();
  return u.toString();
}

// A search in the Dutch edition of Google News, as RSS.
export const googleNews: Collector = {
  kind: 'google_news',
  label: 'Google News (zoekopdracht)',
  help: 'Een zoekopdracht in Google Nieuws (Nederlandse editie), bijvoorbeeld de naam van de school tussen aanhalingstekens. Google weigert soms verzoeken vanaf serveradressen (HTTP 503); dat ziet u dan hier in de status.',
  fields: [{ key: 'query', label: 'Zoekopdracht', required: true, placeholder: '"obs De Meander" Amersfoort' }],
  checkSettings: requireQueryOnly,
  describe: (s) => String(s.query),
  sourceUrl: (settings) => googleNewsUrl(String(settings.query ?? '')),
  async collect(source: SourceInput, ctx) {
    return collectFeed(googleNewsUrl(searchQuery(source), ctx.endpoints?.google_news), source, ctx, {
      refused: (status) =>
        `Google News weigert verzoeken vanaf dit serveradres (HTTP ${status}); dat gebeurt vaker bij datacenters. We proberen het later opnieuw.`,
    });
  },
};
