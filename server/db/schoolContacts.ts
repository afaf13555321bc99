import { sql } from 'kysely';
import type { DB } from './index.ts';
import type { CalendarKind, Region } from './schema.ts';
import type { SchoolRole } from '../../workers/policy/types.ts';

// People per role at a school, and the school's and the board's calendars.

export type Contact = { role: SchoolRole; name: string; email: string | null; phone: string | null };

export async function contactsOf(db: DB, schoolId: string): Promise<Contact[]> {
  const rows = await db
    .selectFrom('school_contacts')
    .select(['role', 'name', 'email', 'phone'])
    .where('school_id', '=', schoolId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as SchoolRole }));
}

export async function contactsOfSchools(db: DB, schoolIds: string[]) {
  if (!schoolIds.length) return [];
  return db
    .selectFrom('school_contacts')
    .select(['school_id', 'role', 'name', 'email', 'phone'])
    .where('school_id', 'in', schoolIds)
    .orderBy('id')
    .execute();
}

// The list is kept whole: saving replaces it (run inside a transaction).
export async function replaceContacts(db: DB, schoolId: string, contacts: Contact[]) {
  await db.deleteFrom('school_contacts').where('school_id', '=', schoolId).execute();
  if (contacts.length)
    await db
      .insertInto('school_contacts')
      .values(
        contacts.map((c) => ({ school_id: schoolId, role: c.role, name: c.name, email: c.email, phone: c.phone })),
      )
      .execute();
}

// The school's own calendar: holidays, test and report weeks, events (for the spike prompt).
export type CalendarEntry = { kind: CalendarKind; label: string; startsOn: string; endsOn: string };

export async function calendarOf(db: DB, schoolId: string): Promise<CalendarEntry[]> {
  return db
    .selectFrom('school_calendar')
    .select([
      'kind',
      'label',
      sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('startsOn'),
      sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('endsOn'),
    ])
    .where('school_id', '=', schoolId)
    .orderBy('starts_on')
    .execute();
}

export async function replaceCalendar(db: DB, schoolId: string, entries: CalendarEntry[]) {
  await db.deleteFrom('school_calendar').where('school_id', '=', schoolId).execute();
  if (entries.length)
    await db
      .insertInto('school_calendar')
      .values(
        entries.map((e) => ({
          school_id: schoolId,
          kind: e.kind,
          label: e.label,
          starts_on: e.startsOn,
          ends_on: e.endsOn,
        })),
      )
      .execute();
}

// The board's holiday schedule: for all its schools, or for the schools of one region.
export type BoardCalendarEntry = CalendarEntry & { region: Region | null };

export async function boardCalendarOf(db: DB, boardId: string): Promise<BoardCalendarEntry[]> {
  return db
    .selectFrom('board_calendar')
    .select([
      'region',
      'kind',
      'label',
      sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('startsOn'),
      sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('endsOn'),
    ])
    .where('board_id', '=', boardId)
    .orderBy('starts_on')
    .orderBy('region')
    .execute();
}

export async function replaceBoardCalendar(db: DB, boardId: string, entries: BoardCalendarEntry[]) {
  await db.deleteFrom('board_calendar').where('board_id', '=', boardId).execute();
  if (entries.length)
    await db
      .insertInto('board_calendar')
      .values(
        entries.map((e) => ({
          board_id: boardId,
          region: e.region,
          kind: e.kind,
          label: e.label,
          starts_on: e.startsOn,
          ends_on: e.endsOn,
        })),
      )
      .execute();
}
