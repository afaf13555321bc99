import { collectFeed } from './feedSource.ts';
import { requireKeys } from './settings.ts';
import { CollectError, type Collector, type SourceInput } from './types.ts';

export const YOUTUBE = 'https://www.youtube.com';

// Channel ids start with UC and have 24 characters; handles (@school) do not work in feed URLs.
export function youtubeChannelUrl(settings: Record<string, unknown>, base = YOUTUBE): string {
  const id = typeof settings.channel_id === 'string' ? settings.channel_id.trim() : '';
  if (!/^UC[\w-]{22}$/.test(id))
    throw new CollectError(
      'Geef het kanaal-id (begint met UC, 24 tekens; te vinden onder "Kanaal delen" → "Kanaal-ID kopiëren")',
      undefined,
      true,
    );
  const u = new URL('/feeds/videos.xml', base);
  u.searchParams.set('channel_id', id);
  return u.toString();
}

// The public Atom feed of a YouTube channel: the latest 15 videos with title and description.
export const youtubeChannel: Collector = {
  kind: 'youtube_channel',
  label: 'YouTube-kanaal',
  help: "De nieuwste video's van een YouTube-kanaal. Het kanaal-id begint met UC (YouTube: Kanaal delen → Kanaal-ID kopiëren).",
  fields: [{ key: 'channel_id', label: 'Kanaal-id', required: true, placeholder: 'UC…' }],
  checkSettings: requireKeys('channel_id'),
  sourceUrl: (settings) => youtubeChannelUrl(settings),
  async collect(source: SourceInput, ctx) {
    return collectFeed(youtubeChannelUrl(source.settings, ctx.endpoints?.youtube), source, ctx);
  },
};
