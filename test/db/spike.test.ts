import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { detectSpikes, spikeThreshold } from '../../workers/cases/spike.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// "Online communicatie dreigt te ontsporen": a school's negative posts of the last day against its
// own baseline, with its calendar, and one discussion's pace, raise an escalate prompt.
const { db, seed, source } = await eduLeyFixture();
const jozef = seed.school('edu-ley', 'jozef');
const now = new Date();
const day = 86_400_000;
const iso = (days: number) => new Date(now.getTime() + days * day).toISOString().slice(0, 10);
const neg = (id: string, msAgo: number, extra: Record<string, unknown> = {}) => ({
  externalId: id,
  url: null,
  title: '',
  text: `Slecht geregeld op de Jozefschool, ik ben boos (${id}).`,
  author: null,
  publishedAt: new Date(now.getTime() - msAgo),
  ...extra,
});
// One negative post a day for four weeks: the Jozefschool's normal.
await processItems(
  db,
  source,
  Array.from({ length: 28 }, (_, i) => neg(`base${i}`, (i + 1) * day + 3_600_000)),
  { schoolIds: [jozef] },
);
const spikeCases = () =>
  db
    .selectFrom('cases')
    .select('id')
    .where('school_id', '=', jozef)
    .where(
      sql<boolean>`exists (select 1 from case_thread_keys k where k.case_id = cases.id and k.key = ${`spike:${jozef}`})`,
    )
    .execute();

test('the threshold is mean plus three standard deviations, at least three times the mean and five posts', () => {
  expect(spikeThreshold(Array(28).fill(0))).toBe(5);
  expect(spikeThreshold(Array(28).fill(1))).toBe(5);
  expect(spikeThreshold([1, 3, 1, 3])).toBe(6);
  expect(spikeThreshold(Array(28).fill(1), 2)).toBe(6);
});

test('five negative posts in a day against one a day raise one escalate prompt citing B.2, once', async () => {
  await processItems(
    db,
    source,
    Array.from({ length: 5 }, (_, i) => neg(`today${i}`, (i + 1) * 3_600_000 * 2)),
    { schoolIds: [jozef] },
  );
  // In a test week the same five posts are normal: the bar is twice as high.
  await db
    .insertInto('school_calendar')
    .values({
      school_id: jozef,
      kind: 'toetsweek',
      label: 'Cito-week',
      starts_on: new Date(now.getTime() - 2 * day).toISOString().slice(0, 10),
      ends_on: new Date(now.getTime() + 2 * day).toISOString().slice(0, 10),
    })
    .execute();
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'volume')).toEqual([]);
  await db.deleteFrom('school_calendar').execute();
  const found = (await detectSpikes(db, now)).filter((f) => f.reason === 'volume');
  expect(found).toEqual([{ schoolId: jozef, caseId: expect.any(String), reason: 'volume' }]);
  const action = await db
    .selectFrom('case_actions')
    .selectAll()
    .where('case_id', '=', found[0]!.caseId)
    .executeTakeFirstOrThrow();
  expect(action).toMatchObject({
    type: 'escalate',
    article: 'B.2',
    rule: 'spike',
    roles: ['leidinggevende', 'directie', 'communicatie'],
  });
  expect(action.guidance).toContain('dreigt te ontsporen');
  const linked = await db
    .selectFrom('case_mentions')
    .select('mention_id')
    .where('case_id', '=', found[0]!.caseId)
    .execute();
  expect(linked).toHaveLength(5);
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'volume')).toEqual([]);
  expect(await spikeCases()).toHaveLength(1);
});

test('holidays are left out of the baseline', async () => {
  await db
    .deleteFrom('cases')
    .where(
      'id',
      'in',
      (await spikeCases()).map((c) => c.id),
    )
    .execute();
  // Ten posts two days ago lift the bar above today's five…
  await processItems(
    db,
    source,
    Array.from({ length: 10 }, (_, i) => neg(`holiday${i}`, 2 * day + i * 60_000)),
    { schoolIds: [jozef] },
  );
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'volume')).toEqual([]);
  // …unless those weeks were the school's holiday: then they say nothing about a normal day.
  await db
    .insertInto('school_calendar')
    .values({
      school_id: jozef,
      kind: 'vakantie',
      label: 'Herfstvakantie',
      starts_on: new Date(now.getTime() - 40 * day).toISOString().slice(0, 10),
      ends_on: new Date(now.getTime() - day).toISOString().slice(0, 10),
    })
    .execute();
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'volume')).toHaveLength(1);
});

test("the board's holiday schedule counts for the schools of its region", async () => {
  await db
    .deleteFrom('cases')
    .where(
      'id',
      'in',
      (await spikeCases()).map((c) => c.id),
    )
    .execute();
  await db.deleteFrom('school_calendar').execute();
  const app = buildApp(db);
  const comms = await loginAs(app, 'all@edu-ley.nl');
  const put = (path: string, body: unknown, as = comms) =>
    as(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const autumn = {
    region: 'midden',
    kind: 'vakantie',
    label: 'Herfstvakantie regio midden',
    startsOn: iso(-40),
    endsOn: iso(-1),
  };
  let res = await put('/api/board/calendar', { entries: [autumn] });
  expect(res.status).toBe(200);
  expect((await res.json()).calendar).toEqual([autumn]);
  // The Jozefschool follows region noord: the midden holiday is not its holiday.
  expect((await put('/api/schools/jozef/region', { region: 'noord' })).status).toBe(200);
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'volume')).toEqual([]);
  expect((await put('/api/schools/jozef/region', { region: 'midden' })).status).toBe(200);
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'volume')).toHaveLength(1);
  const listed = await (await comms('/api/schools')).json();
  expect(listed.boardCalendar).toEqual({ entries: [autumn], canEdit: true });
  expect(listed.schools.find((x: { slug: string }) => x.slug === 'jozef').region).toBe('midden');
  expect(
    await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['board.calendar_update', 'school.region_update'])
      .execute(),
  ).toHaveLength(3);

  // Bad input and the wrong person change nothing.
  res = await put('/api/board/calendar', { entries: [{ ...autumn, region: 'oost' }] });
  expect(res.status).toBe(400);
  expect((await res.json()).error).toContain('regio: noord, midden of zuid');
  res = await put('/api/board/calendar', { entries: [{ ...autumn, startsOn: iso(0), endsOn: iso(-3) }] });
  expect((await res.json()).error).toContain('de einddatum ligt voor de begindatum');
  const director = await loginAs(app, 'a@edu-ley.nl'); // directeur of De Meander only
  expect((await put('/api/board/calendar', { entries: [] }, director)).status).toBe(403);
  const jozefComms = await loginAs(app, 'b@edu-ley.nl'); // communicatie of the Jozefschool only
  expect((await put('/api/schools/meander/region', { region: 'zuid' }, jozefComms)).status).toBe(404);
  expect((await put('/api/schools/jozef/region', { region: 'west' }, jozefComms)).status).toBe(400);
  expect(await db.selectFrom('board_calendar').select('label').execute()).toEqual([{ label: autumn.label }]);
});

test('a discussion that gathers five posts within six hours gets the escalate prompt', async () => {
  const meander = seed.school('edu-ley', 'meander');
  await processItems(
    db,
    source,
    Array.from({ length: 5 }, (_, i) => ({
      externalId: `fast${i}`,
      url: null,
      title: '',
      text: `Weer lesuitval bij De Meander, slecht (${i}).`,
      author: null,
      publishedAt: new Date(now.getTime() - i * 600_000),
      threadId: 'fast-thread',
    })),
    { schoolIds: [meander] },
  );
  const pace = (await detectSpikes(db, now)).filter((f) => f.reason === 'pace');
  expect(pace).toHaveLength(1);
  const types = await db
    .selectFrom('case_actions')
    .select('type')
    .where('case_id', '=', pace[0]!.caseId)
    .orderBy('type')
    .execute();
  expect(types.map((t) => t.type)).toEqual(['escalate', 'real_life']);
  expect((await detectSpikes(db, now)).filter((f) => f.reason === 'pace')).toEqual([]);
});
