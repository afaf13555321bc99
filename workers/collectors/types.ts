import type { MediaItem } from '../../server/db/schema.ts';
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
export type CollectContext = { fetchOptions: FetchOptions; endpoints?: Partial<Record<string, string>>; quota?: QuotaSpender };

export type Collector = {
  kind: string;
  label: string;
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
export class CollectError extends Error {
  state?: Record<string, unknown>;
  constructor(message: string, readonly retryAfterSeconds?: number, readonly permanent = false) {
    super(message);
  }
}
