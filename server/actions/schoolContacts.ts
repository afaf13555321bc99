import type { Viewer } from './access.ts';
import type { DB } from './db/index.ts';
import { audit } from './db/audit.ts';
import { sql } from 'kysely';
import type { SchoolRole } from '../workers/policy/types.ts';
import type { CalendarKind, Region } from './db/schema.ts';

// People per role at a school, so a prompt says "bel Marieke Jansen (teamleider)" and not only
// "de teamleider". Kept as a whole list per school: saving replaces it, and the audit log keeps
// what it was.

export type Contact = { role: SchoolRole; name: string; email: string | null; phone: string | null };

export async function contactsOf(db: DB, schoolId: string): Promise<Contact[]> {
  const rows = await db.selectFrom('school_contacts').select(['role', 'name', 'email', 'phone']).where('school_id', '=', schoolId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, role: r.role as SchoolRole }));
}

export async function saveContacts(db: DB, v: Viewer, school: { id: string; slug: string }, contacts: Contact[], ip?: string) {
  const before = await contactsOf(db, school.id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('school_contacts').where('school_id', '=', school.id).execute();
    if (contacts.length) await trx.insertInto('school_contacts').values(contacts.map((c) => ({ school_id: school.id, ...c }))).execute();
    await audit(trx, { boardId: v.boardId, userId: v.id, actor: v.email, action: 'school.contacts_update', targetType: 'school', targetId: school.id, ip, details: { school: school.slug, before, after: contacts } });
  });
  return contactsOf(db, school.id);
}

// The school's own calendar: holidays, test and report weeks, events (for the spike prompt).
export type CalendarEntry = { kind: CalendarKind; label: string; startsOn: string; endsOn: string };

export async function calendarOf(db: DB, schoolId: string): Promise<CalendarEntry[]> {
  return db
    .selectFrom('school_calendar')
    .select(['kind', 'label', sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('startsOn'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('endsOn')])
    .where('school_id', '=', schoolId)
    .orderBy('starts_on')
    .execute();
}

// The board's holiday schedule: for all its schools, or for the schools of one region.
export type BoardCalendarEntry = CalendarEntry & { region: Region | null };

export async function boardCalendarOf(db: DB, boardId: string): Promise<BoardCalendarEntry[]> {
  return db
    .selectFrom('board_calendar')
    .select(['region', 'kind', 'label', sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('startsOn'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('endsOn')])
    .where('board_id', '=', boardId)
    .orderBy('starts_on')
    .orderBy('region')
    .execute();
}

export async function saveBoardCalendar(db: DB, v: Viewer, entries: BoardCalendarEntry[], ip?: string) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('board_calendar').where('board_id', '=', v.boardId).execute();
    if (entries.length) await trx.insertInto('board_calendar').values(entries.map((e) => ({ board_id: v.boardId, region: e.region, kind: e.kind, label: e.label, starts_on: e.startsOn, ends_on: e.endsOn }))).execute();
    await audit(trx, { boardId: v.boardId, userId: v.id, actor: v.email, action: 'board.calendar_update', targetType: 'board', targetId: v.boardId, ip, details: { count: entries.length } });
  });
  return boardCalendarOf(db, v.boardId);
}

export async function saveRegion(db: DB, v: Viewer, school: { id: string; slug: string }, region: Region | null, ip?: string) {
  await db.updateTable('schools').set({ region }).where('id', '=', school.id).execute();
  await audit(db, { boardId: v.boardId, userId: v.id, actor: v.email, action: 'school.region_update', targetType: 'school', targetId: school.id, ip, details: { school: school.slug, region } });
}

export async function saveCalendar(db: DB, v: Viewer, school: { id: string; slug: string }, entries: CalendarEntry[], ip?: string) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('school_calendar').where('school_id', '=', school.id).execute();
    if (entries.length) await trx.insertInto('school_calendar').values(entries.map((e) => ({ school_id: school.id, kind: e.kind, label: e.label, starts_on: e.startsOn, ends_on: e.endsOn }))).execute();
    await audit(trx, { boardId: v.boardId, userId: v.id, actor: v.email, action: 'school.calendar_update', targetType: 'school', targetId: school.id, ip, details: { school: school.slug, count: entries.length } });
  });
  return calendarOf(db, school.id);
}
