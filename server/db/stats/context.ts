import { sql } from 'kysely';
import type { DB } from '../index.ts';
import { ids, type Period } from './period.ts';

const start = (p: Period) => sql`(${p.from}::date)::timestamp at time zone 'Europe/Amsterdam'`;
const end = (p: Period) => sql`(${p.to}::date + 1)::timestamp at time zone 'Europe/Amsterdam'`;

// What marks the time axis: days a discussion threatened to get out of hand (spike prompts), and
// holidays and the schools' own calendar (toetsweek, evenement) in the period.
export async function spikeDays(db: DB, schoolIds: string[], p: Period) {
  const r = await sql<{ school_id: string; day: string }>`
    select distinct c.school_id, to_char(dutch_day(e.created_at), 'YYYY-MM-DD') as day
    from case_events e join cases c on c.id = e.case_id
    where e.kind = 'spike' and c.school_id = any(${ids(schoolIds)})
      and e.created_at >= ${start(p)} and e.created_at < ${end(p)}
    order by 2`.execute(db);
  return r.rows;
}

export async function calendarIn(db: DB, boardId: string, schoolIds: string[], p: Period) {
  const r = await sql<{ school_id: string | null; kind: string; label: string; starts_on: string; ends_on: string }>`
    select school_id, kind, label, to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on
    from school_calendar
    where school_id = any(${ids(schoolIds)}) and ends_on >= ${p.from}::date and starts_on <= ${p.to}::date
    union
    select distinct null::bigint, b.kind, b.label, to_char(b.starts_on, 'YYYY-MM-DD'), to_char(b.ends_on, 'YYYY-MM-DD')
    from board_calendar b
    where b.board_id = ${boardId} and b.ends_on >= ${p.from}::date and b.starts_on <= ${p.to}::date
      and (b.region is null or exists (select 1 from schools s where s.id = any(${ids(schoolIds)}) and s.region = b.region))
    order by 4, 3`.execute(db);
  return r.rows;
}

// Coverage: the sources behind these schools (their own and the board's) and whether each worked in
// the period — a quiet week caused by a broken source is no good news. A meldpunt is not fetched,
// so it neither works nor fails.
export async function coverage(db: DB, boardId: string, schoolIds: string[], p: Period) {
  const r = await sql<{ healthy: number; failing: number; paused: number }>`
    select
      count(*) filter (where enabled and last_success_at >= ${start(p)} and error_count = 0)::int as healthy,
      count(*) filter (where enabled and (error_count > 0 or last_success_at is null or last_success_at < ${start(p)}))::int as failing,
      count(*) filter (where not enabled)::int as paused
    from sources
    where board_id = ${boardId} and deleted_at is null and created_at < ${end(p)} and kind <> 'report'
      and (school_id is null or school_id = any(${ids(schoolIds)}))`.execute(db);
  return r.rows[0] ?? { healthy: 0, failing: 0, paused: 0 };
}
