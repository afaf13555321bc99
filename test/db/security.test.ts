import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17: holes found by attacking the running app, each with the request that found it.
const { conn, db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const jozef = seed.school('edu-ley', 'jozef');
const json = (body: unknown, method = 'POST', headers: Record<string, string> = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const post = (externalId: string, text: string) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: new Date(),
});

await processItems(
  db,
  source,
  [post('other-school', 'Jozefschool: Pieter Jansen woont op de Dorpsstraat 12, bel hem op 06-12345678.')],
  { schoolIds: [jozef] },
);

test('the query preview searches only the viewer’s schools, masks personal data and is audited', async () => {
  const director = await loginAs(app, 'a@edu-ley.nl'); // directie of De Meander only
  const res = await director(
    '/api/schools/meander/query/preview',
    json({ query: 'Meander OR Jozefschool OR Dorpsstraat' }),
  );
  expect(res.status).toBe(200);
  const body = await res.text();
  expect(body).not.toContain('Pieter Jansen');
  expect(body).not.toContain('06-12345678');
  expect(body).not.toContain('Dorpsstraat 12');
  const audited = await db
    .selectFrom('audit_log')
    .select(['action', 'actor'])
    .where('action', '=', 'query.preview')
    .execute();
  expect(audited).toEqual([{ action: 'query.preview', actor: 'a@edu-ley.nl' }]);
  // someone who sees every school sees the post — with the phone number masked
  const all = await loginAs(app, 'all@edu-ley.nl');
  const full = await (
    await all('/api/schools/meander/query/preview', json({ query: 'Meander OR Jozefschool' }))
  ).json();
  const hit = full.newlyMatching.find((e: { text: string }) => e.text.includes('Jozefschool'));
  expect(hit.text).toContain('06-••••••78');
});

test('the exclusions preview is for who may change the exclusions', async () => {
  const director = await loginAs(app, 'a@edu-ley.nl');
  const res = await director('/api/board/exclusions/preview', json({ query: 'Dorpsstraat' }));
  expect(res.status).toBe(403);
  const all = await loginAs(app, 'all@edu-ley.nl');
  const ok = await all('/api/board/exclusions/preview', json({ query: 'Dorpsstraat' }));
  expect(ok.status).toBe(200);
  expect(await ok.text()).not.toContain('06-12345678');
});

test('a request from another site or another port of this host changes nothing (CSRF)', async () => {
  const all = await loginAs(app, 'all@edu-ley.nl');
  const c = await db.selectFrom('cases').select('id').executeTakeFirstOrThrow();
  const note = (headers: Record<string, string>) =>
    all(`/api/cases/${c.id}/notes`, json({ text: 'Aantekening van elders' }, 'POST', headers));
  expect((await note({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:9999' })).status).toBe(403);
  expect((await note({ host: '127.0.0.1:8080', 'sec-fetch-site': 'same-site' })).status).toBe(403);
  expect((await note({ host: '127.0.0.1:8080', origin: 'null' })).status).toBe(403);
  // a body typed as text/plain that merely mentions JSON is not JSON
  const sneaky = await all(`/api/cases/${c.id}/notes`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; x=application/json' },
    body: JSON.stringify({ text: 'Aantekening van elders' }),
  });
  expect(sneaky.status).toBe(400);
  expect(await db.selectFrom('case_events').select('id').where('kind', '=', 'note').execute()).toEqual([]);
  // the dashboard itself still works
  expect(
    (await note({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' })).status,
  ).toBe(200);
});

test('an audited export cannot be started from another site (a link or an embedded request)', async () => {
  const all = await loginAs(app, 'all@edu-ley.nl');
  const c = await db.selectFrom('cases').select('id').executeTakeFirstOrThrow();
  const audited = async () =>
    (
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', 'in', ['case.dossier_export', 'export.labelled'])
        .execute()
    ).length;
  const before = await audited();
  for (const site of ['cross-site', 'same-site'])
    for (const path of [`/api/cases/${c.id}/dossier`, '/api/mentions/labelled.tsv']) {
      const r = await all(path, { headers: { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate' } });
      expect(r.status, `${site} ${path}`).toBe(403);
    }
  expect(await audited()).toBe(before);
  // from the dashboard, a bookmark or a typed address it works
  for (const site of ['same-origin', 'none'])
    expect((await all(`/api/cases/${c.id}/dossier`, { headers: { 'sec-fetch-site': site } })).status).toBe(200);
  expect(await audited()).toBe(before + 2);
});

test('revealing personal data is a POST: a link cannot make someone reveal and log it', async () => {
  const all = await loginAs(app, 'all@edu-ley.nl');
  const m = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', 'other-school')
    .executeTakeFirstOrThrow();
  expect((await all(`/api/mentions/${m.id}/unmasked`)).status).toBe(404);
  expect(
    await db.selectFrom('audit_log').select('id').where('action', '=', 'mention.reveal_personal_data').execute(),
  ).toEqual([]);
  expect((await all(`/api/mentions/${m.id}/unmasked`, { method: 'POST' })).status).toBe(200);
});

test('no request body past 1 MB is read, not even an anonymous login', async () => {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'x@y.nl', password: 'p'.repeat(2 * 1024 * 1024) }),
  });
  expect(res.status).toBe(413);
  expect((await res.json()).error).toContain('te groot');
});

test('a stored token is never sent to a server someone else picks: a new server needs the token again', async () => {
  const { cleanSettings } = await import('../../server/actions/sourceSettings.ts');
  const { collectorFor } = await import('../../workers/collectors/registry.ts');
  const mastodon = collectorFor('mastodon_tag');
  const stored = { instance: 'https://mastodon.nl', tag: 'obsmeander', token: 'geheim-token' };
  // same server, token left empty in the form: the stored one stays
  expect(cleanSettings(mastodon, { instance: 'https://mastodon.nl/', tag: 'nieuw', token: '' }, stored)).toMatchObject({
    token: 'geheim-token',
  });
  // another server: the stored token is dropped
  expect(
    cleanSettings(mastodon, { instance: 'https://evil.example', tag: 'obsmeander', token: '' }, stored),
  ).not.toHaveProperty('token');
  // through the API: PATCH with a new instance and no token keeps no token
  const all = await loginAs(app, 'all@edu-ley.nl');
  const created = await all(
    '/api/sources',
    json({ kind: 'mastodon_tag', school: 'meander', name: 'Toots', settings: stored }),
  );
  expect(created.status).toBe(201);
  const { id } = await created.json();
  const patched = await all(
    `/api/sources/${id}`,
    json({ settings: { instance: 'https://evil.example', tag: 'obsmeander', token: '' } }, 'PATCH'),
  );
  expect(patched.status).toBe(200);
  const row = await db.selectFrom('sources').select('settings').where('id', '=', id).executeTakeFirstOrThrow();
  expect(row.settings).not.toHaveProperty('token');
});

test('adding a link another school already added makes a copy for this school and reveals nothing of theirs', async () => {
  const meanderDirector = await loginAs(app, 'a@edu-ley.nl');
  const jozefStaff = await loginAs(app, 'b@edu-ley.nl');
  const url = 'https://forum.example.nl/gedeeld-bericht';
  const first = await meanderDirector(
    '/api/mentions',
    json({ school: 'meander', url, text: 'Over De Meander: Pieter Jansen, 06-11112222, zegt dat het rommelig is.' }),
  );
  expect(first.status).toBe(201);
  const theirs = (await first.json()).id;
  const second = await jozefStaff(
    '/api/mentions',
    json({ school: 'jozef', url, text: 'Hetzelfde bericht gaat ook over de Jozefschool.' }),
  );
  expect(second.status).toBe(201);
  const ours = (await second.json()).id;
  expect(ours).not.toBe(theirs);
  expect((await jozefStaff(`/api/mentions/${theirs}`)).status).toBe(404);
  expect(await (await jozefStaff('/api/mentions')).text()).not.toContain('Pieter Jansen');
  // the same school adding it again is a duplicate of its own copy
  const again = await jozefStaff('/api/mentions', json({ school: 'jozef', url, text: 'Nog een keer.' }));
  expect(await again.json()).toMatchObject({ id: ours, duplicate: true });
});

test('a known link of a collected post about another school does not pull that post into this school', async () => {
  const url = 'https://forum.example.nl/verzameld-over-de-meander';
  const { ids } = await processItems(
    db,
    source,
    [{ ...post('verzameld-1', 'De Meander: Rob Mulder, Berkenlaan 14, 06-41236587, klaagt over het plein.'), url }],
    { schoolIds: [meander] },
  );
  const collected = ids[0];
  const jozefStaff = await loginAs(app, 'b@edu-ley.nl');
  const added = await jozefStaff('/api/mentions', json({ school: 'jozef', url, text: 'Gaat ook over ons.' }));
  expect(added.status).toBe(201);
  const ours = (await added.json()).id;
  expect(ours).not.toBe(collected);
  expect((await jozefStaff(`/api/mentions/${collected}`)).status).toBe(404);
  expect((await jozefStaff(`/api/mentions/${collected}/unmasked`, { method: 'POST' })).status).toBe(404);
  const schools = await db
    .selectFrom('mention_schools')
    .select('school_id')
    .where('mention_id', '=', collected)
    .execute();
  expect(schools.map((s) => s.school_id)).toEqual([meander]);
  // the school the post is about still gets a hand-added copy under the collected post's story
  const meanderDirector = await loginAs(app, 'a@edu-ley.nl');
  const same = await meanderDirector('/api/mentions', json({ school: 'meander', url, text: 'Zelfde.' }));
  const copy = await db
    .selectFrom('mentions')
    .select('story_id')
    .where('id', '=', (await same.json()).id)
    .executeTakeFirstOrThrow();
  expect(copy.story_id).toBe(collected);
});

test('the meldpunt throttle keeps no code that can be recomputed from an address', async () => {
  const { createHash } = await import('node:crypto');
  await db
    .insertInto('sources')
    .values({ board_id: seed.boards['edu-ley'], school_id: meander, kind: 'report', name: 'Meldpunt De Meander' })
    .execute();
  const form = await app.request('/meld/meander');
  const page = await form.text();
  expect(page).toContain('niet naar je adres terug te rekenen');
  const res = await app.request('/meld/meander', {
    method: 'POST',
    body: new URLSearchParams({ text: 'Er wordt gepest in groep 7.' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(200);
  const keys = (await db.selectFrom('report_throttle').select('key').execute()).map((r) => r.key);
  expect(keys).toHaveLength(1);
  // what the old code stored: a hash of a fixed salt and the address, recomputable by anyone
  const recomputed = createHash('sha256').update('klankbord-meldpunt|unknown').digest('base64url').slice(0, 22);
  expect(keys).not.toContain(recomputed);
});

test('login throttling: per account and address, parallel guesses counted, nobody locks out a user from elsewhere, and an unlock', async () => {
  const login = (password: string, ip: string) =>
    app.request(
      '/api/auth/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'b@edu-ley.nl', password }),
      },
      { incoming: { socket: { remoteAddress: ip } } },
    );
  // 50 wrong passwords at once from one address: at most 5 are checked
  const results = await Promise.all(Array.from({ length: 50 }, () => login('fout-wachtwoord', '203.0.113.7')));
  const failed = await db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'login.failed')
    .where('actor', '=', 'b@edu-ley.nl')
    .execute();
  expect(failed.length).toBeLessThanOrEqual(5);
  expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(45);
  // the attacker's address is blocked, the user's own is not
  expect((await login(PASSWORD, '203.0.113.7')).status).toBe(429);
  expect((await login(PASSWORD, '198.51.100.20')).status).toBe(200);
  // an administrator's unlock lets the blocked address in again
  const { runCliInProcess } = await import('../support/cli.ts');
  const r = await runCliInProcess(['user', 'unlock', '--email', 'b@edu-ley.nl'], { databaseUrl: conn.url });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('opgeheven');
  expect((await login(PASSWORD, '203.0.113.7')).status).toBe(200);
});

test('labelled data exported as TSV cannot start a spreadsheet formula', async () => {
  const { labelledTsv } = await import('../../server/actions/labelledExport.ts');
  const [formula] = (
    await processItems(db, source, [post('formula', '=HYPERLINK("https://evil.example","klik") De Meander')], {
      schoolIds: [meander],
    })
  ).ids;
  await db
    .insertInto('label_corrections')
    .values({
      mention_id: formula!,
      actor: 'all@edu-ley.nl',
      field: 'sentiment',
      value: 'negative',
      previous: 'neutral',
    })
    .execute();
  const { tsv } = await labelledTsv(db, { boardId: seed.boards['edu-ley'], schoolIds: [meander, jozef] });
  const row = tsv.split('\n').find((l) => l.includes('HYPERLINK'))!;
  expect(row.split('\t')[6]).toMatch(/^'=HYPERLINK/);
});

test('a query nested 2,496 brackets deep and a broken %-escape in the path are the client’s mistakes (400), not 500s', async () => {
  const all = await loginAs(app, 'all@edu-ley.nl');
  const deep = `${'('.repeat(2496)}Meander${')'.repeat(2496)}`; // 4,999 characters, within the length limit
  const res = await all('/api/schools/meander/query/preview', json({ query: deep }));
  expect(res.status).toBe(200); // a preview answers with the parse error and its position
  expect(await res.json()).toMatchObject({ ok: false, error: expect.stringContaining('Te veel haakjes') });
  expect((await all('/api/schools/meander/query', json({ query: deep }, 'PUT'))).status).toBe(400);
  const broken = await app.request('/%E0%A4%A');
  expect(broken.status).toBeLessThan(500);
  expect((await app.request('/api/mentions/%E0%A4%A')).status).toBeLessThan(500);
});

test('answers with personal data are never cached, and https pins https', async () => {
  const all = await loginAs(app, 'all@edu-ley.nl');
  const m = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', 'other-school')
    .executeTakeFirstOrThrow();
  const revealed = await all(`/api/mentions/${m.id}/unmasked`, { method: 'POST' });
  expect(revealed.headers.get('cache-control')).toBe('no-store');
  const c = await db.selectFrom('cases').select('id').executeTakeFirstOrThrow();
  expect((await all(`/api/cases/${c.id}/dossier`)).headers.get('cache-control')).toBe('no-store');
  expect((await all('/api/me')).headers.get('strict-transport-security')).toBeNull();
  expect(
    (await all('/api/me', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security'),
  ).toContain('max-age=');
});

test('one communicatie user cannot delete a meldpunt with its reports; nobody deletes a source an open case needs', async () => {
  const report = await db.selectFrom('sources').select('id').where('kind', '=', 'report').executeTakeFirstOrThrow();
  await app.request('/meld/meander', {
    method: 'POST',
    body: new URLSearchParams({ text: 'Iemand dreigt de conciërge van De Meander neer te steken.' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const all = await loginAs(app, 'all@edu-ley.nl');
  const refused = await all(`/api/sources/${report.id}`, { method: 'DELETE' });
  expect(refused.status).toBe(403);
  await db
    .insertInto('users')
    .values({
      email: 'beheer@edu-ley.nl',
      board_id: seed.boards['edu-ley'],
      role: 'beheer',
      password_hash: await hashPassword(PASSWORD),
      all_schools: true,
    })
    .execute();
  const beheer = await loginAs(app, 'beheer@edu-ley.nl');
  const blocked = await beheer(`/api/sources/${report.id}`, { method: 'DELETE' });
  expect(blocked.status).toBe(409);
  expect((await blocked.json()).error).toContain('open zaak');
  expect(await db.selectFrom('mentions').select('id').where('source_id', '=', report.id).execute()).not.toEqual([]);
});

test('log out everywhere ends every session of the user, and expired sessions are deleted, not only refused', async () => {
  const { deleteExpiredSessions } = await import('../../server/db/sessions.ts');
  const first = await loginAs(app, 'a@edu-ley.nl');
  const second = await loginAs(app, 'a@edu-ley.nl');
  const res = await first('/api/me/logout-everywhere', { method: 'POST' });
  expect(await res.json()).toMatchObject({ ok: true, sessions: expect.any(Number) });
  expect((await second('/api/me')).status).toBe(401);
  expect((await first('/api/me')).status).toBe(401);
  expect(
    await db.selectFrom('audit_log').select('action').where('action', '=', 'logout.everywhere').execute(),
  ).toHaveLength(1);
  const stale = await loginAs(app, 'b@edu-ley.nl');
  await db
    .updateTable('sessions')
    .set({ expires_at: new Date('2020-01-01T00:00:00Z') })
    .execute();
  expect(await deleteExpiredSessions(db, new Date('2026-11-30T12:00:00Z'))).toBeGreaterThan(0);
  expect(await db.selectFrom('sessions').select('id').execute()).toEqual([]);
  expect((await stale('/api/me')).status).toBe(401);
});

test('the mail server cannot be an internal address, so "stuur testmail" cannot probe the network', async () => {
  await db
    .insertInto('users')
    .values({
      email: 'beheer2@edu-ley.nl',
      board_id: seed.boards['edu-ley'],
      role: 'beheer',
      password_hash: await hashPassword(PASSWORD),
      all_schools: true,
    })
    .execute();
  const beheer = await loginAs(app, 'beheer2@edu-ley.nl');
  const settings = (host: string) => ({
    host,
    port: 22,
    security: 'none',
    fromAddress: 'klankbord@edu-ley.nl',
    dashboardUrl: 'https://klankbord.edu-ley.nl',
    digestHour: 7,
  });
  for (const host of ['127.0.0.1', '10.0.0.5', '169.254.169.254', 'localhost']) {
    const res = await beheer('/api/board/mail', json(settings(host), 'PUT'));
    expect(res.status, host).toBe(400);
    expect((await res.json()).error, host).toMatch(/intern of privé|niet gevonden/);
  }
  expect(await db.selectFrom('mail_settings').select('host').execute()).toEqual([]);
});

test('without its database the app says so: /healthz lives, /readyz is 503, the meldpunt shows a plain page, the API a 503', async () => {
  const { connect } = await import('../../server/db/index.ts');
  const gone = connect('postgres://klankbord:x@127.0.0.1:1/klankbord', 1);
  try {
    const down = buildApp(gone.db);
    expect((await down.request('/healthz')).status).toBe(200);
    expect((await down.request('/readyz')).status).toBe(503);
    expect((await app.request('/readyz')).status).toBe(200);
    const page = await down.request('/meld/meander');
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Probeer het later opnieuw');
    const login = await down.request('/api/auth/login', json({ email: 'a@edu-ley.nl', password: PASSWORD }));
    expect(login.status).toBe(503);
    expect((await login.json()).error).toContain('database');
  } finally {
    await gone.close();
  }
});

test('stored secrets are sealed: a source token and an SMTP password are not in the database in clear', async () => {
  const { unseal } = await import('../../server/auth/secretBox.ts');
  const all = await loginAs(app, 'all@edu-ley.nl');
  const created = await all(
    '/api/sources',
    json({
      kind: 'mastodon_tag',
      school: 'meander',
      name: 'Geheim',
      settings: { instance: 'https://mastodon.nl', tag: 'meander', token: 'zeer-geheim-token' },
    }),
  );
  const { id } = await created.json();
  const row = await db.selectFrom('sources').select('settings').where('id', '=', id).executeTakeFirstOrThrow();
  expect(JSON.stringify(row.settings)).not.toContain('zeer-geheim-token');
  expect(unseal(row.settings.token as string)).toBe('zeer-geheim-token');
  const beheer = await loginAs(app, 'beheer2@edu-ley.nl');
  await beheer(
    '/api/board/mail',
    json(
      {
        host: '93.184.216.34',
        port: 587,
        security: 'starttls',
        username: 'kb',
        password: 'smtp-wachtwoord',
        fromAddress: 'klankbord@edu-ley.nl',
        dashboardUrl: 'https://klankbord.edu-ley.nl',
        digestHour: 7,
      },
      'PUT',
    ),
  );
  const mail = await db.selectFrom('mail_settings').select('password').executeTakeFirstOrThrow();
  expect(mail.password).not.toContain('smtp-wachtwoord');
  expect(unseal(mail.password!)).toBe('smtp-wachtwoord');
});

test('everyone changes their own password: the current one first, and other sessions end', async () => {
  await db
    .insertInto('users')
    .values({
      email: 'wissel@edu-ley.nl',
      board_id: seed.boards['edu-ley'],
      role: 'communicatie',
      password_hash: await hashPassword(PASSWORD),
      all_schools: true,
    })
    .execute();
  const here = await loginAs(app, 'wissel@edu-ley.nl');
  const elsewhere = await loginAs(app, 'wissel@edu-ley.nl');
  const wrong = await here(
    '/api/me/password',
    json({ current: 'niet-het-wachtwoord', next: 'een-nieuw-lang-wachtwoord' }),
  );
  expect(wrong.status).toBe(400);
  expect((await wrong.json()).error).toContain('huidige wachtwoord');
  expect((await here('/api/me/password', json({ current: PASSWORD, next: 'kort' }))).status).toBe(400);
  const ok = await here('/api/me/password', json({ current: PASSWORD, next: 'een-nieuw-lang-wachtwoord' }));
  expect(await ok.json()).toEqual({ ok: true, otherSessionsEnded: 1 });
  expect((await here('/api/me')).status).toBe(200);
  expect((await elsewhere('/api/me')).status).toBe(401);
  await expect(loginAs(app, 'wissel@edu-ley.nl')).rejects.toThrow();
  expect(await loginAs(app, 'wissel@edu-ley.nl', 'een-nieuw-lang-wachtwoord')).toBeTruthy();
  expect(
    await db.selectFrom('audit_log').select('action').where('action', '=', 'password.change').execute(),
  ).toHaveLength(1);
});

test('a flood at one school holds reports back instead of shutting out a first-time reporter', async () => {
  const { REPORT_LIMITS } = await import('../../server/actions/reports.ts');
  const { backfillCases } = await import('../../workers/cases/backfill.ts');
  const school = await db
    .selectFrom('sources')
    .select('school_id')
    .where('kind', '=', 'report')
    .executeTakeFirstOrThrow();
  const count = async () =>
    Number(
      (
        await db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('school_id', '=', school.school_id!)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const send = (text: string, address: string) =>
    app.request(
      '/meld/meander',
      {
        method: 'POST',
        body: new URLSearchParams({ text }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { incoming: { socket: { remoteAddress: address } } },
    );
  const caseOf = async (text: string) => {
    const m = await db.selectFrom('mentions').select('id').where('body', '=', text).executeTakeFirstOrThrow();
    return db.selectFrom('case_mentions').select('case_id').where('mention_id', '=', m.id).execute();
  };
  // Before the cap a threat starts a case as always.
  const early = 'Ik maak die Karel Smit van De Meander af.';
  expect((await send(early, '198.51.100.7')).status).toBe(200);
  expect(await caseOf(early)).toHaveLength(1);
  // Five reports from each of six address ranges fill the school's hourly cap.
  for (let r = 0; (await count()) < REPORT_LIMITS.perSchoolPerHour; r++)
    for (let i = 0; i < REPORT_LIMITS.perHour && (await count()) < REPORT_LIMITS.perSchoolPerHour; i++)
      expect((await send(`Melding ${r}-${i} over De Meander.`, `198.18.${r}.${i}`)).status).toBe(200);
  // A first-time reporter is thanked, not blamed, and the report is kept, held back.
  const late = 'Ik steek meester Tom van De Meander morgen neer, echt waar.';
  const res = await send(late, '203.0.113.9');
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('je melding is ontvangen');
  expect(html).not.toContain('meldingen gedaan');
  const held = await db
    .selectFrom('mentions as m')
    .innerJoin('reports as r', 'r.mention_id', 'm.id')
    .select(['m.id', 'r.held'])
    .where('m.body', '=', late)
    .executeTakeFirstOrThrow();
  expect(held.held).toBe(true);
  // It starts no case (so no alert mail), not even when idle workers file what is unfiled.
  await backfillCases(db);
  expect(await caseOf(late)).toEqual([]);
  expect(
    await db.selectFrom('audit_log').select('details').where('target_id', '=', held.id).executeTakeFirstOrThrow(),
  ).toMatchObject({ details: { held: true } });
  // Staff read it, marked as held.
  const all = await loginAs(app, 'all@edu-ley.nl');
  const list = await (await all('/api/mentions?limit=100')).json();
  expect(list.items.find((m: { id: string }) => m.id === held.id)).toMatchObject({ held: true, reported: true });
  expect(list.items.find((m: { text: string }) => m.text === early)).toMatchObject({ held: false });
  const detail = await (await all(`/api/mentions/${held.id}`)).json();
  expect(detail).toMatchObject({ held: true, report: { held: true } });
});
