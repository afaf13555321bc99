import { sql } from 'kysely';
import type { Viewer } from '../access.ts';
import type { DB } from './index.ts';
import { preparedRows } from './prepared.ts';
import { casesQuery, headlinesOf, OPEN, toSummary, withSummary } from './caseSummary.ts';
import type { CaseFilters } from './caseTypes.ts';
import type { CaseState } from './schema.ts';

// The "Acties" board's list of cases and its counts per state (cases.ts: one case).

// Without a filter on prompt type or assignee, the counts per state come from the totals the database
// keeps per school (sql/0041) and the late ones from the open cases only: neither grows with history.
// One statement: the late ones ride along as a row of their own, which no state is.
function stateCounts(db: DB, v: Viewer, schoolId: string | undefined, q: ReturnType<typeof casesQuery>, now: Date) {
  const schools = schoolId ? v.schoolIds.filter((id) => id === schoolId) : v.schoolIds;
  const late = q
    .select([sql<string>`'overdue'`.as('state'), sql<number>`0`.as('n'), sql<number>`count(*)::int`.as('late')])
    .where('c.state', 'in', OPEN)
    .where('c.due_at', '<', now);
  return preparedRows(
    db,
    db
      .selectFrom('case_counts')
      .select(['state', sql<number>`sum(n)::int`.as('n'), sql<number>`0`.as('late')])
      .where('school_id', 'in', schools.length ? schools : ['-1'])
      .groupBy('state')
      .unionAll(late)
      .compile(),
  );
}

// The cases a viewer may see, narrowed by the filters that also narrow the counts.
function filteredCases(db: DB, v: Viewer, f: CaseFilters) {
  let q = casesQuery(db, v);
  if (f.schoolId) q = q.where('c.school_id', '=', f.schoolId);
  if (f.type)
    q = q.where(sql<boolean>`exists (select 1 from case_actions a where a.case_id = c.id and a.type = ${f.type})`);
  if (f.mine) q = q.where('c.assignee_id', '=', v.id);
  return q;
}

const LIMIT = 200;

// The list itself, 200 at most: open ones by due date (the most serious prompt first on the same date),
// closed ones newest closed first (sql/0045's index). "Alle" is the open ones and then the closed ones,
// each in its own order: by due date alone it showed the board's oldest cases (a year back) and never
// today's, and it sorted the whole history on every request. Exported so a test can check their plans.
export function caseListQueries(db: DB, v: Viewer, f: CaseFilters, now: Date) {
  const state = f.state ?? 'open';
  // late ones are open ones
  if (state === 'all' && f.overdue) return [listQuery(db, v, f, 'open', now)];
  if (state === 'all') return [listQuery(db, v, f, 'open', now), listQuery(db, v, f, 'closed', now)];
  return [listQuery(db, v, f, state, now)];
}

function listQuery(
  db: DB,
  v: Viewer,
  f: CaseFilters,
  state: Exclude<CaseFilters['state'], 'all' | undefined>,
  now: Date,
) {
  let q = withSummary(filteredCases(db, v, f));
  if (state === 'open') q = q.where('c.state', 'in', OPEN);
  else if (state === 'closed') q = q.where('c.state', 'in', ['afgerond', 'geen_actie']);
  else q = q.where('c.state', '=', state);
  if (f.overdue) q = q.where('c.due_at', '<', now).where('c.state', 'in', OPEN);
  const closedView = state === 'closed' || state === 'afgerond' || state === 'geen_actie';
  // Same due date: the most serious open prompt first (a threat before a correction; withSummary).
  return (closedView ? q.orderBy('c.closed_at', 'desc') : q.orderBy('c.due_at', 'asc').orderBy(sql`f.seriousness`))
    .orderBy('c.id', 'desc')
    .limit(LIMIT);
}

export async function listCases(db: DB, v: Viewer, f: CaseFilters, now = new Date()) {
  const q = filteredCases(db, v, f);
  // the counts and the list at once: neither waits for the other (the headlines wait for the list)
  const [counts, [rows, heads]] = await Promise.all([
    f.type || f.mine
      ? q
          .select([
            'c.state',
            sql<number>`count(*)::int`.as('n'),
            sql<number>`count(*) filter (where c.due_at < ${now} and c.state in ('nieuw', 'in_behandeling'))::int`.as(
              'late',
            ),
          ])
          .groupBy('c.state')
          .execute()
      : stateCounts(db, v, f.schoolId, q, now),
    (async () => {
      // "Alle": the closed ones only as far as the open ones leave room
      const rows = [];
      for (const l of caseListQueries(db, v, f, now)) {
        if (rows.length >= LIMIT) break;
        rows.push(...(await preparedRows(db, l.limit(LIMIT - rows.length).compile())));
      }
      return [rows, await headlinesOf(db, rows)] as const;
    })(),
  ]);
  const byState = Object.fromEntries(
    ['nieuw', 'in_behandeling', 'afgerond', 'geen_actie'].map((s) => [s, counts.find((c) => c.state === s)?.n ?? 0]),
  );
  return {
    cases: rows.map((r) => toSummary(r, now, heads)),
    counts: { ...byState, overdue: counts.reduce((n, c) => n + c.late, 0) } as Record<CaseState | 'overdue', number>,
  };
}
