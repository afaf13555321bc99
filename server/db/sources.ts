import { sql } from 'kysely';
import type { DB } from './index.ts';
import { collectors } from '../../workers/collectors/registry.ts';

export type SourceHealth = {
  id: string;
  kind: string;
  name: string;
  url: string | null;
  school: { id: string; slug: string; name: string } | null;
  settings: Record<string, unknown>;
  intervalMinutes: number;
  currentIntervalMinutes: number | null;
  push: boolean;
  address: string | null; // the full URL; only for those who may edit the source
  enabled: boolean;
  lastSuccessAt: string | null;
  lastCheckedAt: string | null;
  nextCheckAt: string;
  lastError: string | null;
  errorPermanent: boolean;
  errorCount: number;
  notice: string | null;
  mentions7d: number;
};

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

// A viewer sees the board-wide sources and the sources of the schools in their scope.
export async function listSourceHealth(db: DB, boardId: string, schoolIds: string[]): Promise<SourceHealth[]> {
  const rows = await db
    .selectFrom('sources as s')
    .leftJoin('schools as sc', 'sc.id', 's.school_id')
    .select([
      's.id', 's.kind', 's.name', 's.url', 's.enabled', 's.last_success_at', 's.last_checked_at', 's.next_check_at', 's.last_error',
      's.error_permanent', 's.error_count', 's.notice', 'sc.id as school_id', 'sc.slug as school_slug', 'sc.name as school_name', 's.settings',
      's.interval_seconds', 's.current_interval_seconds',
      // Counted only over mentions of schools the viewer may see: a board-wide source's total
      // would reveal activity at other schools.
      sql<string>`(select count(*) from mentions m where m.source_id = s.id and m.created_at > now() - interval '7 days'
        and exists (select 1 from mention_schools ms where ms.mention_id = m.id and ms.active and ms.school_id = any(${schoolIds.length ? schoolIds : ['-1']}::bigint[])))`.as('mentions7d'),
    ])
    .where('s.board_id', '=', boardId)
    .where((eb) => eb.or([eb('s.school_id', 'is', null), eb('s.school_id', 'in', schoolIds.length ? schoolIds : ['-1'])]))
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    // A settings-derived URL may hold nothing secret, but a feed URL can carry a key: show only the host.
    url: r.url ? hostOf(r.url) : null,
    school: r.school_slug ? { id: r.school_id!, slug: r.school_slug, name: r.school_name! } : null,
    settings: r.settings,
    intervalMinutes: Math.round(r.interval_seconds / 60),
    currentIntervalMinutes: r.current_interval_seconds ? Math.round(r.current_interval_seconds / 60) : null,
    push: collectors.get(r.kind)?.push ?? false,
    address: r.url,
    enabled: r.enabled,
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lastCheckedAt: r.last_checked_at?.toISOString() ?? null,
    nextCheckAt: r.next_check_at.toISOString(),
    lastError: r.last_error,
    errorPermanent: r.error_permanent,
    errorCount: r.error_count,
    notice: r.notice,
    mentions7d: Number(r.mentions7d),
  }));
}
