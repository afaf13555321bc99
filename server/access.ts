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

// Sources are configured by communications staff and administrators; directors and the privacy
// officer look at their health. A board-wide source is only for someone who sees the whole board.
export const SOURCE_EDITORS: readonly Role[] = ['communicatie', 'beheer'];
export const canEditSource = (viewer: Viewer, schoolId: string | null) =>
  SOURCE_EDITORS.includes(viewer.role) && (schoolId === null ? viewer.allSchools : canSeeSchool(viewer, schoolId));
