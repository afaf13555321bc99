import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { Source } from './schema.ts';

// The sources table is the worker queue: due sources are leased, and each check ends by releasing
// the lease with the next check's time (workers/scheduler.ts decides when).

// FOR UPDATE SKIP LOCKED: any number of workers on any number of hosts never lease the same source.
export async function leaseDueSources(
  db: DB,
  q: { owner: string; limit: number; all?: boolean; leaseSeconds: number; skipKinds: string[] },
): Promise<Source[]> {
  const due = q.all ? sql`true` : sql`next_check_at <= now()`;
  const { rows } = await sql<Source>`
    update sources set lease_owner = ${q.owner}, lease_until = now() + make_interval(secs => ${q.leaseSeconds})
    where id in (
      select id from sources
      where enabled and ${due} and (lease_until is null or lease_until < now()) and kind <> all(${q.skipKinds}::text[])
        -- an archived school's own sources rest until it is restored
        and (school_id is null or school_id not in (select id from schools where archived_at is not null))
      order by next_check_at
      limit ${q.limit}
      for update skip locked
    )
    returning *`.execute(db);
  return rows;
}

// `validators` undefined keeps the stored etag and last-modified (the server answered 304).
export type CheckSuccess = {
  notice: string | null;
  intervalSeconds: number;
  nextCheckAt: Date;
  validators?: { etag: string | null; lastModified: string | null };
  state?: Record<string, unknown>;
};

// Only the lease holder records the outcome: a worker whose lease expired and was taken over writes nothing.
export async function recordSuccess(db: DB, sourceId: string, owner: string, r: CheckSuccess) {
  await db
    .updateTable('sources')
    .set({
      lease_owner: null,
      lease_until: null,
      error_count: 0,
      last_error: null,
      error_permanent: false,
      notice: r.notice,
      last_checked_at: new Date(),
      last_success_at: new Date(),
      current_interval_seconds: r.intervalSeconds,
      next_check_at: r.nextCheckAt,
      ...(r.validators ? { etag: r.validators.etag, last_modified: r.validators.lastModified } : {}),
      ...(r.state ? { state: JSON.stringify(r.state) } : {}),
    })
    .where('id', '=', sourceId)
    .where('lease_owner', '=', owner)
    .execute();
}

export type CheckFailure = {
  errorCount: number;
  lastError: string;
  permanent: boolean;
  nextCheckAt: Date;
  state?: Record<string, unknown>;
};

export async function recordFailure(db: DB, sourceId: string, owner: string, f: CheckFailure) {
  await db
    .updateTable('sources')
    .set({
      lease_owner: null,
      lease_until: null,
      error_count: f.errorCount,
      last_error: f.lastError,
      error_permanent: f.permanent,
      ...(f.state ? { state: JSON.stringify(f.state) } : {}),
      last_checked_at: new Date(),
      next_check_at: f.nextCheckAt,
    })
    .where('id', '=', sourceId)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function releaseLeases(db: DB, owner: string) {
  await db
    .updateTable('sources')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', owner)
    .execute();
}
