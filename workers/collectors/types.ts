import type { MediaItem } from '../../server/db/schema.ts';
import type { DiscoveredFeed } from '../feeds/htmlPage.ts';
import type { FetchOptions } from '../http/guardedFetch.ts';
import type { QuotaSpender } from '../quota.ts';
import type { SettingsProblem } from './settings.ts';

// What a collector sees of a source row: no database handles, only what it needs to fetch.
export type SourceInput = {
  id: string;
  kind: string;
  url: string | null;
  settings: Record<string, unknown>;
  etag: string | null;
  lastModified: string | null;
  state: Record<string, unknown>;
};

export type CollectedItem = {
  externalId: string;
  url: string | null;
  title: string;
  text: string; // plain text, already normalised
  author: string | null;
  publishedAt: Date | null;
  // What a platform offers beyond the text; kept where given.
  handle?: string | null; // the account, e.g. @juf@mastodon.nl
  media?: MediaItem[];
  replyTo?: string | null; // the platform id of the post this one answers
  threadId?: string | null; // the platform id of the thread's first post
  engagement?: Record<string, number>; // likes, reposts, replies, views …
};

export type { MediaItem };

export type CollectResult = {
  items: CollectedItem[];
  notModified?: boolean;
  etag?: string | null;
  lastModified?: string | null;
  state?: Record<string, unknown>;
  retryAfterSeconds?: number;
  // Something the school should know although nothing failed (e.g. a possibly locked timeline).
  notice?: string;
};

// endpoints: the base address per kind, overridden only by tests that serve the platform's format.
// quota: counts API units per key and day in the database (YouTube Data API); provided by the pipeline.
export type CollectContext = {
  fetchOptions: FetchOptions;
  endpoints?: Partial<Record<string, string>>;
  quota?: QuotaSpender;
};

// One input of the "Bronnen" form. key 'url' is the source's address; other keys are settings.
// Secret values (tokens, passwords) are never sent back to the browser.
export type SettingField = {
  key: string;
  label: string;
  type?: 'text' | 'url' | 'number';
  secret?: boolean;
  required?: boolean;
  placeholder?: string;
};

export type Collector = {
  kind: string;
  label: string;
  help: string; // what the school must provide, in plain Dutch
  fields: SettingField[];
  addable?: boolean; // false: created by the system only
  needsSchool?: boolean; // true: belongs to one school, never board-wide
  usesQuota?: boolean; // true: spends a daily API quota through ctx.quota
  // Filled by people (meldpunt, staff), never fetched: the scheduler skips these kinds.
  push?: boolean;
  // For kinds whose address follows from their settings (a search query), the URL to store.
  sourceUrl?: (settings: Record<string, unknown>) => string;
  // What a board file must give for this kind (see settings.ts), and the name a source gets when
  // the file gives none.
  checkSettings: (settings: Record<string, unknown>, url?: string) => SettingsProblem[];
  describe?: (settings: Record<string, unknown>) => string;
  collect(source: SourceInput, ctx: CollectContext): Promise<CollectResult>;
};

// permanent: retrying soon will not help (404/410, an unreadable feed, a refused address).
// state: what the source must remember even though the run failed (a fresh login session).
// discovered: the feeds a web page links to, when a web page was given instead of a feed.
export class CollectError extends Error {
  state?: Record<string, unknown>;
  discovered?: DiscoveredFeed[];
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
    readonly permanent = false,
  ) {
    super(message);
  }
}
