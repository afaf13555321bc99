import { bingNews } from './bingNews.ts';
import { blueskyAuthor } from './blueskyAuthor.ts';
import { blueskyJetstream } from './blueskyJetstream.ts';
import { blueskySearch } from './blueskySearch.ts';
import { googleAlerts } from './googleAlerts.ts';
import { facebookPage, instagramBusiness } from './graph.ts';
import { googleNews } from './googleNews.ts';
import { mastodonAccount, mastodonTag } from './mastodon.ts';
import { manual, report } from './push.ts';
import { reddit } from './reddit.ts';
import { rss } from './rss.ts';
import { youtubeChannel } from './youtubeChannel.ts';
import { youtubeComments } from './youtubeComments.ts';
import type { Collector } from './types.ts';

// One entry per source kind. Later collectors are added here and nowhere else.
export const collectors: ReadonlyMap<string, Collector> = new Map(
  [
    rss,
    googleNews,
    bingNews,
    googleAlerts,
    mastodonTag,
    mastodonAccount,
    reddit,
    youtubeChannel,
    blueskyAuthor,
    blueskySearch,
    blueskyJetstream,
    youtubeComments,
    facebookPage,
    instagramBusiness,
    report,
    manual,
  ].map((c) => [c.kind, c]),
);

export const sourceKinds = () => [...collectors.keys()];
export const pushKinds = () => [...collectors.values()].filter((c) => c.push).map((c) => c.kind);

export function collectorFor(kind: string): Collector {
  const c = collectors.get(kind);
  if (!c) throw new Error(`Geen collector voor bronsoort "${kind}"`);
  return c;
}
