import { sql } from 'kysely';
import type { Viewer } from '../access.ts';
import type { DB } from './index.ts';
import type { CaseState } from './schema.ts';
import { maskFields } from '../../workers/classifications.ts';
import type { MaskSpan, Risk } from '../../workers/classify/types.ts';
import { SERIOUSNESS, type ActionType } from '../../workers/policy/types.ts';
import { postsWithMaskLabels } from './searchText.ts';
import { preparedRows } from './prepared.ts';
import type { CaseSummary } from './caseTypes.ts';

// A case as the "Acties" board lists it (caseList.ts) and as one case's page starts (cases.ts): the
// cases a viewer may see, their prompts' figures, and the post each is named after.

export const BREACH_HOURS = 72;

export const OPEN: CaseState[] = ['nieuw', 'in_behandeling'];
const topOf = (types: string[]) => SERIOUSNESS.find((t) => types.includes(t)) ?? 'monitor';

// Masked as the inbox masks it: from what the classifier stored (not a fresh search per case and
// request, which cost more than the list's queries).
type First = { title: string; body: string; masks: MaskSpan[] | null; classifier: string | null; risks: Risk[] | null };
export type Headlines = Map<string, First>;
function headlineOf(f: First): string {
  const shown = maskFields(f, f.risks ?? []);
  const pick = f.title.trim() ? shown.title : shown.text;
  const masked = pick.replace(/\s+/g, ' ').trim();
  return masked.length > 90 ? `${masked.slice(0, 87).trimEnd()}…` : masked;
}

// The posts that name these cases (sql/0046 keeps which), read by id after the cases: with the ids
// known the planner reads only the months they are in, where a lookup per case planned every month.
export async function headlinesOf(db: DB, rows: { headline_mention_id: string | null }[]): Promise<Headlines> {
  const ids = [...new Set(rows.flatMap((r) => (r.headline_mention_id ? [r.headline_mention_id] : [])))];
  if (!ids.length) return new Map();
  const found = await preparedRows(
    db,
    postsWithMaskLabels(db)
      .where('m.id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`)
      .compile(),
  );
  return new Map(found.map((f) => [f.id, f as First]));
}

// The cases a viewer may see, with their school and assignee: what the list, its counts and one case share.
export function casesQuery(db: DB, v: Viewer) {
  return db
    .selectFrom('cases as c')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .where('c.board_id', '=', v.boardId)
    .where('c.school_id', 'in', v.schoolIds.length ? v.schoolIds : ['-1']);
}

// What a case's summary shows. Its prompts' types, how many are open and the most serious open one
// (`f.seriousness`, the list's order on one due date) in one pass over the case's prompts: three
// subqueries each read them, ~1.2 ms of a 200-case list's ~3.3 ms at 1M posts.
export function withSummary(q: ReturnType<typeof casesQuery>) {
  return q
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('case_actions as a')
          .select([
            sql<string[]>`coalesce(array_agg(a.type order by a.id), '{}')`.as('types'),
            sql<number>`(count(*) filter (where a.status = 'open'))::int`.as('open_actions'),
            sql<
              number | null
            >`min(array_position(${sql.val([...SERIOUSNESS])}::text[], a.type)) filter (where a.status = 'open')`.as(
              'seriousness',
            ),
          ])
          .whereRef('a.case_id', '=', 'c.id')
          .as('f'),
      (j) => j.onTrue(),
    )
    .select([
      'c.id',
      'c.kind',
      'c.state',
      'c.severity',
      'c.due_at',
      'c.last_mention_at',
      'c.created_at',
      'c.closed_at',
      'c.breach_status',
      'c.policy',
      'c.policy_version',
      'c.outcome',
      'c.outcome_kind',
      's.slug as school_slug',
      's.name as school_name',
      's.id as school_id',
      'u.id as assignee_id',
      'u.name as assignee_name',
      'u.email as assignee_email',
      // an aggregate without groups is one row for every case: never null
      sql<string[]>`f.types`.as('types'),
      sql<number>`f.open_actions`.as('open_actions'),
      sql<number>`(select count(*)::int from case_mentions cm where cm.case_id = c.id)`.as('mention_count'),
      'c.headline_mention_id',
    ]);
}

export function summaryQuery(db: DB, v: Viewer) {
  return withSummary(casesQuery(db, v));
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number];

export function toSummary(r: SummaryRow, now: Date, heads: Headlines): CaseSummary {
  const types = r.types as ActionType[];
  const first = r.headline_mention_id ? heads.get(r.headline_mention_id) : undefined;
  const open = OPEN.includes(r.state);
  return {
    id: r.id,
    school: { slug: r.school_slug, name: r.school_name },
    kind: r.kind,
    state: r.state,
    severity: r.severity,
    headline: first ? headlineOf(first) : '',
    topAction: topOf(types),
    actionTypes: types,
    openActions: r.open_actions,
    dueAt: r.due_at.toISOString(),
    overdue: open && r.due_at.getTime() < now.getTime(),
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name || r.assignee_email || '' } : null,
    mentions: r.mention_count,
    lastMentionAt: r.last_mention_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    breach: types.includes('remove_personal_data')
      ? { status: r.breach_status, deadline: new Date(r.created_at.getTime() + BREACH_HOURS * 3_600_000).toISOString() }
      : null,
  };
}

export async function caseRow(db: DB, v: Viewer, id: string) {
  return summaryQuery(db, v).where('c.id', '=', id).executeTakeFirst();
}
