import type { Viewer } from '../access.ts';
import type { DB } from '../db/index.ts';
import { getBoard } from '../db/boards.ts';
import { listSchools, schoolsOfBoard } from '../db/schools.ts';
import { RISK_TYPES, type RiskType } from '../../workers/classify/types.ts';
import { monthName, monthPeriod, previousMonth } from './month.ts';
import { overview, type Overview } from './overview.ts';

// The monthly report (issue 19): the overview of one calendar month against the month before, for
// the schools a viewer sees or one of them, shaped once for the print view, the PDF and the e-mail.
// Counts, themes and points only: no post and no person.

const RISK_NAMES: Record<RiskType, string> = {
  personal_data: 'Persoonsgegevens',
  shaming: 'Beschadiging / pesten',
  threat: 'Bedreiging',
  inaccuracy: 'Onjuistheid',
  discrimination: 'Discriminatie',
  sexual: 'Seksueel getint',
};
const TOP_THEMES = 5;

const pct = (n: number) => `${String(n).replace('.', ',')}%`;

function figures(o: Overview) {
  const risk = (t: RiskType) => o.risks.reduce((a, w) => a + (w[t] ?? 0), 0);
  const f = o.followUp;
  const add = (k: 'due' | 'doneOnTime' | 'doneLate' | 'overdue') => f.byType.reduce((a, r) => a + r[k], 0);
  const conv = (k: 'conversationsDue' | 'conversationsDone') => f.perSchool.reduce((a, s) => a + s[k], 0);
  return {
    mentions: o.totals.mentions,
    negative: `${o.totals.negative} (${pct(o.totals.negativeShare)})`,
    ...Object.fromEntries(RISK_TYPES.map((t) => [`risk.${t}`, risk(t)])),
    promptsDue: add('due'),
    doneOnTime: add('doneOnTime'),
    doneLate: add('doneLate'),
    overdue: add('overdue'),
    conversations: `${conv('conversationsDone')} van ${conv('conversationsDue')}`,
    casesClosed: f.casesClosed,
    correctionsPosted: f.correctionsPosted,
  } as Record<string, number | string>;
}

const FIGURE_NAMES: Record<string, string> = {
  mentions: 'Berichten',
  negative: 'Negatief',
  ...Object.fromEntries(RISK_TYPES.map((t) => [`risk.${t}`, `Risico: ${RISK_NAMES[t].toLowerCase()}`])),
  promptsDue: 'Acties met deadline in de maand',
  doneOnTime: 'Op tijd gedaan',
  doneLate: 'Te laat gedaan',
  overdue: 'Nog open, over tijd',
  conversations: 'Gesprekken in real life gevoerd',
  casesClosed: 'Zaken afgerond',
  correctionsPosted: 'Onjuistheden rechtgezet',
};

export async function monthlyReport(
  db: DB,
  viewer: Pick<Viewer, 'boardId' | 'schoolIds' | 'allSchools'>,
  q: { month: string; school?: string; now: Date },
) {
  const visible = await listSchools(db, viewer.boardId, viewer.schoolIds);
  const schools = q.school ? visible.filter((s) => s.slug === q.school) : visible;
  if (!schools.length) return null;
  const [board, all] = await Promise.all([getBoard(db, viewer.boardId), schoolsOfBoard(db, viewer.boardId)]);
  const base = {
    boardId: viewer.boardId,
    schools: schools.map((s) => ({ id: s.id, slug: s.slug, name: s.name })),
    boardSchoolIds: all.map((s) => s.id),
    now: q.now,
    wholeBoard: viewer.allSchools && !q.school,
  };
  const before = previousMonth(q.month);
  const [cur, prev] = await Promise.all([
    overview(db, { ...base, period: monthPeriod(q.month), previous: monthPeriod(before) }),
    overview(db, { ...base, period: monthPeriod(before), previous: monthPeriod(previousMonth(before)) }),
  ]);
  const now = figures(cur);
  const then = figures(prev);
  const one = schools.length === 1 ? schools[0] : undefined;
  const scope = one
    ? one.name
    : base.wholeBoard
      ? `${board.name} (hele bestuur)`
      : `${board.name}: ${schools.map((s) => s.name).join(', ')}`;
  const point = (p: Overview['points'][number]) => ({ school: p.school, text: p.text });
  return {
    month: q.month,
    monthName: monthName(q.month),
    previousMonthName: monthName(before),
    scope,
    slug: one?.slug ?? board.slug,
    summary: cur.summary,
    figures: Object.keys(FIGURE_NAMES).map((k) => ({ key: k, label: FIGURE_NAMES[k], now: now[k], before: then[k] })),
    themes: {
      negative: cur.themes.negative.slice(0, TOP_THEMES).map((t) => ({ label: t.label, mentions: t.mentions })),
      positive: cur.themes.positive.slice(0, TOP_THEMES).map((t) => ({ label: t.label, mentions: t.mentions })),
    },
    points: {
      good: cur.points.filter((p) => p.kind === 'sterk').map(point),
      improve: cur.points.filter((p) => p.kind === 'verbeter').map(point),
    },
    perSchool:
      schools.length > 1
        ? cur.followUp.perSchool.map((s) => ({
            name: s.name,
            mentions: s.mentions,
            negativeShare: s.negativeShare,
            promptsDue: s.promptsDue,
            overdue: s.overdue,
            conversations: `${s.conversationsDone} van ${s.conversationsDue}`,
          }))
        : [],
    coverage: { healthy: cur.coverage.healthy, failing: cur.coverage.failing, paused: cur.coverage.paused },
    generatedAt: q.now.toISOString(),
  };
}

export type MonthlyReport = NonNullable<Awaited<ReturnType<typeof monthlyReport>>>;
