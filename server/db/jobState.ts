import type { DB } from './index.ts';

// A background job's "done for this value" mark (sql/0028_job_state.sql).
export async function jobDone(db: DB, name: string): Promise<string | undefined> {
  return (await db.selectFrom('job_state').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

export async function markJobDone(db: DB, name: string, value: string, now = new Date()) {
  await db
    .insertInto('job_state')
    .values({ name, value, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now }))
    .execute();
}

// Something made the job's work appear again (an erasure removes classifications).
export async function clearJobMark(db: DB, name: string) {
  await db.deleteFrom('job_state').where('name', '=', name).execute();
}
