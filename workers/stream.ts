import type { DB } from '../server/db/index.ts';
import { log } from '../server/log.ts';
import {
  allBoardExclusions,
  allSchoolQueries,
  createSystemSource,
  matcherFingerprint,
  releaseStreamLease,
  renewStreamLease,
  saveStreamCursor,
  systemSources,
  takeStreamLease,
} from '../server/db/streams.ts';
import { BSKY_SITE, JETSTREAM_KIND, postToItem, readFrame, subscribeUrl } from './collectors/blueskyJetstream.ts';
import { JetstreamClient, type Backoff, type ClientStats } from './collectors/jetstreamClient.ts';
import type { CollectedItem } from './collectors/types.ts';
import { deploymentMatcher, type DeploymentMatcher, type SchoolMatch } from './match/board.ts';
import { processItems } from './pipeline.ts';

// Bluesky in real time (issue 18): one Jetstream connection for the whole deployment, held by
// whichever worker has the stream's lease in PostgreSQL. Every post is matched in memory against all
// schools of all boards; a post about no school is dropped there and then. A match goes through the
// normal pipeline for its board, under that board's `bluesky_jetstream` source (made on first use; a
// paused or deleted one means the board wants none). The cursor (time_us of the last event fully
// handled) is kept with the lease; a (re)connect resumes a little before it, and what is read twice
// is stored once (the insert is idempotent).

export const STREAM_NAME = 'bluesky_jetstream';

export type JetstreamSettings = { url: string; collections: string[] };
export type StreamOptions = JetstreamSettings & {
  owner: string;
  leaseMs?: number;
  // how often a worker without the lease tries to take it
  pollMs?: number;
  // how often the schools' queries are checked for changes
  refreshMs?: number;
  // how far before the cursor a reconnect starts
  marginUs?: number;
  // the cursor is written at most this often while nothing is stored
  cursorEveryMs?: number;
  queueLimit?: number;
  batchSize?: number;
  backoff?: Backoff;
  idleMs?: number;
};
// screened: events passed over without parsing (no school's anchor word in them); posts: posts read whole.
export type StreamStats = ClientStats & {
  events: number;
  screened: number;
  posts: number;
  matched: number;
  stored: number;
  bad: number;
};
export type Stream = {
  stop: () => Promise<void>;
  // Tests: stop as a crashed process would, holding the lease until it expires.
  kill: () => Promise<void>;
  stats: () => StreamStats & { holding: boolean; cursor: number | null; queued: number };
};

export const SAFETY_MARGIN_US = 5_000_000;

export function startJetstream(db: DB, o: StreamOptions): Stream {
  const leaseMs = o.leaseMs ?? 60_000;
  const counts = { events: 0, screened: 0, posts: 0, matched: 0, stored: 0, bad: 0 };
  let client: JetstreamClient | undefined;
  let clientStats: ClientStats = { connects: 0, frames: 0, maxQueued: 0, pauses: 0, failures: 0 };
  let stopping = false;
  let holding = false;
  let cursor: number | null = null;
  let wake: (() => void) | undefined;

  let matcher: DeploymentMatcher | undefined;
  let fingerprint = '';
  let sources = new Map<string, { id: string; enabled: boolean }>();
  let checkedAt = 0;
  const refresh = async (force = false) => {
    if (!force && Date.now() - checkedAt < (o.refreshMs ?? 10_000)) return;
    checkedAt = Date.now();
    const f = await matcherFingerprint(db);
    if (f !== fingerprint || !matcher) {
      const [schools, boards] = await Promise.all([allSchoolQueries(db), allBoardExclusions(db)]);
      matcher = deploymentMatcher(schools, boards, JETSTREAM_KIND, log.warn);
      fingerprint = f;
      log.info({ stream: STREAM_NAME, schools: matcher.size }, 'jetstream: matcher built');
    }
    sources = await systemSources(db, JETSTREAM_KIND);
  };
  const sourceOf = async (boardId: string) => {
    const s = sources.get(boardId);
    if (s) return s.enabled ? s.id : null;
    const id = await createSystemSource(db, boardId, JETSTREAM_KIND, 'Bluesky (live)');
    sources.set(boardId, { id, enabled: true });
    return id;
  };

  let savedAt = 0;
  const handle = async (frames: string[]) => {
    await refresh();
    const byBoard = new Map<string, { items: CollectedItem[]; matches: Map<CollectedItem, SchoolMatch[]> }>();
    let last = cursor;
    for (const frame of frames) {
      const e = readFrame(frame, matcher!.couldMatchText);
      if (e.bad) {
        counts.bad++;
        log.warn({ stream: STREAM_NAME, reason: e.reason, frame: frame.slice(0, 200) }, 'jetstream: frame skipped');
        continue;
      }
      counts.events++;
      if (last === null || e.timeUs > last) last = e.timeUs;
      if (e.screened) counts.screened++;
      if (!e.post) continue;
      counts.posts++;
      const p = e.post;
      const hits = matcher!.match({
        text: p.text,
        author: p.did,
        url: BSKY_SITE,
        lang: p.lang,
      });
      if (!hits.size) continue;
      counts.matched++;
      const item = postToItem(p);
      for (const [boardId, schools] of hits) {
        const group = byBoard.get(boardId) ?? byBoard.set(boardId, { items: [], matches: new Map() }).get(boardId)!;
        group.items.push(item);
        group.matches.set(item, schools);
      }
    }
    let stored = 0;
    for (const [boardId, group] of byBoard) {
      const sourceId = await sourceOf(boardId);
      if (!sourceId) continue;
      const r = await processItems(db, { id: sourceId, board_id: boardId, school_id: null }, group.items, {
        sourceKind: JETSTREAM_KIND,
        match: (item) => group.matches.get(item) ?? [],
      });
      stored += r.inserted;
    }
    counts.stored += stored;
    cursor = last;
    if (cursor !== null && (stored || Date.now() - savedAt >= (o.cursorEveryMs ?? 1000))) {
      savedAt = Date.now();
      if (!(await saveStreamCursor(db, STREAM_NAME, o.owner, cursor))) {
        log.warn({ stream: STREAM_NAME, owner: o.owner }, 'jetstream: lease lost, letting go of the connection');
        void client?.stop();
      }
    }
  };

  const hold = async (startCursor: number | null) => {
    holding = true;
    cursor = startCursor;
    await refresh(true);
    const c = new JetstreamClient({
      url: () => subscribeUrl(o.url, o.collections, cursor === null ? null : cursor - (o.marginUs ?? SAFETY_MARGIN_US)),
      onBatch: handle,
      queueLimit: o.queueLimit,
      batchSize: o.batchSize,
      backoff: o.backoff,
      idleMs: o.idleMs,
      onEvent: (fields, msg) => log.info({ stream: STREAM_NAME, ...fields }, msg),
    });
    client = c;
    clientStats = c.stats;
    const renew = setInterval(() => {
      renewStreamLease(db, STREAM_NAME, o.owner, leaseMs).then(
        (ok) => {
          if (ok) return;
          log.warn({ stream: STREAM_NAME, owner: o.owner }, 'jetstream: lease lost, letting go of the connection');
          void c.stop();
        },
        (err) => log.warn({ stream: STREAM_NAME, error: err }, 'jetstream: lease not renewed'),
      );
    }, leaseMs / 3);
    try {
      await c.run();
    } finally {
      clearInterval(renew);
      client = undefined;
      holding = false;
    }
  };

  let crashed = false;
  const loop = (async () => {
    while (!stopping) {
      try {
        const lease = await takeStreamLease(db, STREAM_NAME, o.owner, leaseMs);
        if (lease) {
          log.info({ stream: STREAM_NAME, owner: o.owner, cursor: lease.cursor }, 'jetstream: lease taken');
          await hold(lease.cursor);
        }
      } catch (err) {
        if (!stopping) log.error({ stream: STREAM_NAME, error: err }, 'jetstream: stream error');
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.pollMs ?? Math.max(1000, leaseMs / 4));
        wake = () => (clearTimeout(t), resolve());
      });
    }
  })();

  const halt = async () => {
    stopping = true;
    wake?.();
    await client?.stop();
    await loop;
  };
  return {
    stats: () => ({ ...clientStats, ...counts, holding, cursor, queued: client?.queued ?? 0 }),
    kill: async () => {
      crashed = true;
      await halt();
    },
    stop: async () => {
      await halt();
      if (crashed) return;
      if (cursor !== null) await saveStreamCursor(db, STREAM_NAME, o.owner, cursor).catch(() => {});
      await releaseStreamLease(db, STREAM_NAME, o.owner).catch(() => {});
    },
  };
}
