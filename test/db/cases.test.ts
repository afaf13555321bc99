import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { sql } from 'kysely';
import { caseListQueries } from '../../server/db/caseList.ts';
import { inTransaction } from '../../server/db/index.ts';
import { backfillCases } from '../../workers/cases/backfill.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD, caseOfPost } from '../support/seed.ts';

// Discussions become cases: related posts share one case and one prompt, the case is worked from
// nieuw to a recorded outcome, and everything that happens is in its history and the audit log.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const jozef = seed.school('edu-ley', 'jozef');
await db
  .insertInto('users')
  .values({
    email: 'fg@edu-ley.nl',
    board_id: seed.boards['edu-ley'],
    role: 'privacy',
    password_hash: await hashPassword(PASSWORD),
    all_schools: true,
  })
  .execute();
const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const post = (externalId: string, text: string, h = 1, extra: Record<string, unknown> = {}) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: hoursAgo(h),
  ...extra,
});
const caseOf = (ext: string) => caseOfPost(db, ext);
const actionTypes = async (caseId: string) =>
  (await db.selectFrom('case_actions').select('type').where('case_id', '=', caseId).orderBy('type').execute()).map(
    (a) => a.type,
  );

await processItems(
  db,
  source,
  [
    post(
      'fee1',
      'Schijnbaar is de ouderbijdrage op de Jozefschool nu 150 euro en mag je kind niet mee op kamp als je niet betaalt. Schandalig.',
      5,
    ),
    post(
      'fee2',
      'Is de ouderbijdrage op de Jozefschool nou verplicht? Vorig jaar kregen we een boze brief. Slecht geregeld, echt niet normaal.',
      3,
    ),
    post('lunch', 'Het overblijven op de Jozefschool is een puinhoop. Te weinig begeleiding, slecht.', 2),
    post('old', 'Slechte sfeer op de Jozefschool, ik ben teleurgesteld.', 24 * 30),
  ],
  { schoolIds: [jozef] },
);
await processItems(
  db,
  source,
  [
    post('root', 'Weer lesuitval bij De Meander, slecht geregeld en ik ben het zat.', 4, { threadId: 'thread-9' }),
    post('reply', 'Bij ons ook, het is echt een drama en niemand zegt iets.', 3, {
      threadId: 'thread-9',
      replyTo: 'root',
    }),
  ],
  { schoolIds: [meander] },
);

test('posts on the same topic at one school share a case; another topic gets its own', async () => {
  const fee = await caseOf('fee1');
  expect(fee).toBeDefined();
  expect(await caseOf('fee2')).toBe(fee);
  const lunch = await caseOf('lunch');
  expect(lunch).toBeDefined();
  expect(lunch).not.toBe(fee);
  expect(await actionTypes(lunch!)).toEqual(['real_life']);
});

test('a reply joins the case of its thread even without shared words', async () => {
  expect(await caseOf('reply')).toBe(await caseOf('root'));
});

test('a post older than two weeks opens no case, and a neutral post none at all', async () => {
  expect(await caseOf('old')).toBeUndefined();
  await processItems(db, source, [post('neutral', 'Hoe laat begint de kerstviering op de Jozefschool?', 1)], {
    schoolIds: [jozef],
  });
  expect(await caseOf('neutral')).toBeUndefined();
});

test('good news is bundled per school per week, whatever it is about', async () => {
  await processItems(
    db,
    source,
    [
      post('good1', 'Wat een geweldige kerstmarkt op de Jozefschool, dank aan alle ouders!', 3),
      post('good2', 'Fantastisch: het voetbalteam van de Jozefschool heeft het toernooi gewonnen!', 2),
    ],
    { schoolIds: [jozef] },
  );
  const good = await caseOf('good1');
  expect(good).toBeDefined();
  expect(await caseOf('good2')).toBe(good);
  expect(await actionTypes(good!)).toEqual(['amplify']);
  const row = await db
    .selectFrom('cases')
    .select(['kind', 'severity'])
    .where('id', '=', good!)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ kind: 'good_news', severity: 'low' });
});

test('two workers storing posts of one discussion at once still make one case', async () => {
  await Promise.all([
    processItems(
      db,
      source,
      [post('bus1', 'De schoolbus van de Jozefschool was weer te laat, schoolbus chaos, slecht.', 1)],
      { schoolIds: [jozef] },
    ),
    processItems(db, source, [post('bus2', 'Die schoolbus naar de Jozefschool is elke dag te laat. Slecht!', 1)], {
      schoolIds: [jozef],
    }),
  ]);
  expect(await caseOf('bus1')).toBe(await caseOf('bus2'));
});

test('the Acties board lists open cases of the viewer’s schools only, by due date, with filters', async () => {
  const all = await loginAs(app, 'all@edu-ley.nl');
  const list = await (await all('/api/cases')).json();
  expect(list.cases.length).toBeGreaterThanOrEqual(4);
  expect(list.cases.map((c: { dueAt: string }) => c.dueAt)).toEqual(
    [...list.cases.map((c: { dueAt: string }) => c.dueAt)].sort(),
  );
  expect(list.counts.nieuw).toBe(list.cases.length);
  const onlyJozef = await (await all('/api/cases?school=jozef&type=correct_online')).json();
  expect(onlyJozef.cases.map((c: { id: string }) => c.id)).toEqual([await caseOf('fee1')]);
  expect(onlyJozef.cases[0]).toMatchObject({
    school: { slug: 'jozef' },
    topAction: 'correct_online',
    mentions: 2,
    state: 'nieuw',
  });
  const b = await loginAs(app, 'a@edu-ley.nl'); // directie of De Meander only
  const hers = await (await b('/api/cases')).json();
  expect(hers.cases.every((c: { school: { slug: string } }) => c.school.slug === 'meander')).toBe(true);
  expect((await b(`/api/cases/${await caseOf('fee1')}`)).status).toBe(404);
  expect((await all('/api/cases?type=shout')).status).toBe(400);
});

test('a case is taken, worked and closed with an outcome; each step is in its history and the audit log', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const id = await caseOf('lunch');
  const me = (await db.selectFrom('users').select('id').where('email', '=', 'all@edu-ley.nl').executeTakeFirstOrThrow())
    .id;
  let c = await (await req(`/api/cases/${id}`, json({ assigneeId: me, state: 'in_behandeling' }, 'PATCH'))).json();
  expect(c).toMatchObject({ state: 'in_behandeling', assignee: { id: me } });
  expect(c.actions[0]).toMatchObject({ type: 'real_life', article: 'Profilering c', status: 'open' });
  expect(c.items.map((m: { text: string }) => m.text)).toEqual([expect.stringContaining('overblijven')]);
  expect((await req(`/api/cases/${id}`, json({ state: 'afgerond' }, 'PATCH'))).status).toBe(400);
  const noKind = await req(`/api/cases/${id}`, json({ state: 'afgerond', outcome: 'Gesproken' }, 'PATCH'));
  expect(noKind.status).toBe(400);
  expect((await noKind.json()).error).toMatch(/Kies wat er is gedaan/);
  await req(`/api/cases/${id}/notes`, json({ text: 'Overblijfcoördinator gebeld, gesprek staat donderdag.' }));
  await req(`/api/cases/${id}/actions/real_life`, json({ status: 'gedaan' }, 'PUT'));
  await req(`/api/cases/${id}/points`, json({ kind: 'verbeter', text: 'Meer begeleiding bij het overblijven' }));
  c = await (
    await req(
      `/api/cases/${id}`,
      json(
        {
          state: 'afgerond',
          outcomeKind: 'verbeterpunt_opgepakt',
          outcome: 'Met de overblijfouders gesproken; vanaf maandag een extra begeleider.',
        },
        'PATCH',
      ),
    )
  ).json();
  expect(c).toMatchObject({ state: 'afgerond', outcomeKind: 'verbeterpunt_opgepakt', overdue: false });
  expect(c.closedAt).not.toBeNull();
  expect(c.actions[0]).toMatchObject({ status: 'gedaan', doneBy: 'all@edu-ley.nl' });
  expect(c.events.map((e: { kind: string }) => e.kind)).toEqual([
    'created',
    'state',
    'assigned',
    'note',
    'action',
    'point',
    'state',
  ]);
  const audited = await db
    .selectFrom('audit_log')
    .select('action')
    .where('target_type', '=', 'case')
    .where('target_id', '=', id!)
    .orderBy('id')
    .execute();
  expect(audited.map((a) => a.action)).toEqual([
    'case.create',
    'case.state',
    'case.assigned',
    'case.note',
    'case.action',
    'case.point',
    'case.state',
  ]);
  const points = await (await req('/api/schools/jozef/points')).json();
  expect(points.points).toEqual([
    expect.objectContaining({ kind: 'verbeter', text: 'Meer begeleiding bij het overblijven', caseId: id }),
  ]);
  const closed = await (await req('/api/cases?state=closed')).json();
  expect(closed.cases.map((x: { id: string }) => x.id)).toContain(id);
});

test('a case past its due date shows as overdue and can be listed on its own', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const id = await caseOf('root');
  await req(`/api/cases/${id}`, json({ dueAt: hoursAgo(2).toISOString() }, 'PATCH'));
  const late = await (await req('/api/cases?overdue=1')).json();
  expect(late.cases.map((c: { id: string }) => c.id)).toEqual([id]);
  expect(late.cases[0].overdue).toBe(true);
  expect(late.counts.overdue).toBe(1);
  // "Alle" with only the late ones: the same one case
  const allLate = await (await req('/api/cases?state=all&overdue=1')).json();
  expect(allLate.cases.map((c: { id: string }) => c.id)).toEqual([id]);
  expect(allLate.counts.overdue).toBe(1);
  expect((await req(`/api/cases/${id}`, json({ dueAt: 'volgende week' }, 'PATCH'))).status).toBe(400);
  expect((await req(`/api/cases/${id}`, json({ assigneeId: '999999' }, 'PATCH'))).status).toBe(400);
});

test('a due date picked as a day means 17:00 Dutch time, in summer as in winter', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const id = await caseOf('lunch');
  const due = async (day: string) => {
    await req(`/api/cases/${id}`, json({ dueAt: day }, 'PATCH'));
    return (
      await db.selectFrom('cases').select('due_at').where('id', '=', id!).executeTakeFirstOrThrow()
    ).due_at.toISOString();
  };
  expect(await due('2027-07-01')).toBe('2027-07-01T15:00:00.000Z');
  expect(await due('2027-01-15')).toBe('2027-01-15T16:00:00.000Z');
});

test('the Edu-Ley invariant in the API: no correction without an inaccuracy; a correction waits for the directie', async () => {
  const comms = await loginAs(app, 'all@edu-ley.nl');
  const refused = await comms(`/api/cases/${await caseOf('root')}/correction`, { method: 'POST' });
  expect(refused.status).toBe(409);
  expect((await refused.json()).error).toMatch(/niet online/);
  // The directie of De Meander sees only De Meander; the fee rumour is at the Jozefschool.
  await db
    .updateTable('schools')
    .set({ facts: ['De vrijwillige ouderbijdrage is € 45 per jaar. Zie https://jozefschool.example.nl/ouderbijdrage'] })
    .where('id', '=', jozef)
    .execute();
  await processItems(
    db,
    source,
    [post('fee3', 'Ik hoorde dat de ouderbijdrage van de Jozefschool 150 euro is. Klopt dat?', 1)],
    { schoolIds: [jozef] },
  );
  const id = await caseOf('fee3');
  expect(id).toBe(await caseOf('fee1'));
  let c = await (await comms(`/api/cases/${id}/correction`, { method: 'POST' })).json();
  expect(c.draft.state).toBe('concept');
  expect(c.draft.text).toContain('De vrijwillige ouderbijdrage is € 45 per jaar.');
  expect(c.draft.text).toContain('Meer informatie: https://jozefschool.example.nl/ouderbijdrage');
  expect(c.draft.link).toMatch(/^https:\/\/forum\.example\.nl\//);
  expect((await comms(`/api/cases/${id}/correction/posted`, { method: 'POST' })).status).toBe(409);
  expect((await comms(`/api/cases/${id}/correction/decision`, json({ decision: 'goedkeuren' }))).status).toBe(403);
  await db
    .insertInto('user_schools')
    .values({
      user_id: (await db.selectFrom('users').select('id').where('email', '=', 'a@edu-ley.nl').executeTakeFirstOrThrow())
        .id,
      school_id: jozef,
    })
    .execute();
  const director = await loginAs(app, 'a@edu-ley.nl');
  expect((await director(`/api/cases/${id}/correction/decision`, json({ decision: 'afwijzen' }))).status).toBe(400);
  c = await (
    await director(
      `/api/cases/${id}/correction/decision`,
      json({
        decision: 'goedkeuren',
        text: 'Goedendag, de vrijwillige ouderbijdrage is € 45 per jaar en ieder kind gaat mee op kamp.',
      }),
    )
  ).json();
  expect(c.draft).toMatchObject({
    state: 'goedgekeurd',
    decidedBy: 'a@edu-ley.nl',
    text: expect.stringContaining('ieder kind gaat mee'),
  });
  // An edit after approval goes back to the directie.
  c = await (
    await comms(
      `/api/cases/${id}/correction`,
      json({ text: 'Goedendag, de ouderbijdrage is vrijwillig: € 45 per jaar.' }, 'PUT'),
    )
  ).json();
  expect(c.draft.state).toBe('concept');
  await director(`/api/cases/${id}/correction/decision`, json({ decision: 'goedkeuren' }));
  c = await (await comms(`/api/cases/${id}/correction/posted`, { method: 'POST' })).json();
  expect(c.draft).toMatchObject({ state: 'geplaatst', postedBy: 'all@edu-ley.nl' });
  expect(c.actions.find((a: { type: string }) => a.type === 'correct_online').status).toBe('gedaan');
  expect(c.actions.find((a: { type: string }) => a.type === 'real_life').status).toBe('open');
  expect(c.events.map((e: { kind: string }) => e.kind)).toEqual(
    expect.arrayContaining(['correction_drafted', 'correction_approved', 'correction_edited', 'correction_posted']),
  );
});

test('prompts name the school’s people by role; contacts are validated and audited', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const bad = await req(
    '/api/schools/jozef/contacts',
    json({ contacts: [{ role: 'teamleider', name: 'Marieke Jansen', email: 'geen-adres', phone: null }] }, 'PUT'),
  );
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/e-mailadres/);
  const ok = await req(
    '/api/schools/jozef/contacts',
    json(
      {
        contacts: [
          { role: 'teamleider', name: 'Marieke Jansen', email: 'm.jansen@jozef.example.nl', phone: '033-1234567' },
          { role: 'directie', name: 'Peter de Boer', email: '', phone: null },
        ],
      },
      'PUT',
    ),
  );
  expect(ok.status).toBe(200);
  const c = await (await req(`/api/cases/${await caseOf('fee1')}`)).json();
  const talk = c.actions.find((a: { type: string }) => a.type === 'real_life');
  expect(talk.roles).toEqual(['directie', 'teamleider']);
  expect(talk.people.map((p: { name: string }) => p.name)).toEqual(['Peter de Boer', 'Marieke Jansen']);
  expect(
    await db.selectFrom('audit_log').select('action').where('action', '=', 'school.contacts_update').execute(),
  ).toHaveLength(1);
  const viewer = await loginAs(app, 'fg@edu-ley.nl');
  expect((await viewer('/api/schools/jozef/contacts', json({ contacts: [] }, 'PUT'))).status).toBe(403);
});

test('leaked personal data starts a 72-hour clock that only the privacy officer or directie settles', async () => {
  await processItems(
    db,
    source,
    [post('leak', 'Die vader bij de Jozefschool is Rob Mulder, Berkenlaan 14. Bel hem op 06-41236587.', 1)],
    { schoolIds: [jozef] },
  );
  const id = await caseOf('leak');
  const comms = await loginAs(app, 'all@edu-ley.nl');
  let c = await (await comms(`/api/cases/${id}`)).json();
  expect(c.breach.status).toBeNull();
  expect(Date.parse(c.breach.deadline) - Date.parse(c.createdAt)).toBe(72 * 3_600_000);
  expect(c.headline).toMatch(/^Die vader bij de Jozefschool is /);
  expect(c.headline).not.toContain('06-41236587');
  expect((await comms(`/api/cases/${id}/breach`, json({ status: 'mogelijk' }, 'PUT'))).status).toBe(403);
  const fg = await loginAs(app, 'fg@edu-ley.nl');
  c = await (await fg(`/api/cases/${id}/breach`, json({ status: 'gemeld' }, 'PUT'))).json();
  expect(c.breach.status).toBe('gemeld');
  expect((await fg(`/api/cases/${await caseOf('lunch')}/breach`, json({ status: 'mogelijk' }, 'PUT'))).status).toBe(
    409,
  );
});

test('the dossier record is a printable page, escaped and masked, and its export is audited', async () => {
  await processItems(
    db,
    source,
    [post('xss', '<script>alert(1)</script> Die juf van de Jozefschool is een heks, bel 06-12345678', 1)],
    { schoolIds: [jozef] },
  );
  const id = await caseOf('xss');
  const req = await loginAs(app, 'all@edu-ley.nl');
  await req(`/api/cases/${id}/notes`, json({ text: 'Met de mentor besproken <b>vandaag</b>.' }));
  const res = await req(`/api/cases/${id}/dossier`);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain(`Dossier: zaak ${id}`);
  expect(html).not.toContain('<script>alert(1)');
  expect(html).toContain('&#60;script&#62;');
  expect(html).not.toContain('06-12345678');
  expect(html).toContain('Notitie: Met de mentor besproken &#60;b&#62;vandaag&#60;/b&#62;.');
  expect(html).toContain('<td>A.8</td>');
  expect(html).toContain('anti-pestcoördinator');
  expect(
    await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'case.dossier_export')
      .where('target_id', '=', id!)
      .execute(),
  ).toHaveLength(1);
});

test('a correction that reveals a threat opens a case, and reopens a closed one', async () => {
  await processItems(db, source, [post('calm', 'Er stond vandaag een auto voor de Jozefschool.', 1)], {
    schoolIds: [jozef],
  });
  const mention = await seed.mention('calm');
  expect(await caseOf('calm')).toBeUndefined();
  const req = await loginAs(app, 'all@edu-ley.nl');
  await req(`/api/mentions/${mention}/labels`, json({ field: 'threat', value: 'present' }, 'PUT'));
  const id = await caseOf('calm');
  expect(await actionTypes(id!)).toEqual(['escalate', 'real_life', 'report_police']);
  const detail = await (await req(`/api/mentions/${mention}`)).json();
  expect(detail.cases).toEqual([{ id, state: 'nieuw', school: 'St. Jozefschool' }]);
  await req(`/api/cases/${id}`, json({ state: 'geen_actie', outcome: 'Geen dreiging, navraag gedaan.' }, 'PATCH'));
  await req(`/api/mentions/${mention}/labels`, json({ field: 'personal_data', value: 'present' }, 'PUT'));
  const c = await (await req(`/api/cases/${id}`)).json();
  expect(c.state).toBe('in_behandeling');
  expect(c.events.map((e: { kind: string }) => e.kind).at(-1)).toBe('reopened');
});

test('idle workers file what the queue holds — mentions labelled or linked anew — once, and read nothing else', async () => {
  const queued = async () => (await db.selectFrom('filing_queue').select('mention_id').execute()).length;
  // What the pipeline stored it filed itself: an idle pass only empties the queue.
  for (let i = 0; i < 50 && (await queued()) > 0; i++) expect(await backfillCases(db)).toBe(0);
  expect(await queued()).toBe(0);
  const id = await caseOf('lunch');
  await db.deleteFrom('cases').where('id', '=', id!).execute();
  expect(await caseOf('lunch')).toBeUndefined();
  // Nothing about the post changed, so nothing is scanned for it.
  expect(await backfillCases(db)).toBe(0);
  // Its labels are stored again (a re-classification): it is queued and filed, once.
  const mention = await seed.mention('lunch');
  await db.updateTable('classifications').set({ language: 'nl' }).where('mention_id', '=', mention).execute();
  expect(await queued()).toBe(1);
  expect(await backfillCases(db)).toBe(1);
  expect(await caseOf('lunch')).toBeDefined();
  expect(await queued()).toBe(0);
  expect(await backfillCases(db)).toBe(0);
});

test('stored prompts keep their guidance once, in its parts; a case filed from them has the whole text, also from labels stored before parts', async () => {
  const mention = await seed.mention('lunch');
  const stored = async () =>
    (
      await db
        .selectFrom('classifications')
        .select('actions')
        .where('mention_id', '=', mention)
        .executeTakeFirstOrThrow()
    ).actions as { type: string; guidance?: string; parts?: { text: string }[] }[];
  const prompts = (await stored()).filter((a) => a.type !== 'monitor');
  expect(prompts.length).toBeGreaterThan(0);
  for (const a of prompts) {
    expect(a).not.toHaveProperty('guidance');
    expect(a.parts!.length).toBeGreaterThan(0);
  }
  const filed = async () => {
    await db
      .deleteFrom('cases')
      .where('id', '=', (await caseOf('lunch'))!)
      .execute();
    await db.updateTable('classifications').set({ language: 'nl' }).where('mention_id', '=', mention).execute();
    expect(await backfillCases(db)).toBe(1);
    return db
      .selectFrom('case_actions')
      .select(['type', 'guidance'])
      .where('case_id', '=', (await caseOf('lunch'))!)
      .orderBy('type')
      .execute();
  };
  const texts = Object.fromEntries(prompts.map((a) => [a.type, a.parts!.map((p) => p.text).join(' ')]));
  for (const a of await filed()) expect(a.guidance).toBe(texts[a.type]);
  // Labels stored before guidance had parts: one string, no parts.
  const old = prompts.map(({ parts, ...a }) => ({ ...a, guidance: `Oude tekst voor ${a.type}.` }));
  await db
    .updateTable('classifications')
    .set({ actions: JSON.stringify(old) })
    .where('mention_id', '=', mention)
    .execute();
  for (const a of await filed()) expect(a.guidance).toBe(`Oude tekst voor ${a.type}.`);
});

test('a label correction closes the prompts the corrected labels no longer ask for, unless another post still does', async () => {
  await processItems(
    db,
    source,
    [
      post('lone', 'Alweer slecht geregeld bij de Jozefschool: het schoolplein ligt vol zwerfvuil, belachelijk.', 1),
      post('pair1', 'Slecht geregeld bij de Jozefschool, de gymlessen vallen steeds uit. Waardeloos.', 2),
      post('pair2', 'Weer vallen de gymlessen uit op de Jozefschool, echt slecht geregeld en waardeloos.', 1),
    ],
    { schoolIds: [jozef] },
  );
  const req = await loginAs(app, 'all@edu-ley.nl');
  const status = async (caseId: string, type: string) =>
    (
      await db
        .selectFrom('case_actions')
        .select(['status', 'done_by'])
        .where('case_id', '=', caseId)
        .where('type', '=', type)
        .executeTakeFirstOrThrow()
    ).status;
  const lone = await caseOf('lone');
  expect(await status(lone!, 'real_life')).toBe('open');
  await req(
    `/api/mentions/${await seed.mention('lone')}/labels`,
    json({ field: 'sentiment', value: 'positive' }, 'PUT'),
  );
  expect(await status(lone!, 'real_life')).toBe('niet_nodig');
  const c = await (await req(`/api/cases/${lone}`)).json();
  expect(c.events.at(-1)).toMatchObject({
    kind: 'action',
    details: { type: 'real_life', status: 'niet_nodig', reason: 'label_correction' },
  });
  // two posts in one discussion: correcting one leaves the conversation the other asks for
  const pair = await caseOf('pair1');
  expect(await caseOf('pair2')).toBe(pair);
  await req(
    `/api/mentions/${await seed.mention('pair1')}/labels`,
    json({ field: 'sentiment', value: 'neutral' }, 'PUT'),
  );
  expect(await status(pair!, 'real_life')).toBe('open');
});

test('a post about two schools gets at most one online correction; its cases point to each other', async () => {
  await db
    .updateTable('schools')
    .set({ facts: ['De Meander blijft open; er zijn geen plannen voor sluiting.'] })
    .where('id', '=', meander)
    .execute();
  await db
    .updateTable('schools')
    .set({ facts: ['De Jozefschool blijft open; er zijn geen plannen voor sluiting.'] })
    .where('id', '=', jozef)
    .execute();
  await processItems(
    db,
    source,
    [post('both', 'Ik hoorde dat De Meander en de Jozefschool na de zomer allebei dichtgaan. Klopt dat?', 1)],
    { schoolIds: [meander, jozef] },
  );
  const cases = await db
    .selectFrom('case_mentions as cm')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .select(['c.id', 'c.school_id'])
    .where('m.external_id', '=', 'both')
    .execute();
  expect(cases).toHaveLength(2);
  const [first, second] = cases.map((c) => c.id);
  const comms = await loginAs(app, 'all@edu-ley.nl');
  expect(await actionTypes(first)).toContain('correct_online');
  expect(await actionTypes(second)).toContain('correct_online');
  expect((await comms(`/api/cases/${first}/correction`, { method: 'POST' })).status).toBe(200);
  const refused = await comms(`/api/cases/${second}/correction`, { method: 'POST' });
  expect(refused.status).toBe(409);
  expect((await refused.json()).error).toMatch(
    /^Dit bericht krijgt al een correctie vanuit een andere school \(zaak \d+, /,
  );
  const detail = await (await comms(`/api/cases/${second}`)).json();
  expect(detail.related).toEqual([expect.objectContaining({ id: first, correction: 'concept' })]);
  // two people drafting at the same moment: the database refuses the second
  const mentionId = (
    await db.selectFrom('mentions').select('id').where('external_id', '=', 'both').executeTakeFirstOrThrow()
  ).id;
  await expect(
    db
      .insertInto('correction_drafts')
      .values({ case_id: second, mention_id: mentionId, text: 'x', drafted_by: 'y' })
      .execute(),
  ).rejects.toThrow(/correction_drafts_one_per_post_idx/);
});

test('staff put posts from the inbox into a discussion of the same school, never one of another school', async () => {
  const comms = await loginAs(app, 'all@edu-ley.nl');
  const target = (await caseOf('root'))!;
  const school = (await db.selectFrom('cases').select('school_id').where('id', '=', target).executeTakeFirstOrThrow())
    .school_id;
  await processItems(db, source, [post('extra-post', 'Nog een bericht over het overblijven op de school.', 1)], {
    schoolIds: [school],
  });
  const extra = await seed.mention('extra-post');
  const r = await comms(`/api/cases/${target}/mentions`, json({ ids: [extra] }));
  expect(r.status).toBe(200);
  const c = await r.json();
  expect(c.items.map((m: { id: string }) => m.id)).toContain(extra);
  expect(c.events.at(-1)).toMatchObject({ kind: 'mention_added', details: { mentions: [extra], by: 'person' } });
  const elsewhere = school === jozef ? meander : jozef;
  await processItems(db, source, [post('other-school', 'Een bericht over een heel andere school.', 1)], {
    schoolIds: [elsewhere],
  });
  const wrong = await comms(`/api/cases/${target}/mentions`, json({ ids: [await seed.mention('other-school')] }));
  expect(wrong.status).toBe(409);
  expect((await comms(`/api/cases/${target}/mentions`, json({ ids: [] }))).status).toBe(400);
});

test('the counts per state come from totals the database keeps, and follow every change to cases', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const recount = async (boardId?: string) =>
    Object.fromEntries(
      (
        await db
          .selectFrom('cases')
          .select(['school_id', 'state', db.fn.countAll<string>().as('n')])
          .$if(!!boardId, (q) => q.where('board_id', '=', boardId!))
          .groupBy(['school_id', 'state'])
          .execute()
      ).map((r) => [`${r.school_id}/${r.state}`, Number(r.n)]),
    );
  const kept = async () =>
    Object.fromEntries(
      (await db.selectFrom('case_counts').selectAll().where('n', '<>', '0').execute()).map((r) => [
        `${r.school_id}/${r.state}`,
        Number(r.n),
      ]),
    );
  const listed = async (q = '') => (await (await req(`/api/cases${q}`)).json()).counts;
  const expectInStep = async () => {
    expect(await kept()).toEqual(await recount());
    const truth = await recount(seed.boards['edu-ley']);
    const sum = (state: string, school?: string) =>
      Object.entries(truth)
        .filter(([k]) => k.endsWith(`/${state}`) && (!school || k.startsWith(`${school}/`)))
        .reduce((n, [, v]) => n + v, 0);
    expect(await listed('?state=all')).toMatchObject({
      nieuw: sum('nieuw'),
      in_behandeling: sum('in_behandeling'),
      afgerond: sum('afgerond'),
      geen_actie: sum('geen_actie'),
    });
    expect(await listed('?school=jozef')).toMatchObject({
      nieuw: sum('nieuw', jozef),
      afgerond: sum('afgerond', jozef),
    });
  };
  await expectInStep();
  const [first, second] = await db
    .selectFrom('cases')
    .select('id')
    .where('state', '=', 'nieuw')
    .orderBy('id')
    .execute();
  await db.updateTable('cases').set({ state: 'in_behandeling' }).where('id', '=', first.id).execute();
  await db
    .updateTable('cases')
    .set({ state: 'geen_actie', closed_at: new Date('2026-11-30T12:00:00Z') })
    .where('id', '=', second.id)
    .execute();
  await expectInStep();
  await db.updateTable('cases').set({ school_id: jozef }).where('id', '=', first.id).execute();
  await db.deleteFrom('cases').where('id', '=', second.id).execute();
  await expectInStep();
});

test('a post joining an open case from a later collection updates the case, and its school link copies the post', async () => {
  const fee = (await caseOf('fee1'))!;
  const read = async () => ({
    ...(await db
      .selectFrom('cases')
      .select(['topic_words', 'last_mention_at', 'severity'])
      .where('id', '=', fee)
      .executeTakeFirstOrThrow()),
    thread_keys: (
      await db.selectFrom('case_thread_keys').select('key').where('case_id', '=', fee).orderBy('key').execute()
    ).map((k) => k.key),
  });
  const before = await read();
  await processItems(
    db,
    source,
    [
      post(
        'fee9',
        'Weer die ouderbijdrage op de Jozefschool, nu ook voor het schoolreisje. Slecht geregeld, echt schandalig.',
        0.5,
        { threadId: 'fee-thread' },
      ),
    ],
    { schoolIds: [jozef] },
  );
  expect(await caseOf('fee9')).toBe(fee);
  const after = await read();
  const m = await db
    .selectFrom('mentions')
    .select(['id', 'published_at', 'shown_risks'])
    .where('external_id', '=', 'fee9')
    .executeTakeFirstOrThrow();
  // active since its newest post; the words and thread keys of every post so far
  expect(after.last_mention_at).toEqual(m.published_at);
  expect(after.last_mention_at.getTime()).toBeGreaterThan(before.last_mention_at.getTime());
  expect(after.topic_words).toEqual(expect.arrayContaining(before.topic_words));
  expect(after.thread_keys).toEqual(expect.arrayContaining([...before.thread_keys, 'm:fee9', 't:fee-thread']));
  expect(after.severity).toBe(before.severity);
  const link = await db
    .selectFrom('mention_schools')
    .select(['published_at', 'shown_risks'])
    .where('mention_id', '=', m.id)
    .executeTakeFirstOrThrow();
  expect(link).toEqual({ published_at: m.published_at, shown_risks: m.shown_risks });
});

test('the pipeline files its own new posts and takes them off the filing queue', async () => {
  await processItems(
    db,
    source,
    [post('own1', 'Alweer lesuitval bij De Meander, slecht geregeld en niemand zegt iets.', 1)],
    {
      schoolIds: [meander],
    },
  );
  const m = await seed.mention('own1');
  expect(await caseOf('own1')).toBeDefined();
  expect(await db.selectFrom('filing_queue').select('mention_id').where('mention_id', '=', m).execute()).toEqual([]);
});

test('posts stored but not filed (a worker stopped between the two) are filed by the next file-cases pass, once', async () => {
  await processItems(
    db,
    source,
    [post('gap1', 'Het overblijven op De Meander is een puinhoop, veel te weinig begeleiding. Slecht.', 1)],
    { schoolIds: [meander], fileCases: false },
  );
  const m = await seed.mention('gap1');
  expect(await caseOf('gap1')).toBeUndefined();
  expect(await db.selectFrom('filing_queue').select('mention_id').where('mention_id', '=', m).execute()).toHaveLength(
    1,
  );
  expect(await backfillCases(db)).toBe(1);
  expect(await caseOf('gap1')).toBeDefined();
  expect(await backfillCases(db)).toBe(0);
});

// The plan of one of a state's list statements (caseListQueries: "Alle" is the open list, then the closed
// one) on this tiny table, with what it would rather do (scan, or sort it all) forbidden, to see which
// index the list can use.
const listPlan = (state: 'open' | 'all' | 'closed' | 'afgerond' | 'geen_actie', part: number, forbid: string) =>
  inTransaction(db, async (trx) => {
    const viewer = {
      id: '0',
      email: 'plan@edu-ley.nl',
      name: 'plan',
      role: 'communicatie' as const,
      boardId: seed.boards['edu-ley'],
      allSchools: true,
      schoolIds: [meander, jozef],
    };
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql.raw(`set local ${forbid} = off`).execute(trx);
    const rows = await caseListQueries(trx, viewer, { state }, new Date('2026-11-01T00:00:00Z')).at(part)!.explain();
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });

test('closed cases are listed newest closed first through their own index, not by reading every closed case', async () => {
  // "Alle" lists the open ones, then the closed ones: its second part is the closed list
  for (const state of ['closed', 'afgerond', 'geen_actie', 'all'] as const)
    expect(await listPlan(state, -1, 'enable_sort'), state).toContain('cases_board_closed_idx');
});

test('open cases are listed by due date through their own index, reading only the soonest due ones', async () => {
  // "Alle" lists the open ones first (one open state alone may as well take the board's index by state and
  // due date)
  for (const state of ['open', 'all'] as const) {
    const plan = await listPlan(state, 0, 'enable_bitmapscan');
    expect(plan, state).toContain('cases_board_open_due_idx');
    // the same due date: the most serious prompt first, sorted within that date only
    expect(plan, state).toMatch(/Incremental Sort[\s\S]*Presorted Key: c\.due_at/);
  }
});

test('"Alle" lists the open cases by due date first, then the closed ones newest closed first', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const ids = (
    await db.selectFrom('cases').select('id').where('board_id', '=', seed.boards['edu-ley']).orderBy('id').execute()
  ).map((c) => c.id);
  expect(ids.length).toBeGreaterThanOrEqual(4);
  // two closed long ago and one closed recently, due dates that would put the closed ones first
  const closed = [
    { id: ids[0], closed_at: new Date('2026-01-05T10:00:00Z') },
    { id: ids[1], closed_at: new Date('2026-10-20T10:00:00Z') },
    { id: ids[2], closed_at: new Date('2025-12-01T10:00:00Z') },
  ];
  for (const c of closed)
    await db
      .updateTable('cases')
      .set({ state: 'afgerond', closed_at: c.closed_at, due_at: new Date('2025-01-01T00:00:00Z') })
      .where('id', '=', c.id)
      .execute();
  const open = (await (await req('/api/cases?state=open')).json()).cases.map((c: { id: string }) => c.id);
  const done = (await (await req('/api/cases?state=closed')).json()).cases.map((c: { id: string }) => c.id);
  expect(open.length).toBeGreaterThan(0);
  expect(done.indexOf(ids[1])).toBeLessThan(done.indexOf(ids[0]));
  expect(done.indexOf(ids[0])).toBeLessThan(done.indexOf(ids[2]));
  const all = await (await req('/api/cases?state=all')).json();
  expect(all.cases.map((c: { id: string }) => c.id)).toEqual([...open, ...done]);
  // the counts are the whole board's, as with any state
  expect(all.counts.afgerond).toBeGreaterThanOrEqual(3);
});
