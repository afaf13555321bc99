import { expect, test } from 'vitest';
import { can, canEditSource, PERMISSIONS, type Viewer } from '../../server/access.ts';
import { ROLES, type Role } from '../../server/db/schema.ts';

// One permissions table: who may do what, at which school or board-wide.
const viewer = (role: Role, schoolIds: string[], allSchools = false): Viewer => ({
  id: '1',
  email: 'x@y.nl',
  name: 'X',
  role,
  boardId: 'b',
  allSchools,
  schoolIds,
});
const meander = viewer('directie', ['1']);
const board = (role: Role) => viewer(role, ['1', '2'], true);

test('a school-scoped permission needs the role and the school', () => {
  expect(can(meander, 'case.decide_breach', '1')).toBe(true);
  expect(can(meander, 'case.decide_breach', '2')).toBe(false);
  expect(can(viewer('communicatie', ['1']), 'case.decide_breach', '1')).toBe(false);
  expect(can(viewer('privacy', ['2']), 'case.decide_breach', '2')).toBe(true);
  expect(can(viewer('communicatie', ['1']), 'correction.draft', '1')).toBe(true);
  expect(can(viewer('communicatie', ['1']), 'correction.decide', '1')).toBe(false);
});

test('a board-wide permission needs the whole board', () => {
  expect(can(viewer('communicatie', ['1']), 'board.edit_exclusions')).toBe(false);
  expect(can(board('communicatie'), 'board.edit_exclusions')).toBe(true);
  expect(canEditSource(viewer('communicatie', ['1']), null)).toBe(false);
  expect(canEditSource(viewer('communicatie', ['1']), '1')).toBe(true);
  expect(canEditSource(viewer('communicatie', ['1']), '2')).toBe(false);
  // the board's policy and mail settings: only for who sees the whole board
  expect(can(meander, 'policy.edit')).toBe(false);
  expect(can(board('directie'), 'policy.edit')).toBe(true);
  expect(can(viewer('beheer', ['1']), 'policy.edit')).toBe(false);
  expect(can(board('beheer'), 'policy.edit')).toBe(true);
  expect(can(viewer('beheer', ['1']), 'mail.manage')).toBe(false);
  expect(can(board('beheer'), 'mail.manage')).toBe(true);
  // an empty school id is no school
  expect(can(viewer('communicatie', ['1']), 'source.edit', '')).toBe(false);
});

test('every permission names only known roles, and every role can do something or only reads', () => {
  for (const [name, p] of Object.entries(PERMISSIONS)) for (const r of p.roles) expect(ROLES, name).toContain(r);
  const doers = new Set(Object.values(PERMISSIONS).flatMap((p) => p.roles));
  expect([...doers].sort()).toEqual(['beheer', 'communicatie', 'directie', 'privacy']);
});
