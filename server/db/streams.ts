import { sql } from 'kysely';
import type { SchoolQueryRow } from '../../workers/match/board.ts';
import type { DB } from './index.ts';

// One row per long-lived stream (sql/0026_streams.sql): whoever holds its lease holds the connection,
// and only the holder moves its cursor. The lease is taken and renewed by one conditional UPDATE, so
// among any number of workers exactly one gets it; a holder that dies simply lets it expire.

const until = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

// The stream's cursor when the lease is ours now (free, expired or already ours), else null.
export async function takeStreamLease(
  db: DB,
  name: string,
  owner: string,
  leaseMs: number,
): Promise<{ cursor: number | null } | null> {
  await db
    .insertInto('streams')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .updateTable('streams')
    .set({ lease_owner: owner, lease_until: until(leaseMs), connected_at: sql`now()`, updated_at: sql`now()` })
    .where('name', '=', name)
    .where((eb) =>
      eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', sql<Date>`now()`), eb('lease_owner', '=', owner)]),
    )
    .returning('cursor_us')
    .executeTakeFirst();
  if (!row) return null;
  return { cursor: row.cursor_us === null ? null : Number(row.cursor_us) };
}

// false: the lease was lost (expired and taken over); the holder must let go of the connection.
export async function renewStreamLease(db: DB, name: string, owner: string, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable('streams')
    .set({ lease_until: until(leaseMs), updated_at: sql`now()` })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .where('lease_until', '>=', sql<Date>`now()`)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// Only the holder writes, and the cursor never moves backwards.
export async function saveStreamCursor(db: DB, name: string, owner: string, cursorUs: number): Promise<boolean> {
  const r = await db
    .updateTable('streams')
    .set({ cursor_us: sql`greatest(coalesce(cursor_us, 0), ${cursorUs}::bigint)`, updated_at: sql`now()` })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function releaseStreamLease(db: DB, name: string, owner: string) {
  await db
    .updateTable('streams')
    .set({ lease_owner: null, lease_until: null, updated_at: sql`now()` })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function streamState(db: DB, name: string) {
  return db
    .selectFrom('streams')
    .select(['lease_owner', 'lease_until', 'cursor_us'])
    .where('name', '=', name)
    .executeTakeFirst();
}

// Every school of every board (not archived) with its board, for one matcher over all of them.
export async function allSchoolQueries(db: DB): Promise<(SchoolQueryRow & { boardId: string })[]> {
  const rows = await db
    .selectFrom('schools')
    .select(['id', 'board_id', 'name', 'aliases', 'place', 'query'])
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(({ board_id, ...r }) => ({ ...r, boardId: board_id }));
}

export async function allBoardExclusions(db: DB): Promise<{ id: string; exclusions: string | null }[]> {
  return db.selectFrom('boards').select(['id', 'exclusions']).orderBy('id').execute();
}

// Changes whenever anything a matcher is built from changes: a long-lived matcher polls it and
// rebuilds only then. One aggregate over the schools and boards, no rows sent.
export async function matcherFingerprint(db: DB): Promise<string> {
  const { rows } = await sql<{ f: string }>`
    select md5(
      coalesce((select string_agg(concat_ws(chr(1), id, board_id, name, aliases::text, place, query), chr(2) order by id)
                from schools where archived_at is null), '')
      || chr(3) ||
      coalesce((select string_agg(concat_ws(chr(1), id, exclusions), chr(2) order by id) from boards), '')
    ) as f`.execute(db);
  return rows[0].f;
}

// The source of a kind per board that the system made: enabled (matches are stored) or not (the
// board paused or deleted it: its matches are dropped).
export async function systemSources(db: DB, kind: string): Promise<Map<string, { id: string; enabled: boolean }>> {
  const rows = await db
    .selectFrom('sources')
    .select(['id', 'board_id', 'enabled', 'deleted_at'])
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
  const out = new Map<string, { id: string; enabled: boolean }>();
  for (const r of rows)
    if (!out.has(r.board_id)) out.set(r.board_id, { id: r.id, enabled: r.enabled && !r.deleted_at });
  return out;
}

export async function createSystemSource(db: DB, boardId: string, kind: string, name: string): Promise<string> {
  const row = await db
    .insertInto('sources')
    .values({ board_id: boardId, kind, name, interval_seconds: 86_400 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// The stream's mentions stored after `afterId`, oldest first (the benchmark's view of the inbox).
export async function streamMentionsAfter(db: DB, kind: string, afterId: string, limit = 1000) {
  return db
    .selectFrom('mentions as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .select(['m.id', 'm.external_id'])
    .where('s.kind', '=', kind)
    .where('m.id', '>', afterId)
    .orderBy('m.id')
    .limit(limit)
    .execute();
}
