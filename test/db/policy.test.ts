import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { exportBoard, importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import type { PolicyState } from '../../server/actions/policy.ts';
import { processItems } from '../../workers/pipeline.ts';
import type { Risk, SentimentLabel } from '../../workers/classify/types.ts';
import { decide } from '../../workers/policy/engine.ts';
import { loadPreset } from '../../workers/policy/presets.ts';
import type { Action } from '../../workers/policy/types.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// A board picks its protocol and adjusts rules and texts in the dashboard: each change is a new
// version (who, when, why, what), audited; new prompts follow it; the invariants cannot be edited away.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
await db
  .insertInto('users')
  .values({
    email: 'beheer@edu-ley.nl',
    name: 'Bea Beheer',
    board_id: board,
    role: 'beheer',
    password_hash: await hashPassword(PASSWORD),
    all_schools: true,
  })
  .execute();
const beheer = await loginAs(app, 'beheer@edu-ley.nl');
const communicatie = await loginAs(app, 'all@edu-ley.nl');
const schoolDirector = await loginAs(app, 'a@edu-ley.nl');
const json = (body: unknown, method = 'PUT') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

type Form = PolicyState['current'];
const state = async (as = beheer) => (await (await as('/api/policy')).json()) as PolicyState;
// The editor's form as the dashboard sends it.
const form = (p: Form, note: string, baseVersion = p.version) => ({
  presetId: p.presetId,
  baseVersion,
  note,
  spike: { roles: p.spike.roles, dueDays: p.spike.dueDays, guidance: p.spike.guidance.map((g) => ({ ...g })) },
  rules: p.rules.map((r) => ({
    id: r.id,
    enabled: r.enabled,
    actions: r.actions.map((a) => ({
      ...a,
      guidance: a.guidance.map((g) => ({ ...g })) as { text: string; basis?: string; article?: string }[],
    })),
  })),
});
// One part of the board's own text.
const own = (text: string) => [{ text }];
const rule = (f: ReturnType<typeof form>, id: string) => f.rules.find((r) => r.id === id)!;
const put = async (body: unknown, as = beheer) => {
  const res = await as('/api/policy', json(body));
  return { status: res.status, body: (await res.json()) as PolicyState & { error?: string; problems?: string[] } };
};

const NEW_TEXT =
  'Bel de ouder of leerling binnen twee dagen en nodig hem of haar uit voor een gesprek met de mentor op school.';

test('everyone reads the rules their prompts come from; only beheer or a board-wide directeur changes them', async () => {
  const s = await state(communicatie);
  expect(s.current).toMatchObject({ presetId: 'edu-ley', version: null, name: 'Edu-Ley' });
  expect(s.canEdit).toBe(false);
  expect(s.presets.map((p) => p.id)).toEqual([
    'edu-ley',
    'model-protocol',
    'obs-meander',
    'scala-coenecoop',
    'st-jozef-pontonnier',
  ]);
  expect(s.current.rules.find((r) => r.id === 'meldcode')).toMatchObject({
    enabled: true,
    locked: true,
    title: 'Signalen van huiselijk geweld of kindermishandeling',
  });
  expect(s.versions).toEqual([]);
  const f = form(s.current, 'Andere tekst');
  rule(f, 'shaming').actions[1]!.guidance = own(NEW_TEXT);
  expect((await put(f, communicatie)).status).toBe(403);
  expect((await put(f, schoolDirector)).status).toBe(403);
  expect((await state(beheer)).canEdit).toBe(true);
});

test('a change is a new version with who, why and what, in the audit log; new prompts follow it', async () => {
  const f = form((await state()).current, 'Mentoren bellen eerst, besloten in het MT van 20 november');
  const shaming = rule(f, 'shaming');
  expect(shaming.actions.map((a) => a.type)).toEqual(['escalate', 'real_life']);
  shaming.actions[1]!.guidance = own(NEW_TEXT);
  shaming.actions[1]!.dueDays = 3;
  rule(f, 'befriending').enabled = false;
  f.spike.dueDays = 1;
  const { status, body } = await put(f);
  expect(status).toBe(200);
  expect(body.current.version).toBe(1);
  expect(body.versions[0]).toMatchObject({ version: 1, presetId: 'edu-ley', note: f.note, by: 'Bea Beheer' });
  expect(body.versions[0]!.changes).toEqual([
    'Ontsporen: termijn 0 → 1 dag',
    '"Kwetsen, pesten of zwartmaken", "In real life in gesprek": termijn 2 → 3 dagen',
    '"Kwetsen, pesten of zwartmaken", "In real life in gesprek": tekst aangepast',
    '"Medewerker bevriend met leerlingen": uitgezet',
  ]);
  expect(body.current.rules.find((r) => r.id === 'befriending')!.enabled).toBe(false);
  const logged = await db
    .selectFrom('audit_log')
    .select(['actor', 'details'])
    .where('action', '=', 'policy.update')
    .executeTakeFirstOrThrow();
  expect(logged.actor).toBe('beheer@edu-ley.nl');
  expect(logged.details).toMatchObject({ version: 1, note: f.note });

  await processItems(
    db,
    source,
    [
      {
        externalId: 'sham',
        url: 'https://forum.example.nl/sham',
        title: '',
        text: 'Die juf van De Meander is een vieze heks en een loser, iedereen lacht haar uit.',
        author: null,
        publishedAt: new Date(),
      },
      {
        externalId: 'friend',
        url: 'https://forum.example.nl/friend',
        title: '',
        text: 'Bij De Meander is de juf op Instagram bevriend met leerlingen uit haar klas.',
        author: null,
        publishedAt: new Date(),
      },
    ],
    { schoolIds: [meander] },
  );
  const acts = await db
    .selectFrom('case_actions as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .innerJoin('case_mentions as cm', 'cm.case_id', 'c.id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select(['m.external_id', 'a.type', 'a.rule', 'a.guidance', 'c.policy_version'])
    .execute();
  const realLife = acts.find((a) => a.external_id === 'sham' && a.type === 'real_life');
  expect(realLife).toMatchObject({ guidance: NEW_TEXT, policy_version: 1 });
  // the shipped preset would escalate the befriending post; the board's version, with the rule off, does not
  const friend = await db
    .selectFrom('classifications as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select(['c.sentiment', 'c.risks', 'c.actions', 'm.body'])
    .where('m.external_id', '=', 'friend')
    .executeTakeFirstOrThrow();
  const shipped = decide(loadPreset('edu-ley'), {
    labels: { sentiment: { label: friend.sentiment as SentimentLabel, score: 0 }, risks: friend.risks as Risk[] },
    text: friend.body,
  });
  expect(shipped.map((a) => a.rule)).toContain('befriending');
  expect((friend.actions as Action[]).map((a) => a.rule)).not.toContain('befriending');
  expect(acts.filter((a) => a.rule === 'befriending')).toEqual([]);
  const mention = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', 'sham')
    .executeTakeFirstOrThrow();
  const detail = await (await communicatie(`/api/mentions/${mention.id}`)).json();
  expect(detail.policy.name).toBe('Edu-Ley, versie 1');
});

test('the invariants cannot be edited away, and each problem names its rule', async () => {
  const current = (await state()).current;
  const online = form(current, 'Toch online reageren');
  rule(online, 'negative').actions.push({
    type: 'correct_online',
    roles: ['communicatie'],
    dueDays: 1,
    guidance: own('Reageer online op de negatieve discussie en leg uit hoe het zit.'),
  });
  let r = await put(online);
  expect(r.status).toBe(422);
  expect(r.body.error).toContain(
    'Regel "Negatieve discussie", "Feitelijke correctie online": een online correctie mag alleen bij een onjuistheid',
  );

  const share = form(current, 'Delen');
  rule(share, 'shaming').actions.push({
    type: 'amplify',
    roles: ['communicatie'],
    dueDays: 1,
    guidance: own('Deel dit bericht via de kanalen van de school.'),
  });
  expect((await put(share)).body.error).toContain(
    'delen of bedanken via de eigen kanalen past alleen bij positief nieuws',
  );

  const law = form(current, 'Meldcode eruit');
  rule(law, 'meldcode').enabled = false;
  rule(law, 'threat-police').enabled = false;
  rule(law, 'shaming').actions[0]!.guidance = own('kort');
  r = await put(law);
  expect(r.status).toBe(422);
  expect(r.body.problems).toEqual([
    'Regel "Mogelijk strafbaar (bedreiging): aangifte doen": dit schrijft het protocol voor en blijft aan',
    'Regel "Signalen van huiselijk geweld of kindermishandeling": dit volgt uit de wet en blijft aan',
    'Regel "Kwetsen, pesten of zwartmaken", "Opschalen": de tekst voor medewerkers is te kort (minstens 20 tekens)',
  ]);
  const lawAction = form(current, 'Meldcode anders');
  rule(lawAction, 'meldcode').actions = [
    {
      type: 'escalate',
      roles: ['directie'],
      dueDays: 1,
      guidance: own('Bespreek dit met de directeur en beslis samen wat te doen.'),
    },
  ];
  expect((await put(lawAction)).body.problems).toEqual([
    'Regel "Signalen van huiselijk geweld of kindermishandeling": volgt uit de wet: "Meldcode volgen" blijft erin',
  ]);

  const noRoles = form(current, 'Geen rol');
  rule(noRoles, 'photos').actions[0]!.roles = [];
  rule(noRoles, 'photos').actions[0]!.dueDays = 99;
  expect((await put(noRoles)).body.problems).toEqual([
    'Regel "Foto’s, film en geluid van de school", "Toestemming voor beelden nagaan": kies minstens één rol',
    'Regel "Foto’s, film en geluid van de school", "Toestemming voor beelden nagaan": termijn: een heel aantal dagen van 0 tot 60',
  ]);
  const missing = form(current, 'Minder regels');
  missing.rules.pop();
  expect((await put(missing)).body.error).toBe('De regels passen niet bij Edu-Ley; laad de pagina opnieuw');
  expect((await state()).current.version).toBe(1);
});

test('bad input gets a clear message and changes nothing', async () => {
  const current = (await state()).current;
  let res = await beheer('/api/policy', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"presetId": ',
  });
  expect(res.status).toBe(400);
  expect((await res.json()).error).toBe('De body is geen geldige JSON');
  res = await beheer('/api/policy', json({ ...form(current, 'x'), presetId: 'webcare' }));
  expect(res.status).toBe(400);
  expect((await res.json()).error).toContain('note: schrijf in een zin waarom het beleid verandert');
  expect((await put(form(current, 'Niets veranderd'))).body.error).toBe(
    'Er is niets gewijzigd ten opzichte van het huidige beleid.',
  );
  // someone else saved in between: the editor started from the shipped preset, not version 1
  const stale = form(current, 'Oude pagina', null);
  rule(stale, 'photos').actions[0]!.dueDays = 5;
  const r = await put(stale);
  expect(r.status).toBe(409);
  expect(r.body.error).toContain('Iemand anders heeft het beleid intussen gewijzigd (nu versie 1)');
  expect((await beheer('/api/policy/presets/webcare')).status).toBe(404);
});

test('switching protocol and going back to an earlier version are versions too', async () => {
  const shipped = (await (await beheer('/api/policy/presets/obs-meander')).json()) as Form;
  expect(shipped).toMatchObject({ presetId: 'obs-meander', version: null, name: 'obs Meander' });
  let r = await put(form(shipped, 'Het bestuur kiest het protocol van De Meander', 1));
  expect(r.status).toBe(200);
  expect(r.body.versions[0]).toMatchObject({
    version: 2,
    presetId: 'obs-meander',
    changes: ['Ander protocol: Edu-Ley → obs Meander'],
  });
  expect(
    await db
      .selectFrom('boards')
      .select(['policy', 'policy_version'])
      .where('id', '=', board)
      .executeTakeFirstOrThrow(),
  ).toEqual({ policy: 'obs-meander', policy_version: 2 });

  const res = await beheer('/api/policy/versions/1/restore', { method: 'POST' });
  expect(res.status).toBe(200);
  const back = (await res.json()) as PolicyState;
  expect(back.current).toMatchObject({ presetId: 'edu-ley', version: 3 });
  expect(back.current.rules.find((x) => x.id === 'shaming')!.actions[1]!.guidance).toEqual([
    { basis: 'board', text: NEW_TEXT },
  ]);
  expect(back.versions.map((v) => [v.version, v.note])).toEqual([
    [3, 'Terug naar versie 1'],
    [2, 'Het bestuur kiest het protocol van De Meander'],
    [1, 'Mentoren bellen eerst, besloten in het MT van 20 november'],
  ]);
  expect((await beheer('/api/policy/versions/9/restore', { method: 'POST' })).status).toBe(404);
  expect((await communicatie('/api/policy/versions/1/restore', { method: 'POST' })).status).toBe(403);
  r = await put(form(back.current, 'Nog een keer'));
  expect(r.body.error).toBe('Er is niets gewijzigd ten opzichte van het huidige beleid.');
});

test('a board file with the same preset keeps the adjusted rules; another preset is a new version', async () => {
  const file = parseBoardFile(await exportBoard(db, 'edu-ley'));
  await importBoard(db, file, 'cli');
  expect((await state()).current.version).toBe(3);
  await importBoard(db, { ...file, board: { ...file.board, policy: 'model-protocol' } }, 'cli');
  const s = await state();
  expect(s.current).toMatchObject({ presetId: 'model-protocol', version: 4 });
  expect(s.versions[0]).toMatchObject({
    note: 'Ander protocol gekozen in het bestuursbestand',
    by: 'cli',
    changes: ['Ander protocol: Edu-Ley → Modelprotocol sociale media'],
  });
});
