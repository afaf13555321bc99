import type { DB } from './db/index.ts';
import type { Role } from './db/schema.ts';
import { schoolIdsOfUser, userById } from './db/users.ts';

// Who is asking, and which schools they may see. Every route that reads board data takes its
// school ids from here, and every query filters on them; nothing else decides access.
export type Viewer = {
  id: string;
  email: string;
  name: string;
  role: Role;
  boardId: string;
  allSchools: boolean;
  schoolIds: string[];
};

export async function loadViewer(db: DB, userId: string): Promise<Viewer | undefined> {
  const user = await userById(db, userId);
  if (!user) return undefined;
  const schoolIds = await schoolIdsOfUser(db, user);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    boardId: user.board_id,
    allSchools: user.all_schools,
    schoolIds,
  };
}

export const canSeeSchool = (viewer: Viewer, schoolId: string) => viewer.schoolIds.includes(schoolId);

// Who may do what, in one table. `school`: the viewer must see that school; `board`: the viewer must
// see the whole board (all its schools). Everything a role may read is already limited to its
// schools by the queries; this table is for what changes things or reveals more.
type Scope = 'school' | 'board';
export const PERMISSIONS = {
  // Sources are configured by communications staff and administrators; directors and the privacy
  // officer look at their health. A board-wide source needs someone who sees the whole board.
  'source.edit': { roles: ['communicatie', 'beheer'], scope: 'school' },
  'source.edit_board': { roles: ['communicatie', 'beheer'], scope: 'board' },
  // Deleting takes its posts along (a meldpunt: every report): for beheer only; others pause.
  'source.delete': { roles: ['beheer'], scope: 'school' },
  'source.delete_board': { roles: ['beheer'], scope: 'board' },
  'school.edit_query': { roles: ['communicatie', 'beheer'], scope: 'school' },
  'board.edit_exclusions': { roles: ['communicatie', 'beheer'], scope: 'board' },
  'school.edit_facts': { roles: ['communicatie', 'directie', 'beheer'], scope: 'school' },
  'board.edit_calendar': { roles: ['communicatie', 'directie', 'beheer'], scope: 'board' },
  'policy.edit': { roles: ['beheer', 'directie'], scope: 'board' },
  'correction.draft': { roles: ['communicatie', 'directie'], scope: 'school' },
  'correction.decide': { roles: ['directie'], scope: 'school' },
  'case.decide_breach': { roles: ['privacy', 'directie'], scope: 'school' },
  'mail.manage': { roles: ['beheer'], scope: 'board' },
  'retention.edit': { roles: ['beheer', 'privacy'], scope: 'board' },
  // access and erasure requests (AVG art. 15 and 17)
  'privacy.requests': { roles: ['privacy', 'beheer'], scope: 'board' },
  'audit.read': { roles: ['privacy', 'beheer'], scope: 'board' },
  'users.manage': { roles: ['beheer'], scope: 'board' },
  // adding, renaming and archiving schools, and the board's name: beheer over the whole board
  'schools.manage': { roles: ['beheer'], scope: 'board' },
  'board.rename': { roles: ['beheer'], scope: 'board' },
  // labelled data with personal data in full: for the privacy officer and beheer, over the whole board
  'mentions.export_unmasked': { roles: ['privacy', 'beheer'], scope: 'board' },
} as const satisfies Record<string, { roles: readonly Role[]; scope: Scope }>;
export type Permission = keyof typeof PERMISSIONS;

// can(viewer, 'case.decide_breach', schoolId): the one check every route and action uses. Without a
// school id (undefined) a school-scoped permission asks whether the role may do it at all (e.g. to
// show a button); an id that is empty or null is no school, and allows nothing.
export function can(viewer: Viewer, permission: Permission, schoolId?: string | null): boolean {
  const p: { roles: readonly Role[]; scope: Scope } = PERMISSIONS[permission];
  if (!p.roles.includes(viewer.role)) return false;
  if (p.scope === 'board') return viewer.allSchools;
  if (schoolId === undefined) return true;
  return !!schoolId && canSeeSchool(viewer, schoolId);
}

// A source belongs to a school, or (null) to the whole board.
export const canDeleteSource = (viewer: Viewer, schoolId: string | null) =>
  schoolId === null ? can(viewer, 'source.delete_board') : can(viewer, 'source.delete', schoolId);
export const canEditSource = (viewer: Viewer, schoolId: string | null) =>
  schoolId === null ? can(viewer, 'source.edit_board') : can(viewer, 'source.edit', schoolId);
