import { collectFeed } from './feedSource.ts';
import { CollectError, type Collector, type SourceInput } from './types.ts';

// Reddit's Atom feeds: a subreddit's newest posts, or a search (anonymous JSON has been refused
// since mid-2026). Reddit asks for a descriptive User-Agent and at most ~10 requests a minute.
export const REDDIT = 'https://www.reddit.com';
const MIN_INTERVAL_MS = 6_000;

export function redditUrl(settings: Record<string, unknown>, base = REDDIT): string {
  const sub = typeof settings.subreddit === 'string' ? settings.subreddit.replace(/^\/?r\//i, '').trim() : '';
  const query = typeof settings.query === 'string' ? settings.query.trim() : '';
  if (sub && !/^\w{2,21}$/.test(sub))
    throw new CollectError('Geef een subreddit als naam, bijvoorbeeld amersfoort', undefined, true);
  if (!sub && !query)
    throw new CollectError('Een Reddit-bron heeft een subreddit of een zoekopdracht nodig', undefined, true);
  if (query) {
    const u = new URL(sub ? `/r/${sub}/search.rss` : '/search.rss', base);
    u.search = new URLSearchParams({ q: query, sort: 'new', ...(sub ? { restrict_sr: 'on' } : {}) }).toString();
    return u.toString();
  }
  return new URL(`/r/${sub}/new/.rss`, base).toString();
}

// Post bodies end in Reddit's own footer ("submitted by /u/x [link] [comments]"): not the poster's words.
const FOOTER = /\s*submitted by\s+\/u\/[\w-]+[\s\S]*$/i;

export const reddit: Collector = {
  kind: 'reddit',
  label: 'Reddit (subreddit of zoekopdracht)',
  help: "Nieuwe posts in een subreddit (bijvoorbeeld die van de eigen stad) of een zoekopdracht op heel Reddit, via Reddit's feeds (hooguit ~10 verzoeken per minuut).",
  fields: [
    { key: 'subreddit', label: 'Subreddit', placeholder: 'amersfoort' },
    { key: 'query', label: 'Zoekopdracht', placeholder: '"De Meander"' },
  ],
  checkSettings: (s) => (s.subreddit || s.query ? [] : [{ message: 'heeft een subreddit of een zoekopdracht nodig' }]),
  describe: (s) => (s.subreddit ? `r/${String(s.subreddit).replace(/^\/?r\//i, '')}` : String(s.query)),
  sourceUrl: (settings) => redditUrl(settings),
  async collect(source: SourceInput, ctx) {
    const url = redditUrl(source.settings, ctx.endpoints?.reddit);
    const result = await collectFeed(url, source, {
      ...ctx,
      fetchOptions: { ...ctx.fetchOptions, minIntervalMs: MIN_INTERVAL_MS },
    });
    return {
      ...result,
      items: result.items.map((i) => {
        const author = i.author?.replace(/^\/u\//, 'u/') ?? null;
        return { ...i, text: i.text.replace(FOOTER, '').trim(), author, handle: author };
      }),
    };
  },
};
