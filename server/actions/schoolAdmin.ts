import type { Viewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import { lockBoard, renameBoard } from '../db/boards.ts';
import { inTransaction, type DB } from '../db/index.ts';
import {
  activeSchoolCount,
  archiveSchool,
  fullSchoolsOfBoard,
  insertSchool,
  openCasesOfSchool,
  restoreSchool,
  SCHOOL_UNDO_DAYS,
  updateSchoolDetails,
  type SchoolDetails,
} from '../db/schools.ts';
import { fold } from '../../workers/match/tokens.ts';
import { reapply } from './schoolQueries.ts';

// Beheer keeps the board's schools in the dashboard, as `klankbord import` does from the board file:
// add, edit, archive (undoable for SCHOOL_UNDO_DAYS, then the retention job removes it) and restore.

// Why a change is refused, in words for the person who asked; `status` is what the route answers.
export class SchoolRefused extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409,
  ) {
    super(message);
  }
}

type School = { id: string; slug: string; name: string; aliases: string[]; place: string | null; query: string | null };
type Region = SchoolDetails['region'];

// "obs De Meander" → "obs-de-meander": what the meldpunt's address and the board file call the school.
export function slugFor(name: string): string {
  const s = fold(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s.length >= 2 ? s : `school-${s || 'nieuw'}`;
}

const undoUntil = (at: Date) => new Date(at.getTime() + SCHOOL_UNDO_DAYS * 86_400_000);

// Names are compared without case, accents and spacing, over archived schools too.
async function refuseDuplicateName(db: DB, boardId: string, name: string, exceptId?: string) {
  const key = fold(name).replace(/\s+/g, ' ').trim();
  const other = (await fullSchoolsOfBoard(db, boardId)).find(
    (s) => s.id !== exceptId && fold(s.name).replace(/\s+/g, ' ').trim() === key,
  );
  if (!other) return;
  throw new SchoolRefused(
    other.archived_at
      ? `Er is al een gearchiveerde school met de naam "${other.name}"; herstel die onder Gearchiveerd.`
      : `Er is al een school met de naam "${other.name}".`,
    409,
  );
}

export async function createSchool(
  db: DB,
  v: Viewer,
  input: SchoolDetails & { slug?: string },
  ip?: string,
): Promise<{ slug: string; id: string }> {
  await refuseDuplicateName(db, v.boardId, input.name);
  const slug = input.slug ?? slugFor(input.name);
  const { slug: _, ...details } = input;
  const id = await inTransaction(db, async (trx) => {
    const id = await insertSchool(trx, v.boardId, slug, details);
    if (!id)
      throw new SchoolRefused(
        `Het adres "${slug}" is al van een andere school van dit bestuur (ook gearchiveerde tellen mee); kies een ander.`,
        409,
      );
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'school.created',
      targetType: 'school',
      targetId: id,
      ip,
      details: { slug, ...details },
    });
    return id;
  });
  // The default query is in force at once: stored posts and the preview window are matched against it.
  await reapply(db, v.boardId, id);
  return { slug, id };
}

export async function updateSchool(
  db: DB,
  v: Viewer,
  school: School & { region: Region },
  next: SchoolDetails,
  ip?: string,
) {
  await refuseDuplicateName(db, v.boardId, next.name, school.id);
  const before: SchoolDetails = {
    name: school.name,
    aliases: school.aliases,
    place: school.place,
    region: school.region,
  };
  const changed = (Object.keys(next) as (keyof SchoolDetails)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]),
  );
  if (!changed.length) return { changed };
  await inTransaction(db, async (trx) => {
    await updateSchoolDetails(trx, school.id, next);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'school.updated',
      targetType: 'school',
      targetId: school.id,
      ip,
      details: {
        slug: school.slug,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    });
  });
  // Name, other names and place make the default query; a school with its own query keeps it.
  if (school.query === null && changed.some((k) => k !== 'region')) await reapply(db, v.boardId, school.id);
  return { changed };
}

const cases = (n: number) => (n === 1 ? '1 open zaak' : `${n} open zaken`);

export async function archive(db: DB, v: Viewer, school: School, now = new Date(), ip?: string) {
  return inTransaction(db, async (trx) => {
    await lockBoard(trx, v.boardId);
    if ((await activeSchoolCount(trx, v.boardId)) <= 1)
      throw new SchoolRefused('Dit is de laatste school van het bestuur; die kan niet worden gearchiveerd.', 409);
    const open = await openCasesOfSchool(trx, school.id);
    if (open)
      throw new SchoolRefused(
        `${school.name} heeft nog ${cases(open)}; rond ${open === 1 ? 'die' : 'die zaken'} eerst af en archiveer de school daarna.`,
        409,
      );
    await archiveSchool(trx, school.id, v.id, now);
    const until = undoUntil(now);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'school.archived',
      targetType: 'school',
      targetId: school.id,
      ip,
      details: { slug: school.slug, name: school.name, undoUntil: until.toISOString() },
    });
    return { undoUntil: until };
  });
}

export async function restore(
  db: DB,
  v: Viewer,
  school: { id: string; slug: string; name: string; archived_at: Date },
  now = new Date(),
  ip?: string,
) {
  if (undoUntil(school.archived_at) <= now)
    throw new SchoolRefused(
      `De hersteltermijn van ${SCHOOL_UNDO_DAYS} dagen is voorbij; ${school.name} wordt verwijderd.`,
      409,
    );
  await inTransaction(db, async (trx) => {
    await restoreSchool(trx, school.id);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'school.restored',
      targetType: 'school',
      targetId: school.id,
      ip,
      details: { slug: school.slug, name: school.name, archivedAt: school.archived_at.toISOString() },
    });
  });
}

export async function rename(db: DB, v: Viewer, before: string, name: string, ip?: string) {
  if (before === name) return;
  await inTransaction(db, async (trx) => {
    await renameBoard(trx, v.boardId, name);
    await audit(trx, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'board.renamed',
      targetType: 'board',
      targetId: v.boardId,
      ip,
      details: { before, after: name },
    });
  });
}
