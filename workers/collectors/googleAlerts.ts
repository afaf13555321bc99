import { collectFeed } from './feedSource.ts';
import { requireUrl } from './settings.ts';
import { CollectError, type Collector } from './types.ts';

// The Atom feed of a Google Alert (https://www.google.com/alerts/feeds/<user>/<alert>). Links go
// through google.com/url?…&url=, which the feed helper unwraps; the <b> highlights in titles are
// HTML and disappear when titles become text.
export const googleAlerts: Collector = {
  kind: 'google_alerts',
  label: 'Google Alerts (feed)',
  help: 'Maak op google.nl/alerts een melding, kies bij "Bezorgen bij" voor RSS-feed en plak hier het adres van die feed.',
  fields: [
    {
      key: 'url',
      label: 'Adres van de Alert-feed',
      type: 'url',
      required: true,
      placeholder: 'https://www.google.nl/alerts/feeds/…',
    },
  ],
  checkSettings: requireUrl,
  async collect(source, ctx) {
    if (!source.url) throw new CollectError('Deze bron heeft geen feed-URL van Google Alerts', undefined, true);
    return collectFeed(source.url, source, ctx);
  },
};
