import { openSettings } from '../../server/auth/secretBox.ts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ensureMentionPartitions } from '../../server/db/partitions.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';
import { loginAs } from '../support/http.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { PASSWORD, seedTwoBoards } from '../support/seed.ts';

// The "Bronnen" API: kinds and their forms, add / edit / pause / delete with role and school
// checks, secrets that never come back, "Test nu" that stores nothing, and staff adding a mention.
const conn = await freshDatabase();
const db = conn.db;
const seed = await seedTwoBoards(db);
let srv: Awaited<ReturnType<typeof fixtureServer>>;
let app: ReturnType<typeof buildApp>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/feed.xml': (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>Lokaal</title>
      <item><guid>1</guid><title>De Meander wint de voorleeswedstrijd</title><link>https://lokaal.example/1</link></item>
      <item><guid>2</guid><title>Nieuwe rotonde geopend</title><link>https://lokaal.example/2</link></item></channel></rss>`),
    '/site.html': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><html><head><title>Lokaal</title><link rel="alternate" type="application/rss+xml" title="Alle berichten" href="/feed.xml"></head><body></body></html>`,
        ),
    '/artikel.html': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html><head><meta property="og:title" content="Ophef over schoolplein Jozefschool"><meta name="description" content="Ouders zijn boos over het nieuwe plein."><meta property="og:site_name" content="Lokaal Nieuws"></head></html>`,
        ),
  });
  app = buildApp(db, { fetchOptions: { allow: [srv.hostPort] } });
});
afterAll(() => srv.close());

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const countMentions = async () =>
  Number(
    (
      await db
        .selectFrom('mentions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('lists every kind a person can add, with its form and what the school must provide', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const { items } = await (await req('/api/sources/kinds')).json();
  const kinds = items.map((k: { kind: string }) => k.kind);
  for (const k of [
    'rss',
    'google_news',
    'bing_news',
    'google_alerts',
    'mastodon_tag',
    'mastodon_account',
    'bluesky_search',
    'bluesky_author',
    'reddit',
    'youtube_channel',
    'youtube_comments',
    'facebook_page',
    'instagram_business',
    'report',
  ])
    expect(kinds).toContain(k);
  expect(kinds).not.toContain('manual');
  const bsky = items.find((k: { kind: string }) => k.kind === 'bluesky_search');
  expect(bsky.help).toContain('app-wachtwoord');
  expect(bsky.fields.find((f: { key: string }) => f.key === 'appPassword')).toMatchObject({
    secret: true,
    required: true,
  });
  expect(items.find((k: { kind: string }) => k.kind === 'facebook_page').help).toContain('Alleen de eigen pagina');
});

test('communications staff add a source; it shows with its address and is audited', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const res = await req(
    '/api/sources',
    json('POST', { kind: 'rss', school: null, url: `${srv.base}/feed.xml`, intervalMinutes: 30 }),
  );
  expect(res.status).toBe(201);
  const { id } = await res.json();
  const { items, canAdd } = await (await req('/api/sources')).json();
  expect(canAdd).toBe(true);
  expect(items.find((s: { id: string }) => s.id === id)).toMatchObject({
    kind: 'rss',
    address: `${srv.base}/feed.xml`,
    intervalMinutes: 30,
    canEdit: true,
    enabled: true,
  });
  expect(
    await db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'source.create')
      .where('target_id', '=', id)
      .execute(),
  ).toEqual([{ actor: 'all@edu-ley.nl' }]);
  expect(
    (await req('/api/sources', json('POST', { kind: 'rss', school: null, url: `${srv.base}/feed.xml` }))).status,
  ).toBe(400); // exists already
});

test('roles and schools decide who may change which source', async () => {
  const director = await loginAs(app, 'a@edu-ley.nl');
  expect(
    (
      await director(
        '/api/sources',
        json('POST', { kind: 'google_news', school: 'meander', settings: { query: 'Meander' } }),
      )
    ).status,
  ).toBe(403);
  expect((await (await director('/api/sources')).json()).canAdd).toBe(false);
  const jozefOnly = await loginAs(app, 'b@edu-ley.nl');
  expect(
    (
      await jozefOnly(
        '/api/sources',
        json('POST', { kind: 'google_news', school: null, settings: { query: 'Jozefschool' } }),
      )
    ).status,
  ).toBe(403);
  expect(
    (
      await jozefOnly(
        '/api/sources',
        json('POST', { kind: 'google_news', school: 'meander', settings: { query: 'x' } }),
      )
    ).status,
  ).toBe(400);
  expect(
    (
      await jozefOnly(
        '/api/sources',
        json('POST', { kind: 'google_news', school: 'jozef', settings: { query: '"Jozefschool"' } }),
      )
    ).status,
  ).toBe(201);
  const boardWide = (await (await jozefOnly('/api/sources')).json()).items.find(
    (s: { school: unknown; kind: string }) => s.kind === 'rss' && !s.school,
  );
  expect(boardWide).toMatchObject({ canEdit: false, address: null, settings: {} });
  expect((await jozefOnly(`/api/sources/${boardWide.id}`, json('PATCH', { enabled: false }))).status).toBe(403);
  const other = await loginAs(app, 'other@ander.nl');
  expect((await other(`/api/sources/${boardWide.id}`, json('PATCH', { enabled: false }))).status).toBe(404);
  expect((await other(`/api/sources/${boardWide.id}`, { method: 'DELETE' })).status).toBe(404);
});

test('bad input gets a clear message and changes nothing', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const cases: [unknown, string][] = [
    [
      { kind: 'bluesky_search', school: null, settings: { query: 'x', identifier: 'school.bsky.social' } },
      'app-wachtwoord',
    ],
    [{ kind: 'rss', school: null, url: 'ftp://example.org/feed' }, 'http'],
    [{ kind: 'youtube_channel', school: null, settings: { channel_id: '@school' } }, 'kanaal'],
    [{ kind: 'report', school: null }, 'één school'],
    [{ kind: 'bestaat-niet', school: null }, 'Onbekende bronsoort'],
  ];
  const before = await db.selectFrom('sources').select('id').execute();
  for (const [body, message] of cases) {
    const res = await req('/api/sources', json('POST', body));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain(message);
  }
  const res = await req('/api/sources', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{kapot',
  });
  expect(res.status).toBe(400);
  expect((await db.selectFrom('sources').select('id').execute()).length).toBe(before.length);
});

test('secrets are stored but never sent back, and an empty secret field keeps the stored one', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const { id } = await (
    await req(
      '/api/sources',
      json('POST', {
        kind: 'mastodon_tag',
        school: 'meander',
        settings: { instance: 'https://mastodon.example', tag: 'obsmeander', token: 'geheim-token' },
      }),
    )
  ).json();
  const listed = await (await req('/api/sources')).text();
  expect(listed).not.toContain('geheim-token');
  expect(JSON.parse(listed).items.find((s: { id: string }) => s.id === id).settings).toEqual({
    instance: 'https://mastodon.example',
    tag: 'obsmeander',
    token: { secret: true, set: true },
  });
  expect(
    (
      await req(
        `/api/sources/${id}`,
        json('PATCH', { settings: { instance: 'https://mastodon.example', tag: 'demeander', token: '' } }),
      )
    ).status,
  ).toBe(200);
  const row = await db
    .selectFrom('sources')
    .select(['settings', 'name'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  // kept, and sealed at rest (issue 17)
  expect(JSON.stringify(row.settings)).not.toContain('geheim-token');
  expect(openSettings('mastodon_tag', row.settings)).toEqual({
    instance: 'https://mastodon.example',
    tag: 'demeander',
    token: 'geheim-token',
  });
  const audits = await db.selectFrom('audit_log').select('details').where('target_id', '=', id).execute();
  expect(JSON.stringify(audits)).not.toContain('geheim-token');
});

test('"Test nu" shows what would be collected and what would match, and stores nothing', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const before = await countMentions();
  const r = await (await req('/api/sources/test', json('POST', { kind: 'rss', url: `${srv.base}/feed.xml` }))).json();
  expect(r).toMatchObject({ ok: true, total: 2, matching: 1 });
  expect(r.items[0]).toMatchObject({ title: 'De Meander wint de voorleeswedstrijd', schools: ['obs De Meander'] });
  const page = await (
    await req('/api/sources/test', json('POST', { kind: 'rss', url: `${srv.base}/site.html` }))
  ).json();
  expect(page).toMatchObject({ ok: false, discovered: [{ url: `${srv.base}/feed.xml`, title: 'Alle berichten' }] });
  const refused = await (
    await req('/api/sources/test', json('POST', { kind: 'rss', url: 'http://169.254.169.254/latest/meta-data/' }))
  ).json();
  expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('intern of privé') });
  // a misspelt address: said in Dutch, the resolver's own words folded away as the detail
  const nowhere = buildApp(db, {
    fetchOptions: {
      lookup: (host, _opts, cb) =>
        cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []),
    },
  });
  const typo = await (
    await (
      await loginAs(nowhere, 'all@edu-ley.nl')
    )('/api/sources/test', json('POST', { kind: 'rss', url: 'https://nieuws.voorbeld.nl/feed.xml' }))
  ).json();
  expect(typo).toMatchObject({
    ok: false,
    error: 'Het adres nieuws.voorbeld.nl bestaat niet of is niet te vinden. Controleer de spelling van de link.',
    errorDetail: expect.stringContaining('getaddrinfo ENOTFOUND nieuws.voorbeld.nl'),
  });
  expect(await countMentions()).toBe(before);
  const director = await loginAs(app, 'a@edu-ley.nl');
  expect((await director('/api/sources/test', json('POST', { kind: 'rss', url: `${srv.base}/feed.xml` }))).status).toBe(
    403,
  );
});

test('pause, resume and delete; deleting says how many mentions went with it', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const created = await req(
    '/api/sources',
    json('POST', { kind: 'bing_news', school: null, settings: { query: 'Meander' } }),
  );
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = await created.json();
  expect((await req(`/api/sources/${id}`, json('PATCH', { enabled: false }))).status).toBe(200);
  expect(
    (await db.selectFrom('sources').select('enabled').where('id', '=', id).executeTakeFirstOrThrow()).enabled,
  ).toBe(false);
  await req(`/api/sources/${id}`, json('PATCH', { enabled: true, intervalMinutes: 60 }));
  expect(
    await db
      .selectFrom('sources')
      .select(['enabled', 'interval_seconds'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  ).toEqual({ enabled: true, interval_seconds: 3600 });
  // communicatie pauses; deleting (with every post of the source) is for beheer
  expect((await req(`/api/sources/${id}`, { method: 'DELETE' })).status).toBe(403);
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
  // deleting is undoable for 30 days (issue 17): the source stops and keeps its posts
  const del = await beheer(`/api/sources/${id}`, { method: 'DELETE' });
  expect(await del.json()).toEqual({ ok: true, mentions: 0, undoUntil: expect.any(String) });
  const deleted = await db
    .selectFrom('sources')
    .select(['enabled', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(deleted.enabled).toBe(false);
  expect(deleted.deleted_at).not.toBeNull();
  const listed = (await (await beheer('/api/sources')).json()).items.find((s: { id: string }) => s.id === id);
  expect(listed.deletedAt).toEqual(expect.any(String));
  expect((await req(`/api/sources/${id}/restore`, { method: 'POST' })).status).toBe(403);
  expect((await beheer(`/api/sources/${id}/restore`, { method: 'POST' })).status).toBe(200);
  expect(
    (await db.selectFrom('sources').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()).deleted_at,
  ).toBeNull();
  // after 30 days a deleted source goes for good
  const { purgeDeletedSources } = await import('../../server/db/sources.ts');
  await beheer(`/api/sources/${id}`, { method: 'DELETE' });
  const later = new Date(Date.now() + 31 * 86_400_000);
  expect(await purgeDeletedSources(db, seed.boards['edu-ley'], new Date(Date.now() + 29 * 86_400_000))).toBe(0);
  expect(await purgeDeletedSources(db, seed.boards['edu-ley'], later)).toBe(1);
  expect(await db.selectFrom('sources').select('id').where('id', '=', id).execute()).toEqual([]);
  const actions = (
    await db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('id').execute()
  ).map((a) => a.action);
  expect(actions).toEqual([
    'source.create',
    'source.pause',
    'source.resume',
    'source.delete',
    'source.restore',
    'source.delete',
  ]);
});

test('staff add a mention by pasting a link (the page is read) or a text', async () => {
  const req = await loginAs(app, 'b@edu-ley.nl');
  const res = await req('/api/mentions', json('POST', { school: 'jozef', url: `${srv.base}/artikel.html` }));
  expect(res.status).toBe(201);
  const { id } = await res.json();
  const m = await (await req(`/api/mentions/${id}`)).json();
  expect(m).toMatchObject({
    title: 'Ophef over schoolplein Jozefschool',
    text: 'Ouders zijn boos over het nieuwe plein.',
    author: 'Lokaal Nieuws',
    origin: 'manual',
    schools: [{ slug: 'jozef' }],
    source: { kind: 'manual' },
  });
  const again = await req('/api/mentions', json('POST', { school: 'jozef', url: `${srv.base}/artikel.html` }));
  expect(again.status).toBe(200);
  expect(await again.json()).toMatchObject({ id, duplicate: true });
  const text = await req(
    '/api/mentions',
    json('POST', { school: 'jozef', text: 'In de WhatsApp-groep van groep 5 gaat een gerucht rond over de juf.' }),
  );
  expect(text.status).toBe(201);
  expect((await req('/api/mentions', json('POST', { school: 'jozef' }))).status).toBe(400);
  expect((await req('/api/mentions', json('POST', { school: 'meander', text: 'x' }))).status).toBe(403);
  // a link that cannot be read is not stored as a post made of its own address: the text is asked for
  const before = await countMentions();
  const unreadable = await req('/api/mentions', json('POST', { school: 'jozef', url: 'http://10.0.0.1/intern' }));
  expect(unreadable.status).toBe(422);
  expect(await unreadable.json()).toMatchObject({
    needText: true,
    error: expect.stringMatching(
      /^De pagina kon niet gelezen worden: .*intern of privé.* Plak de tekst van het bericht erbij\.$/,
    ),
  });
  expect(await countMentions()).toBe(before);
  const withText = await req(
    '/api/mentions',
    json('POST', {
      school: 'jozef',
      url: 'http://10.0.0.1/intern',
      text: 'Tekst uit het intranetbericht over de Jozefschool.',
    }),
  );
  expect(withText.status).toBe(201);
  expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'mention.add').execute()).toHaveLength(
    3,
  );
});

test("a mention added by hand is collected at the app's clock, and its inbox at that clock lists it", async () => {
  const past = new Date('2025-03-10T12:00:00Z');
  await ensureMentionPartitions(db, past, 1);
  const then = buildApp(db, { fetchOptions: { allow: [srv.hostPort] }, now: () => past });
  const req = await loginAs(then, 'b@edu-ley.nl');
  const text = 'Op het schoolplein van de Jozefschool ligt sinds maart een berg zand.';
  const res = await req('/api/mentions', json('POST', { school: 'jozef', text }));
  expect(res.status).toBe(201);
  const { id } = await res.json();
  const row = await db.selectFrom('mentions').select('created_at').where('id', '=', id).executeTakeFirstOrThrow();
  expect(row.created_at.toISOString()).toBe(past.toISOString());
  const page = await (await req('/api/mentions?school=jozef&q=zand')).json();
  expect(page.items.map((m: { id: string }) => m.id)).toEqual([id]);
});
