import type { Viewer } from './access.ts';
import type { DB } from './db/index.ts';
import { audit } from './audit.ts';
import type { SchoolRole } from '../workers/policy/types.ts';

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
