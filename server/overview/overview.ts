import type { DB } from '../db/index.ts';
import { sentimentTotals, sentimentTrend } from '../db/stats/sentimentTrend.ts';
import { boardTrend } from '../db/stats/boardTrend.ts';
import { archivedSchoolIds } from '../db/schools.ts';
import { platforms, sourceKinds } from '../db/stats/sources.ts';
import { riskTrend } from '../db/stats/riskTrend.ts';
import { termCounts } from '../db/stats/themes.ts';
import { caseOutcomes, corrections, periodPoints, promptFollowUp } from '../db/stats/followUp.ts';
import { calendarIn, coverage, spikeDays } from '../db/stats/context.ts';
import { schoolTrends } from '../db/stats/schoolTrends.ts';
import { bucketOf, days, previous, type Period } from '../db/stats/period.ts';
import { distinctive } from './themes.ts';
import { summarise } from './summary.ts';

// The directors' overview: every figure of the Overzicht page (and of the monthly report) for a set of
// schools the viewer may see, over a period compared with the one before. Counts, themes and points
// only: no post and no person leaves here. `boardSchoolIds`: all the board's schools, for the board's
// average a single-school director sees as context (a number, never another school's posts).

export type School = { id: string; slug: string; name: string };
const THEME_BASELINE_DAYS = 84;
const SMALL_MULTIPLES = 12;

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

export async function overview(
  db: DB,
  q: {
    boardId: string;
    schools: School[];
    boardSchoolIds: string[];
    period: Period;
    now: Date;
    wholeBoard: boolean;
    // what the period is compared with: by default the days just before it; a month report, last month
    previous?: Period;
  },
) {
  const ids = q.schools.map((s) => s.id);
  const p = q.period;
  const prev = q.previous ?? previous(p);
  const bucket = bucketOf(p);
  const baseline: Period = { from: addDays(p.from, -Math.max(THEME_BASELINE_DAYS, days(p))), to: prev.to };
  const [trend, totals, prevTotals, kinds, reach, risks, follow, outcomes, corr, points, spikes, calendar, cover] =
    await Promise.all([
      // the whole board: its own rollup, not a sum over every school's rows
      q.wholeBoard
        ? archivedSchoolIds(db, q.boardId).then((gone) => boardTrend(db, [q.boardId], p, bucket, gone))
        : sentimentTrend(db, ids, p, bucket),
      sentimentTotals(db, ids, p),
      sentimentTotals(db, ids, prev),
      sourceKinds(db, ids, p),
      platforms(db, ids, p),
      riskTrend(db, ids, p),
      promptFollowUp(db, ids, p, q.now),
      caseOutcomes(db, ids, p),
      corrections(db, ids, p),
      periodPoints(db, ids, p),
      spikeDays(db, ids, p),
      calendarIn(db, q.boardId, ids, p),
      coverage(db, q.boardId, ids, p),
    ]);
  const themes = Object.fromEntries(
    await Promise.all(
      (['negative', 'positive'] as const).map(async (sentiment) => {
        const [now, before] = await Promise.all([
          termCounts(db, ids, p, sentiment),
          termCounts(db, ids, baseline, sentiment),
        ]);
        const found = distinctive(now, new Map(before.map((t) => [t.term, t.mentions])), {
          now: days(p),
          before: days(baseline),
        });
        return [
          sentiment,
          found.map((t) => ({ term: t.term, label: t.label, mentions: t.mentions, before: t.before })),
        ];
      }),
    ),
  ) as Record<'negative' | 'positive', { term: string; label: string; mentions: number; before: number }[]>;

  const sum = (rows: { mentions: number; negative: number }[]) => ({
    mentions: rows.reduce((a, r) => a + r.mentions, 0),
    negative: rows.reduce((a, r) => a + r.negative, 0),
  });
  const cur = sum(totals);
  const before = sum(prevTotals);
  const nameOf = new Map(q.schools.map((s) => [s.id, s]));

  const perSchool = q.schools.map((s) => {
    const t = totals.find((r) => r.school_id === s.id) ?? { mentions: 0, negative: 0 };
    const f = follow.filter((r) => r.school_id === s.id);
    const o = outcomes.find((r) => r.school_id === s.id);
    const c = corr.find((r) => r.school_id === s.id);
    const realLife = f.filter((r) => r.type === 'real_life');
    return {
      slug: s.slug,
      name: s.name,
      mentions: t.mentions,
      negative: t.negative,
      negativeShare: share(t.negative, t.mentions),
      promptsDue: f.reduce((a, r) => a + r.due, 0),
      doneOnTime: f.reduce((a, r) => a + r.on_time, 0),
      doneLate: f.reduce((a, r) => a + r.late, 0),
      overdue: f.reduce((a, r) => a + r.overdue, 0),
      open: f.reduce((a, r) => a + r.open, 0),
      conversationsDue: realLife.reduce((a, r) => a + r.due, 0),
      conversationsDone: realLife.reduce((a, r) => a + r.on_time + r.late, 0),
      casesClosed: o?.closed ?? 0,
      medianHoursToOutcome: o?.median_hours == null ? null : Math.round(o.median_hours * 10) / 10,
      correctionsPosted: c?.posted ?? 0,
      correctionsWaiting: c?.waiting ?? 0,
    };
  });
  const byType = [...new Set(follow.map((r) => r.type))].sort().map((type) => {
    const rows = follow.filter((r) => r.type === type);
    const add = (k: 'due' | 'on_time' | 'late' | 'overdue' | 'open' | 'not_needed') =>
      rows.reduce((a, r) => a + r[k], 0);
    return {
      type,
      due: add('due'),
      doneOnTime: add('on_time'),
      doneLate: add('late'),
      overdue: add('overdue'),
      open: add('open'),
      notNeeded: add('not_needed'),
    };
  });
  const closed = outcomes.reduce((a, r) => a + r.closed, 0);
  const medians = outcomes.filter((r) => r.median_hours != null).map((r) => r.median_hours!);

  // A board-wide director compares schools on the same scale; one school's director sees the
  // board's average per school as context.
  const top = [...perSchool].sort((a, b) => b.mentions - a.mentions).slice(0, SMALL_MULTIPLES);
  const multiples =
    q.wholeBoard && q.schools.length > 1
      ? await schoolTrends(
          db,
          top.map((s) => q.schools.find((x) => x.slug === s.slug)!.id),
          p,
          bucket,
        )
      : [];
  let boardAverage: { mentionsPerSchool: number; negativeShare: number } | null = null;
  if (!q.wholeBoard && q.boardSchoolIds.length > 1) {
    const all = sum(await sentimentTotals(db, q.boardSchoolIds, p));
    boardAverage = {
      mentionsPerSchool: Math.round((all.mentions / q.boardSchoolIds.length) * 10) / 10,
      negativeShare: share(all.negative, all.mentions),
    };
  }

  const result = {
    period: { ...p, bucket, days: days(p) },
    previous: prev,
    schools: q.schools.map((s) => ({ slug: s.slug, name: s.name })),
    coverage: { ...cover, mentions: cur.mentions },
    totals: {
      mentions: cur.mentions,
      negative: cur.negative,
      negativeShare: share(cur.negative, cur.mentions),
      previousMentions: before.mentions,
      previousNegative: before.negative,
      previousNegativeShare: share(before.negative, before.mentions),
    },
    sentiment: trend,
    sourceKinds: kinds,
    platforms: reach,
    risks,
    themes,
    followUp: {
      perSchool,
      byType,
      casesClosed: closed,
      medianHoursToOutcome: medians.length ? Math.round(median(medians) * 10) / 10 : null,
      conversations: outcomes.reduce((a, r) => a + r.conversations, 0),
      correctionsPosted: corr.reduce((a, r) => a + r.posted, 0),
    },
    points: points.map((r) => ({
      school: nameOf.get(r.school_id)?.name ?? '',
      kind: r.kind,
      text: r.text,
      at: r.created_at.toISOString(),
    })),
    multiples: multiples.map((m) => ({
      name: nameOf.get(m.schoolId)?.name ?? '',
      slug: nameOf.get(m.schoolId)?.slug ?? '',
      rows: m.rows,
    })),
    boardAverage,
    markers: {
      spikes: spikes.map((s) => ({ school: nameOf.get(s.school_id)?.name ?? '', day: s.day })),
      calendar: calendar.map((e) => ({
        school: e.school_id ? (nameOf.get(e.school_id)?.name ?? '') : null,
        kind: e.kind,
        label: e.label,
        from: e.starts_on,
        to: e.ends_on,
      })),
    },
  };
  return { ...result, summary: summarise(result) };
}

export type Overview = Awaited<ReturnType<typeof overview>>;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
