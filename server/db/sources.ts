import { explainFetchError } from '../../workers/http/explain.ts';
import { sql, type Insertable, type Updateable } from 'kysely';
import type { DB } from './index.ts';
import type { Database } from './schema.ts';
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
  lastErrorDetail: string | null;
  errorPermanent: boolean;
  errorCount: number;
  notice: string | null;
  mentions7d: number;
  deletedAt: string | null; // deleted, and restorable for SOURCE_UNDO_DAYS after this
};

export const SOURCE_UNDO_DAYS = 30;

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
      's.id',
      's.kind',
      's.name',
      's.url',
      's.enabled',
      's.last_success_at',
      's.last_checked_at',
      's.next_check_at',
      's.last_error',
      's.error_permanent',
      's.error_count',
      's.notice',
      'sc.id as school_id',
      'sc.slug as school_slug',
      'sc.name as school_name',
      's.settings',
      's.interval_seconds',
      's.current_interval_seconds',
      's.deleted_at',
      // Counted only over mentions of schools the viewer may see: a board-wide source's total
      // would reveal activity at other schools.
      sql<string>`(select count(*) from mentions m where m.source_id = s.id and m.created_at > now() - interval '7 days'
        and exists (select 1 from mention_schools ms where ms.mention_id = m.id and ms.active and ms.school_id = any(${schoolIds.length ? schoolIds : ['-1']}::bigint[])))`.as(
        'mentions7d',
      ),
    ])
    .where('s.board_id', '=', boardId)
    .where((eb) =>
      eb.or([eb('s.school_id', 'is', null), eb('s.school_id', 'in', schoolIds.length ? schoolIds : ['-1'])]),
    )
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
    lastError: r.last_error ? explainFetchError(r.last_error).text : null,
    lastErrorDetail: r.last_error ? explainFetchError(r.last_error).detail : null,
    errorPermanent: r.error_permanent,
    errorCount: r.error_count,
    notice: r.notice,
    mentions7d: Number(r.mentions7d),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  }));
}

// A source of the board by id; callers check that the viewer may see it.
export async function sourceOfBoard(db: DB, boardId: string, id: string) {
  return db.selectFrom('sources').selectAll().where('id', '=', id).where('board_id', '=', boardId).executeTakeFirst();
}

// Whole rows, oldest first: the board file written out.
export async function sourcesOfBoard(db: DB, boardId: string) {
  return db.selectFrom('sources').selectAll().where('board_id', '=', boardId).orderBy('id').execute();
}

// Which school each of the board's sources belongs to (null: board-wide).
export async function sourceSchools(db: DB, boardId: string): Promise<Map<string, string | null>> {
  return new Map(
    (await db.selectFrom('sources').select(['id', 'school_id']).where('board_id', '=', boardId).execute()).map((s) => [
      s.id,
      s.school_id,
    ]),
  );
}

export async function sourceKindsInUse(db: DB): Promise<string[]> {
  return (await db.selectFrom('sources').select('kind').distinct().execute()).map((k) => k.kind);
}

// A source is the same source again by kind and address; one without an address (the meldpunt)
// by kind and school.
export async function sameSource(db: DB, boardId: string, kind: string, url: string | null, schoolId: string | null) {
  let q = db.selectFrom('sources').select(['id', 'settings']).where('board_id', '=', boardId).where('kind', '=', kind);
  q = url ? q.where('url', '=', url) : q.where('url', 'is', null).where('school_id', schoolId ? '=' : 'is', schoolId);
  return q.executeTakeFirst();
}

export async function insertSource(db: DB, values: Insertable<Database['sources']>): Promise<string> {
  return (await db.insertInto('sources').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateSourceColumns(db: DB, id: string, changes: Updateable<Database['sources']>) {
  await db.updateTable('sources').set(changes).where('id', '=', id).execute();
}

export async function mentionCountOfSource(db: DB, id: string): Promise<number> {
  const n = await db
    .selectFrom('mentions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('source_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(n.n);
}

export async function deleteSourceRow(db: DB, id: string) {
  await db.deleteFrom('sources').where('id', '=', id).execute();
}

// Deleting is undoable: the source stops and keeps its posts until the retention job removes it.
export async function softDeleteSource(db: DB, id: string, now: Date) {
  await db
    .updateTable('sources')
    .set({ deleted_at: now, enabled: false, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .execute();
}
export async function restoreSource(db: DB, id: string) {
  await db.updateTable('sources').set({ deleted_at: null }).where('id', '=', id).execute();
}

// Sources deleted more than SOURCE_UNDO_DAYS ago go for good, with their posts — not while an open
// case holds one of them.
export async function purgeDeletedSources(db: DB, boardId: string, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('sources as s')
    .where('s.board_id', '=', boardId)
    .where('s.deleted_at', '<', sql<Date>`${now}::timestamptz - make_interval(days => ${SOURCE_UNDO_DAYS})`)
    .where(
      sql<boolean>`not exists (select 1 from mentions m join case_mentions cm on cm.mention_id = m.id join cases c on c.id = cm.case_id
        where m.source_id = s.id and c.state in ('nieuw', 'in_behandeling'))`,
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Cases not yet closed that hold a post of this source: deleting it would leave them without.
export async function openCasesOfSource(db: DB, sourceId: string): Promise<number> {
  const row = await db
    .selectFrom('cases as c')
    .innerJoin('case_mentions as cm', 'cm.case_id', 'c.id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select(sql<string>`count(distinct c.id)`.as('n'))
    .where('m.source_id', '=', sourceId)
    .where('c.state', 'in', ['nieuw', 'in_behandeling'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
