import type { Viewer } from '../access.ts';
import type { DB } from '../db/index.ts';
import { inTransaction } from '../db/index.ts';
import { audit } from '../db/audit.ts';
import {
  boardCalendarOf,
  calendarOf,
  contactsOf,
  replaceBoardCalendar,
  replaceCalendar,
  replaceContacts,
  type BoardCalendarEntry,
  type CalendarEntry,
  type Contact,
} from '../db/schoolContacts.ts';
import { setSchoolRegion } from '../db/schools.ts';
import type { Region } from '../db/schema.ts';

// People per role at a school, so a prompt says "bel Marieke Jansen (teamleider)" and not only
// "de teamleider". Kept as a whole list per school: saving replaces it, and the audit log keeps
// what it was. The same for the school's calendar and the board's holiday schedule.

export async function saveContacts(
  db: DB,
  v: Viewer,
  school: { id: string; slug: string },
  contacts: Contact[],
  ip?: string,
) {
  const before = await contactsOf(db, school.id);
  await inTransaction(db, async (trx) => {
    await replaceContacts(trx, school.id, contacts);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'school.contacts_update',
      targetType: 'school',
      targetId: school.id,
      ip,
      details: { school: school.slug, before, after: contacts },
    });
  });
  return contactsOf(db, school.id);
}

export async function saveBoardCalendar(db: DB, v: Viewer, entries: BoardCalendarEntry[], ip?: string) {
  await inTransaction(db, async (trx) => {
    await replaceBoardCalendar(trx, v.boardId, entries);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'board.calendar_update',
      targetType: 'board',
      targetId: v.boardId,
      ip,
      details: { count: entries.length },
    });
  });
  return boardCalendarOf(db, v.boardId);
}

export async function saveRegion(
  db: DB,
  v: Viewer,
  school: { id: string; slug: string },
  region: Region | null,
  ip?: string,
) {
  await setSchoolRegion(db, school.id, region);
  await audit(db, {
    boardId: v.boardId,
    userId: v.id,
    actor: v.email,
    action: 'school.region_update',
    targetType: 'school',
    targetId: school.id,
    ip,
    details: { school: school.slug, region },
  });
}

export async function saveCalendar(
  db: DB,
  v: Viewer,
  school: { id: string; slug: string },
  entries: CalendarEntry[],
  ip?: string,
) {
  await inTransaction(db, async (trx) => {
    await replaceCalendar(trx, school.id, entries);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'school.calendar_update',
      targetType: 'school',
      targetId: school.id,
      ip,
      details: { school: school.slug, count: entries.length },
    });
  });
  return calendarOf(db, school.id);
}
