import { expect, test } from 'vitest';
import type { Viewer } from '../../server/access.ts';
import { listCases } from '../../server/db/caseList.ts';
import { caseRow } from '../../server/db/caseSummary.ts';
import { eduLeyFixture, openCase } from '../support/seed.ts';

// The Acties list reads each case's prompts once (withSummary): their types in the order they were made,
// how many are still open, and on one due date the case whose most serious prompt is still open first.
const { db, seed, meander } = await eduLeyFixture();
const board = seed.boards['edu-ley'];
const NOW = new Date('2026-11-20T09:00:00Z');
const DUE = new Date('2026-11-21T12:00:00Z');
const viewer: Viewer = {
  id: '0',
  email: 'lijst@edu-ley.nl',
  name: 'lijst',
  role: 'communicatie',
  boardId: board,
  allSchools: true,
  schoolIds: [meander],
};
const prompt = (caseId: string, type: string, status: 'open' | 'gedaan' | 'niet_nodig') =>
  db
    .insertInto('case_actions')
    .values({
      case_id: caseId,
      type,
      article: 'B.1',
      basis: 'protocol',
      rule: 'regel',
      roles: ['communicatie'],
      guidance: 'wat te doen',
      points: '[]',
      facts: '[]',
      due_at: DUE,
      status,
    })
    .execute();

test('on one due date the case whose most serious prompt is still open comes first; counts and types per case', async () => {
  // made in this order, all due at the same moment
  const watched = await openCase(db, board, meander, DUE); // only "monitor" open
  const police = await openCase(db, board, meander, DUE); // aangifte still open
  const done = await openCase(db, board, meander, DUE); // aangifte done: only "real_life" open
  const none = await openCase(db, board, meander, DUE); // no prompts at all
  await prompt(watched, 'monitor', 'open');
  await prompt(police, 'real_life', 'open');
  await prompt(police, 'report_police', 'open');
  await prompt(done, 'report_police', 'gedaan');
  await prompt(done, 'real_life', 'open');

  const mine = new Set([watched, police, done, none]);
  const cases = (await listCases(db, viewer, { state: 'open' }, NOW)).cases.filter((c) => mine.has(c.id));
  // report_police, then real_life, then monitor; a case without open prompts last; same date and
  // seriousness (none here) by newest id first
  expect(cases.map((c) => c.id)).toEqual([police, done, watched, none]);
  const byId = new Map(cases.map((c) => [c.id, c]));
  expect(byId.get(police)!.actionTypes).toEqual(['real_life', 'report_police']);
  expect(byId.get(police)!.openActions).toBe(2);
  expect(byId.get(police)!.topAction).toBe('report_police');
  expect(byId.get(done)!.actionTypes).toEqual(['report_police', 'real_life']);
  expect(byId.get(done)!.openActions).toBe(1);
  expect(byId.get(none)!.actionTypes).toEqual([]);
  expect(byId.get(none)!.openActions).toBe(0);
  expect(cases.every((c) => c.mentions === 0)).toBe(true);

  // one case reads the same figures (the routes' checks use them)
  const row = await caseRow(db, viewer, done);
  expect(row).toMatchObject({ types: ['report_police', 'real_life'], open_actions: 1, mention_count: 0 });
  // a prompt of another type filters the list, and the counts follow it
  const filtered = await listCases(db, viewer, { state: 'open', type: 'report_police' }, NOW);
  expect(filtered.cases.map((c) => c.id)).toEqual([police, done]);
  expect(filtered.counts.nieuw).toBe(2);
});
