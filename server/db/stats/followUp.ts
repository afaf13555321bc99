import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { ids, type Period } from './period.ts';

const start = (p: Period) => sql`(${p.from}::date)::timestamp at time zone 'Europe/Amsterdam'`;
const end = (p: Period) => sql`(${p.to}::date + 1)::timestamp at time zone 'Europe/Amsterdam'`;

// Follow-up by the protocol, per school and prompt type: prompts that fell due in the period, done on
// time, done late, not needed, still open and overdue at `now`.
export async function promptFollowUp(db: DB, schoolIds: string[], p: Period, now: Date) {
  const r = await sql<{
    school_id: string;
    type: string;
    due: number;
    on_time: number;
    late: number;
    not_needed: number;
    open: number;
    overdue: number;
  }>`
    select c.school_id, a.type, count(*)::int as due,
      count(*) filter (where a.status = 'gedaan' and a.done_at <= a.due_at)::int as on_time,
      count(*) filter (where a.status = 'gedaan' and a.done_at > a.due_at)::int as late,
      count(*) filter (where a.status = 'niet_nodig')::int as not_needed,
      count(*) filter (where a.status = 'open')::int as open,
      count(*) filter (where a.status = 'open' and a.due_at < ${now})::int as overdue
    from case_actions a join cases c on c.id = a.case_id
    where c.school_id = any(${ids(schoolIds)}) and a.due_at >= ${start(p)} and a.due_at < ${end(p)}
    group by 1, 2 order by 1, 2`.execute(db);
  return r.rows;
}

// Cases closed in the period per school: how many, with which outcome, the median hours from opening
// to outcome, and real-life conversations recorded.
export async function caseOutcomes(db: DB, schoolIds: string[], p: Period) {
  const r = await sql<{
    school_id: string;
    closed: number;
    median_hours: number | null;
    conversations: number;
    improvements: number;
  }>`
    select school_id, count(*)::int as closed,
      percentile_cont(0.5) within group (order by extract(epoch from closed_at - created_at) / 3600)::float8 as median_hours,
      count(*) filter (where outcome_kind = 'gesprek_gevoerd')::int as conversations,
      count(*) filter (where outcome_kind = 'verbeterpunt_opgepakt')::int as improvements
    from cases
    where school_id = any(${ids(schoolIds)}) and closed_at >= ${start(p)} and closed_at < ${end(p)}
    group by school_id`.execute(db);
  return r.rows;
}

// Corrections of inaccuracies posted online in the period (the one online response allowed), and
// those approved but not yet posted.
export async function corrections(db: DB, schoolIds: string[], p: Period) {
  const r = await sql<{ school_id: string; posted: number; waiting: number }>`
    select c.school_id,
      count(*) filter (where d.state = 'geplaatst' and d.posted_at >= ${start(p)} and d.posted_at < ${end(p)})::int as posted,
      count(*) filter (where d.state = 'goedgekeurd')::int as waiting
    from correction_drafts d join cases c on c.id = d.case_id
    where c.school_id = any(${ids(schoolIds)})
    group by c.school_id`.execute(db);
  return r.rows;
}

// Goede punten and verbeterpunten recorded in the period (Profilering c), per school.
export async function periodPoints(db: DB, schoolIds: string[], p: Period) {
  return db
    .selectFrom('school_points')
    .select(['school_id', 'kind', 'text', 'created_at'])
    .where(sql<boolean>`school_id = any(${ids(schoolIds)})`)
    .where('created_at', '>=', sql<Date>`${start(p)}`)
    .where('created_at', '<', sql<Date>`${end(p)}`)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}
