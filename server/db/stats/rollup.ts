import { sql } from 'kysely';
import type { DB } from '../index.ts';

// Keeping the directors' rollups current (sql/0031_stats_rollups.sql): the database queues what
// changed; the rollup job recounts it here and writes the weeks' themes it computed in Node.

// Recounts up to `limit` changed (school, day) pairs; returns them.
export async function refreshStats(db: DB, limit: number): Promise<{ schoolId: string; day: string }[]> {
  const r = await sql<{ school_id: string; day: string }>`
    select school_id, to_char(day, 'YYYY-MM-DD') as day from refresh_stats(${limit})`.execute(db);
  return r.rows.map((x) => ({ schoolId: x.school_id, day: x.day }));
}

// The negative and positive first copies in a school's inbox in one week (Monday, Dutch time), with
// their masked search text: what the themes are computed from.
export async function weekPosts(db: DB, schoolId: string, week: string) {
  return db
    .selectFrom('mentions as m')
    .innerJoin('mention_schools as ms', (j) =>
      j.onRef('ms.mention_id', '=', 'm.id').on('ms.school_id', '=', schoolId).on('ms.active', '=', true),
    )
    .select(['m.search_text', 'm.shown_sentiment'])
    .where('m.story_id', 'is', null)
    .where(sql<boolean>`dutch_day(m.published_at) between ${week}::date and ${week}::date + 6`)
    .where('m.shown_sentiment', 'in', ['negative', 'positive'])
    .execute();
}

export async function schoolNames(db: DB, schoolId: string): Promise<string[]> {
  const s = await db.selectFrom('schools').select(['name', 'aliases']).where('id', '=', schoolId).executeTakeFirst();
  return s ? [s.name, ...s.aliases] : [];
}

export async function saveWeekTerms(
  db: DB,
  schoolId: string,
  week: string,
  rows: { sentiment: string; term: string; label: string; mentions: number }[],
) {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('stats_terms_weekly')
      .where('school_id', '=', schoolId)
      .where('week', '=', sql<Date>`${week}::date`)
      .execute();
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('stats_terms_weekly')
        .values(rows.slice(i, i + 500).map((r) => ({ school_id: schoolId, week: sql<Date>`${week}::date`, ...r })))
        .execute();
  });
}
