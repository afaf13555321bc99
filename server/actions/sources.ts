import { explainFetchError } from '../../workers/http/explain.ts';
import { openSettings, sealSettings } from '../auth/secretBox.ts';
import { audit } from '../db/audit.ts';
import type { Viewer } from '../access.ts';
import { boardExclusions } from '../db/boards.ts';
import type { DB } from '../db/index.ts';
import type { Source } from '../db/schema.ts';
import {
  softDeleteSource,
  restoreSource,
  SOURCE_UNDO_DAYS,
  insertSource,
  mentionCountOfSource,
  sameSource,
  updateSourceColumns,
} from '../db/sources.ts';
import { collectorFor } from '../../workers/collectors/registry.ts';
import { CollectError, type Collector, type CollectContext } from '../../workers/collectors/types.ts';
import type { FetchOptions } from '../../workers/http/guardedFetch.ts';
import { FetchError } from '../../workers/http/guardedFetch.ts';
import { compileExclusions, itemMatcher } from '../../workers/match/board.ts';
import { loadSchools } from '../db/boardSchools.ts';
import { dbQuota } from '../../workers/quota.ts';
import { log } from '../log.ts';
import { resolveDraft, SourceInputError, type SourceDraft } from './sourceSettings.ts';

// Adding, changing, testing and removing sources from the dashboard. Settings are checked by the
// collector that will use them (sourceSettings.ts); secret settings never leave the server.

export type TestResult = {
  ok: boolean;
  error?: string;
  errorDetail?: string | null; // the technical message behind `error`, when that was put in plain Dutch
  discovered?: { url: string; title: string; type: string }[];
  total: number;
  matching: number;
  items: {
    title: string;
    text: string;
    url: string | null;
    author: string | null;
    publishedAt: string | null;
    schools: string[];
  }[];
  notice?: string;
};

// "Test nu": fetch once and show what would be collected (and which items would match a school),
// without storing anything and without touching the source's schedule or state.
export async function testSource(
  db: DB,
  viewer: Viewer,
  c: Collector,
  draft: {
    url: string | null;
    settings: Record<string, unknown>;
    schoolId: string | null;
    state?: Record<string, unknown>;
  },
  fetchOptions: FetchOptions,
  endpoints?: CollectContext['endpoints'],
): Promise<TestResult> {
  if (c.push)
    return {
      ok: true,
      total: 0,
      matching: 0,
      items: [],
      notice: 'Deze bron wordt niet opgehaald: mensen vullen haar zelf.',
    };
  const schools = (await loadSchools(db, viewer.boardId, draft.schoolId)).filter((s) =>
    viewer.schoolIds.includes(s.id),
  );
  const exclusions = await boardExclusions(db, viewer.boardId);
  const names = new Map(schools.map((s) => [s.id, s.name]));
  const match = itemMatcher(schools, compileExclusions(exclusions, log.warn), viewer.boardId, log.warn);
  try {
    const r = await c.collect(
      {
        id: '0',
        kind: c.kind,
        url: draft.url,
        settings: openSettings(c.kind, draft.settings),
        etag: null,
        lastModified: null,
        state: draft.state ?? {},
      },
      { fetchOptions, endpoints, quota: dbQuota(db) },
    );
    const items = r.items.map((i) => {
      return {
        title: i.title,
        text: i.text.slice(0, 400),
        url: i.url,
        author: i.author,
        publishedAt: i.publishedAt?.toISOString() ?? null,
        schools: match(i, c.kind).map((m) => names.get(m.schoolId) ?? ''),
      };
    });
    items.sort((a, b) => b.schools.length - a.schools.length);
    return {
      ok: true,
      total: items.length,
      matching: items.filter((i) => i.schools.length).length,
      items: items.slice(0, 20),
      notice: r.notice,
    };
  } catch (err) {
    if (err instanceof CollectError || err instanceof FetchError) {
      const explained = explainFetchError(err.message);
      return {
        ok: false,
        error: explained.text,
        errorDetail: explained.detail,
        total: 0,
        matching: 0,
        items: [],
        ...(err instanceof CollectError && err.discovered ? { discovered: err.discovered } : {}),
      };
    }
    throw err;
  }
}

export async function createSource(
  db: DB,
  viewer: Viewer,
  input: SourceDraft & { schoolId: string | null; name?: string; intervalMinutes?: number },
) {
  const c = collectorFor(input.kind);
  if (c.addable === false) throw new SourceInputError('Deze bronsoort kan niet met de hand worden toegevoegd');
  if (c.needsSchool && !input.schoolId) throw new SourceInputError(`Een ${c.label}-bron hoort bij één school`);
  const { url, settings } = resolveDraft(c, input);
  if (await sameSource(db, viewer.boardId, c.kind, url, input.schoolId))
    throw new SourceInputError('Deze bron bestaat al');
  const id = await insertSource(db, {
    board_id: viewer.boardId,
    school_id: input.schoolId,
    kind: c.kind,
    name: input.name?.trim() || c.describe?.(settings) || url || c.label,
    url,
    settings: JSON.stringify(sealSettings(c.kind, settings)),
    interval_seconds: Math.max(1, input.intervalMinutes ?? 15) * 60,
  });
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'source.create',
    targetType: 'source',
    targetId: id,
    details: { kind: c.kind, url, school: input.schoolId },
  });
  return id;
}

export async function updateSource(
  db: DB,
  viewer: Viewer,
  source: Source,
  input: Partial<SourceDraft> & { name?: string; intervalMinutes?: number; enabled?: boolean },
) {
  const c = collectorFor(source.kind);
  const changes: Record<string, unknown> = {};
  if (input.settings !== undefined || input.url !== undefined) {
    const { url, settings } = resolveDraft(
      c,
      { kind: source.kind, url: input.url ?? source.url, settings: input.settings ?? source.settings },
      source.settings,
      source.url,
    );
    changes.url = url;
    changes.settings = JSON.stringify(sealSettings(source.kind, settings));
    // A different address or account starts afresh: no stale validators, cursors or sessions.
    if (
      url !== source.url ||
      JSON.stringify(openSettings(source.kind, settings)) !== JSON.stringify(openSettings(source.kind, source.settings))
    )
      Object.assign(changes, {
        etag: null,
        last_modified: null,
        state: '{}',
        next_check_at: new Date(),
        error_count: 0,
        last_error: null,
        error_permanent: false,
      });
  }
  if (input.name !== undefined) changes.name = input.name.trim() || source.name;
  if (input.intervalMinutes !== undefined)
    Object.assign(changes, { interval_seconds: input.intervalMinutes * 60, current_interval_seconds: null });
  if (input.enabled !== undefined) {
    changes.enabled = input.enabled;
    if (input.enabled && !source.enabled) Object.assign(changes, { next_check_at: new Date(), error_count: 0 });
  }
  if (!Object.keys(changes).length) return;
  await updateSourceColumns(db, source.id, changes);
  const action =
    input.enabled === false
      ? 'source.pause'
      : input.enabled === true && !source.enabled
        ? 'source.resume'
        : 'source.update';
  // Settings are audited by key only: their values may be secrets.
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action,
    targetType: 'source',
    targetId: source.id,
    details: {
      fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined),
      url: changes.url ?? source.url,
    },
  });
}

export async function deleteSource(db: DB, viewer: Viewer, source: Source, now = new Date()) {
  const n = await mentionCountOfSource(db, source.id);
  await softDeleteSource(db, source.id, now);
  const undoUntil = new Date(now.getTime() + SOURCE_UNDO_DAYS * 86_400_000);
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'source.delete',
    targetType: 'source',
    targetId: source.id,
    details: { kind: source.kind, name: source.name, url: source.url, mentions: n, undoUntil: undoUntil.toISOString() },
  });
  return { mentions: n, undoUntil };
}

export async function undeleteSource(db: DB, viewer: Viewer, source: Source) {
  await restoreSource(db, source.id);
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'source.restore',
    targetType: 'source',
    targetId: source.id,
    details: { name: source.name },
  });
}
