import { collectFeed } from './feedSource.ts';
import { requireUrl } from './settings.ts';
import { CollectError, type Collector } from './types.ts';

// Any RSS 0.9x/1.0/2.0, RDF, Atom or JSON Feed: news sites, the school's own site, blogs, forums,
// and the feeds that Mastodon, Bluesky, YouTube and Reddit publish.
export const rss: Collector = {
  kind: 'rss',
  label: 'RSS/Atom/JSON Feed',
  help: 'Het adres van een RSS-, Atom- of JSON-feed: lokaal nieuws, de eigen website, een blog of forum. Is het een gewone webpagina, dan zoekt "Test nu" de feeds op die pagina.',
  fields: [
    { key: 'url', label: 'Feedadres', type: 'url', required: true, placeholder: 'https://www.omroep.nl/rss/nieuws' },
  ],
  checkSettings: requireUrl,
  async collect(source, ctx) {
    if (!source.url) throw new CollectError('Deze bron heeft geen URL', undefined, true);
    return collectFeed(source.url, source, ctx);
  },
};
