import type { DB } from '../../server/db/index.ts';
import { refreshStats, saveWeekTerms, schoolNames, weekPosts } from '../../server/db/stats/rollup.ts';
import { countTerms, themeTerms } from './themes.ts';

// The rollup job: recount what changed (a batch of school-days) and redo the themes of their weeks.
// Each pass is bounded; the queue is empty when idle, so an idle worker costs one lookup.
export const TERMS_PER_WEEK = 150;

export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export async function rollupStats(db: DB, limit = 200): Promise<{ days: number; weeks: number }> {
  const changed = await refreshStats(db, limit);
  const weeks = new Map<string, { schoolId: string; week: string }>();
  for (const c of changed) {
    const week = mondayOf(c.day);
    weeks.set(`${c.schoolId}:${week}`, { schoolId: c.schoolId, week });
  }
  for (const { schoolId, week } of weeks.values()) {
    const names = await schoolNames(db, schoolId);
    const posts = await weekPosts(db, schoolId, week);
    const rows = (['negative', 'positive'] as const).flatMap((sentiment) =>
      countTerms(
        posts.filter((p) => p.shown_sentiment === sentiment).map((p) => themeTerms(p.search_text ?? '', names)),
      )
        .sort((a, b) => b.mentions - a.mentions || a.term.localeCompare(b.term))
        .slice(0, TERMS_PER_WEEK)
        .map((t) => ({ sentiment, ...t })),
    );
    await saveWeekTerms(db, schoolId, week, rows);
  }
  return { days: changed.length, weeks: weeks.size };
}
