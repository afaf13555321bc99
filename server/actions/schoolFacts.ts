import { can, type Viewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import type { DB } from '../db/index.ts';
import { recentMentionIdsOfSchool, setSchoolFacts } from '../db/schools.ts';
import { reclassifyMentions } from '../../workers/classifications.ts';

// A school's fact sheet: the lines a claim online is checked against, and that a correction
// quotes. Communications staff and directors keep it; changes are audited with the old text.
export const canEditFacts = (v: Viewer, schoolId: string) => can(v, 'school.edit_facts', schoolId);

// Recent mentions are checked against the new facts at once; older ones keep their labels.
const RECHECK_DAYS = 180;

export function cleanFacts(lines: string[]): string[] {
  return [...new Set(lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean))];
}

export async function saveFacts(
  db: DB,
  viewer: Viewer,
  school: { id: string; slug: string; facts: string[] },
  facts: string[],
  ip?: string,
) {
  const next = cleanFacts(facts);
  await setSchoolFacts(db, school.id, next);
  await audit(db, {
    boardId: viewer.boardId,
    userId: viewer.id,
    actor: viewer.email,
    action: 'school.facts_update',
    targetType: 'school',
    targetId: school.id,
    ip,
    details: { slug: school.slug, before: school.facts, after: next },
  });
  const rechecked = await reclassifyMentions(db, await recentMentionIdsOfSchool(db, school.id, RECHECK_DAYS));
  return { facts: next, rechecked };
}
