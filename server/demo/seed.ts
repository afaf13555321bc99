import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBoard } from '../actions/boardConfig.ts';
import { parseBoardFile } from '../actions/boardFile.ts';
import { audit } from '../db/audit.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { addDemoUserSchools, demoBoardId, demoPasswordHashes, setDemoCalendar, upsertDemoUser } from '../db/demo.ts';
import { DEMO_HOLIDAY, DEMO_MUSICAL_DAY } from './history.ts';
import type { DB } from '../db/index.ts';
import type { Role } from '../db/schema.ts';
import { schoolSlugsOfBoard } from '../db/schools.ts';
import { deleteSessionsOfUser } from '../db/sessions.ts';

export const demoAccounts: { email: string; role: Role; name: string; schools?: string[] }[] = [
  { email: 'communicatie@edu-ley.demo', role: 'communicatie', name: 'Communicatieadviseur (demo)' },
  { email: 'directie@edu-ley.demo', role: 'directie', name: 'Directeur De Meander (demo)', schools: ['meander'] },
  { email: 'privacy@edu-ley.demo', role: 'privacy', name: 'Functionaris gegevensbescherming (demo)' },
  { email: 'beheer@edu-ley.demo', role: 'beheer', name: 'Beheerder (demo)' },
];

const boardFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'board.yaml');

// Creates (or refreshes) the demo board, its schools and one account per role. The accounts'
// password is the configured one, or a fresh random one that the caller prints. An account whose
// password changes loses its sessions: whoever knew the old password is logged out.
export async function seedDemo(
  db: DB,
  password?: string,
  now = new Date(),
): Promise<{ boardId: string; password: string }> {
  await importBoard(db, parseBoardFile(fs.readFileSync(boardFile, 'utf8')), 'klankbord-demo', { isDemo: true });
  const boardId = (await demoBoardId(db))!;
  const pw = password ?? crypto.randomBytes(9).toString('base64url');
  const hash = await hashPassword(pw);
  const schools = await schoolSlugsOfBoard(db, boardId);
  const stored = await demoPasswordHashes(
    db,
    demoAccounts.map((a) => a.email),
  );
  for (const a of demoAccounts) {
    const old = stored.get(a.email);
    // The configured password, unchanged since the last start, keeps its hash and the sessions.
    const same = password !== undefined && old !== undefined && (await verifyPassword(password, old));
    const user = await upsertDemoUser(
      db,
      boardId,
      { email: a.email, name: a.name, role: a.role, allSchools: !a.schools },
      same ? old : hash,
    );
    if (!same) {
      const sessionsEnded = user.inserted ? 0 : await deleteSessionsOfUser(db, user.id);
      await audit(db, {
        boardId,
        actor: 'klankbord-demo',
        action: user.inserted ? 'user.create' : 'user.password_reset',
        targetType: 'user',
        targetId: user.id,
        details: { email: a.email, role: a.role, ...(user.inserted ? {} : { sessionsEnded }) },
      });
    }
    if (a.schools) {
      await addDemoUserSchools(
        db,
        user.id,
        schools.filter((s) => a.schools!.includes(s.slug)).map((s) => s.id),
      );
    }
  }
  // The generated history's holiday week and the musical, so the Overzicht marks them.
  const day = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  await setDemoCalendar(db, boardId, {
    holiday: { label: DEMO_HOLIDAY.label, from: day(DEMO_HOLIDAY.fromDay), to: day(DEMO_HOLIDAY.toDay) },
    event: { schoolSlug: 'meander', label: 'Musical groep 8', day: day(DEMO_MUSICAL_DAY) },
  });
  return { boardId, password: pw };
}
