import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loadPreset } from '../../workers/policy/presets.ts';
import type { GuidancePart } from '../../workers/policy/types.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, forumItem, caseOfPost } from '../support/seed.ts';

// Issue 15 end to end: prompts carry each sentence's basis into cases and the API; obs Meander's
// art. 8 reply is drafted, approved by the directie and posted by a person; a board version stored
// before guidance had parts is read against the current protocol file.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
const at = new Date('2026-11-20T10:00:00Z');
const post = (externalId: string, text: string) => forumItem(externalId, text, at);
const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const caseOf = (ext: string) => caseOfPost(db, ext);
const comms = await loginAs(app, 'all@edu-ley.nl');
const director = await loginAs(app, 'a@edu-ley.nl'); // directie of De Meander

test('Edu-Ley: a threat is reported to the police as the protocol says, and the case and the API keep each sentence’s basis', async () => {
  await processItems(
    db,
    source,
    [post('threat', 'Ik steek die conciërge van De Meander morgen neer als hij mijn zoon nog één keer aanraakt.')],
    { schoolIds: [meander], now: at },
  );
  const id = (await caseOf('threat'))!;
  const police = await db
    .selectFrom('case_actions')
    .select(['article', 'basis', 'guidance', 'parts'])
    .where('case_id', '=', id)
    .where('type', '=', 'report_police')
    .executeTakeFirstOrThrow();
  expect(police).toMatchObject({ article: 'Sancties en gevolgen 5', basis: 'protocol' });
  expect(police.parts[0]).toEqual({
    basis: 'protocol',
    article: 'Sancties en gevolgen 5',
    text: expect.stringContaining('Aangifte doen — het protocol schrijft dit voor'),
  });
  expect(police.parts.map((p: GuidancePart) => p.basis)).toEqual(expect.arrayContaining(['protocol', 'law', 'advice']));
  const c = await (await comms(`/api/cases/${id}`)).json();
  expect(c.policy.stance).toMatchObject({ basis: 'protocol', article: 'Profilering c' });
  expect(c.actions.find((a: { type: string }) => a.type === 'report_police').parts[0].text).toContain('Aangifte doen');
  const mention = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', 'threat')
    .executeTakeFirstOrThrow();
  const detail = await (await comms(`/api/mentions/${mention.id}`)).json();
  expect(detail.actions.find((a: { type: string }) => a.type === 'report_police').parts[1]).toMatchObject({
    basis: 'advice',
  });
});

test('obs Meander: a negative post about the school gets a reply from the school account, drafted, approved by the directie and posted by a person', async () => {
  await db.updateTable('boards').set({ policy: 'obs-meander', policy_version: null }).where('id', '=', board).execute();
  await processItems(
    db,
    source,
    [
      post('school', 'Het nieuwe rooster van De Meander is slecht geregeld en de communicatie is rommelig.'),
      post('person', 'Die juf van groep 5 op De Meander is slecht en rommelig, echt waardeloos.'),
    ],
    { schoolIds: [meander], now: at },
  );
  const id = (await caseOf('school'))!;
  const types = (await db.selectFrom('case_actions').select('type').where('case_id', '=', id).execute()).map(
    (a) => a.type,
  );
  expect(types).toContain('reply_online');
  // about a person: no reply, and the API refuses one
  const personCase = await caseOf('person');
  expect(personCase).toBeDefined();
  expect(personCase).not.toBe(id);
  expect(
    (await db.selectFrom('case_actions').select('type').where('case_id', '=', personCase!).execute()).map(
      (a) => a.type,
    ),
  ).not.toContain('reply_online');
  expect((await comms(`/api/cases/${personCase}/correction`, { method: 'POST' })).status).toBe(409);
  let c = await (await comms(`/api/cases/${id}/correction`, { method: 'POST' })).json();
  expect(c.draft).toMatchObject({ state: 'concept', text: expect.stringContaining('persoonlijk over in gesprek') });
  expect(c.draft.text).not.toMatch(/rooster|rommelig/);
  expect((await comms(`/api/cases/${id}/correction/decision`, json({ decision: 'goedkeuren' }))).status).toBe(403);
  c = await (await director(`/api/cases/${id}/correction/decision`, json({ decision: 'goedkeuren' }))).json();
  expect(c.draft.state).toBe('goedgekeurd');
  c = await (await comms(`/api/cases/${id}/correction/posted`, { method: 'POST' })).json();
  expect(c.draft).toMatchObject({ state: 'geplaatst', postedBy: 'all@edu-ley.nl' });
  expect(c.actions.find((a: { type: string }) => a.type === 'reply_online')).toMatchObject({
    status: 'gedaan',
    parts: [
      expect.objectContaining({ basis: 'protocol', article: 'Sociale media in de school 8' }),
      expect.objectContaining({ basis: 'advice' }),
    ],
  });
});

test('a board version stored before guidance had parts: the police duty as the protocol says, the old texts as the board’s own', async () => {
  const file = loadPreset('edu-ley');
  const legacy = {
    id: 'edu-ley',
    name: file.name,
    source: file.source,
    description: file.description,
    spike: {
      article: 'B.2',
      roles: ['leidinggevende'],
      dueDays: 0,
      guidance: 'Bespreek het vandaag met je leidinggevende. Reageer niet online.',
    },
    rules: file.rules
      .filter((r) => !['stalking-police', 'images-police', 'hacking-police', 'staff-post', 'recordings'].includes(r.id))
      .map((r) => ({
        id: r.id,
        title: r.title,
        article: r.article ?? 'Profilering c',
        ...(r.basis === 'law' ? { basis: 'law' } : {}),
        when: r.when,
        actions: r.actions.map((a) => ({
          type: a.type,
          roles: a.roles,
          dueDays: a.dueDays,
          guidance:
            r.id === 'threat-police'
              ? 'Aangifte overwegen: de directeur beslist vandaag, samen met wie bedreigd wordt.'
              : a.guidance.map((g) => g.text).join(' '),
        })),
      })),
  };
  await db
    .insertInto('policy_versions')
    .values({
      board_id: board,
      version: 1,
      preset_id: 'edu-ley',
      preset: JSON.stringify(legacy),
      note: 'oude versie',
      changes: JSON.stringify([]),
      created_by: null,
      created_by_name: 'cli',
    })
    .execute();
  await db.updateTable('boards').set({ policy: 'edu-ley', policy_version: 1 }).where('id', '=', board).execute();
  const s = await (await comms('/api/policy')).json();
  const police = s.current.rules.find((r: { id: string }) => r.id === 'threat-police');
  expect(police).toMatchObject({ enabled: true, locked: true, basis: 'protocol', article: 'Sancties en gevolgen 5' });
  expect(police.actions[0].guidance[0].text).toContain('Aangifte doen — het protocol schrijft dit voor');
  for (const id of ['stalking-police', 'images-police', 'hacking-police'])
    expect(s.current.rules.find((r: { id: string }) => r.id === id).enabled, id).toBe(true);
  expect(s.current.rules.find((r: { id: string }) => r.id === 'staff-post').enabled).toBe(false);
  expect(s.current.spike.guidance).toEqual([
    { basis: 'board', text: 'Bespreek het vandaag met je leidinggevende. Reageer niet online.' },
  ]);
  // new prompts follow the read version: the police prompt says what the protocol says
  await processItems(db, source, [post('threat2', 'Ik maak die directeur van De Meander af, let maar op.')], {
    schoolIds: [meander],
    now: at,
  });
  const parts = (
    await db
      .selectFrom('case_actions')
      .select('parts')
      .where('case_id', '=', (await caseOf('threat2'))!)
      .where('type', '=', 'report_police')
      .executeTakeFirstOrThrow()
  ).parts;
  expect(parts[0]!.text).toContain('Aangifte doen');
});
