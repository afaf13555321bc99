import { sql } from 'kysely';
import { beforeEach, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ensureMentionPartitions } from '../../server/db/partitions.ts';
import { freshDatabase } from '../support/db.ts';
import { loginAs } from '../support/http.ts';
import { seedTwoBoards } from '../support/seed.ts';

// The public meldpunt: a plain form per school, no login; reports enter the pipeline marked as
// reported, with size limits, a honeypot, a rate limit per address, and contact details that are
// shown to staff only on request (and audited).
const conn = await freshDatabase();
const db = conn.db;
const seed = await seedTwoBoards(db);
const meander = seed.school('edu-ley', 'meander');
const report = await db
  .insertInto('sources')
  .values({ board_id: seed.boards['edu-ley'], school_id: meander, kind: 'report', name: 'Meldpunt De Meander' })
  .returning('id')
  .executeTakeFirstOrThrow();
const app = buildApp(db);
beforeEach(async () => {
  await db.deleteFrom('report_throttle').execute();
});

const post = (path: string, fields: Record<string, string>) =>
  app.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
const reported = () => db.selectFrom('mentions').selectAll().where('origin', '=', 'reported').execute();

test('shows a Dutch form for the school, English on request, and nothing for unknown schools', async () => {
  const res = await app.request('/meld/meander');
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('Melding doen bij obs De Meander');
  expect(html).toContain('WhatsApp');
  expect(html).toContain('Bel 112');
  expect(html).toContain('name="website"'); // the honeypot
  expect(await (await app.request('/meld/meander?lang=en')).text()).toContain('Report something to obs De Meander');
  expect((await app.request('/meld/edu-ley/meander')).status).toBe(200);
  // The other board's school with the same slug has no meldpunt, and unknown schools get a 404.
  expect((await app.request('/meld/ander-bestuur/meander')).status).toBe(404);
  expect((await app.request('/meld/bestaat-niet')).status).toBe(404);
});

test('a report enters the inbox marked as reported, with its school, and the contact kept apart', async () => {
  const res = await post('/meld/meander', {
    text: 'In de klassenapp van groep 7 wordt een meisje uitgescholden.',
    seenOn: 'whatsapp',
    link: '',
    screenshot: 'Screenshot van drie berichten met scheldwoorden',
    contact: 'Sanne, 06-12345678',
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('je melding is ontvangen');
  const [m] = await reported();
  expect(m).toMatchObject({ title: 'Melding: gezien op WhatsApp', source_id: report.id, origin: 'reported' });
  expect(m.body).toContain('uitgescholden');
  expect(m.body).toContain('Schermafbeelding: Screenshot van drie berichten');
  expect(m.body).not.toContain('06-12345678');
  const req = await loginAs(app, 'a@edu-ley.nl');
  const list = await (await req('/api/mentions')).json();
  expect(list.items.find((i: { id: string }) => i.id === m.id)).toMatchObject({
    reported: true,
    origin: 'reported',
    schools: [{ slug: 'meander' }],
  });
  const detail = await (await req(`/api/mentions/${m.id}`)).json();
  expect(detail.report).toEqual({
    screenshotDescription: 'Screenshot van drie berichten met scheldwoorden',
    hasContact: true,
    held: false,
  });
  expect(JSON.stringify(detail)).not.toContain('06-12345678');
  expect(await (await req(`/api/mentions/${m.id}/report-contact`, { method: 'POST' })).json()).toEqual({
    contact: 'Sanne, 06-12345678',
  });
  expect(
    await db.selectFrom('audit_log').select('actor').where('action', '=', 'report.contact_viewed').execute(),
  ).toEqual([{ actor: 'a@edu-ley.nl' }]);
  // Staff of another school cannot see it.
  const jozef = await loginAs(app, 'b@edu-ley.nl');
  expect((await jozef(`/api/mentions/${m.id}/report-contact`, { method: 'POST' })).status).toBe(404);
});

test('bad input is refused with a clear message and keeps what was typed; nothing is stored', async () => {
  const before = (await reported()).length;
  const empty = await post('/meld/meander', { text: '   ', contact: 'mijn gegevens' });
  expect(empty.status).toBe(400);
  const html = await empty.text();
  expect(html).toContain('Beschrijf wat je gezien hebt.');
  expect(html).toContain('value="mijn gegevens"');
  const badLink = await post('/meld/meander', { text: 'iets', link: 'javascript:alert(1)' });
  expect(badLink.status).toBe(400);
  expect(await badLink.text()).toContain('http://');
  expect((await post('/meld/meander', { text: 'x'.repeat(5001) })).status).toBe(400);
  const huge = await post('/meld/meander', { text: 'x'.repeat(40_000) });
  expect(huge.status).toBe(413);
  const xss = await post('/meld/meander', { text: '', contact: '"><script>alert(1)</script>' });
  expect(await xss.text()).not.toContain('<script>alert(1)');
  expect((await reported()).length).toBe(before);
});

test('a filled honeypot looks like success to the bot and stores nothing', async () => {
  const before = (await reported()).length;
  const res = await post('/meld/meander', { text: 'Koop goedkope horloges', website: 'https://spam.example' });
  expect(res.status).toBe(200);
  expect((await reported()).length).toBe(before);
});

test('at most five reports an hour from one address', async () => {
  for (let i = 0; i < 5; i++)
    expect((await post('/meld/meander', { text: `Melding ${i} over de school` })).status).toBe(200);
  const sixth = await post('/meld/meander', { text: 'Nog een' });
  expect(sixth.status).toBe(429);
  expect(await sixth.text()).toContain('Probeer het later nog eens');
  // The throttle keeps a salted hash, not the address.
  const keys = await db.selectFrom('report_throttle').select('key').execute();
  expect(keys.every((k) => !k.key.includes('unknown') && k.key.length === 22)).toBe(true);
});

const from = (path: string, fields: Record<string, string>, remoteAddress: string) =>
  app.request(
    path,
    {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    { incoming: { socket: { remoteAddress } } },
  );

test('the limit counts an IPv4 /24 and an IPv6 /64 together, so hopping addresses buys nothing', async () => {
  for (let i = 1; i <= 5; i++)
    expect((await from('/meld/meander', { text: `Melding ${i}` }, `192.0.2.${i}`)).status).toBe(200);
  const neighbour = await from('/meld/meander', { text: 'Nog een' }, '192.0.2.200');
  expect(neighbour.status).toBe(429);
  expect(await neighbour.text()).toContain('Vanaf jouw netwerk');
  expect((await from('/meld/meander', { text: 'Ander netwerk' }, '192.0.3.1')).status).toBe(200);
  // The same IPv4 address written as IPv6 is the same range.
  expect((await from('/meld/meander', { text: 'Via IPv6-vorm' }, '::ffff:192.0.2.9')).status).toBe(429);
  for (let i = 1; i <= 5; i++)
    expect((await from('/meld/meander', { text: `v6 ${i}` }, `2001:db8:0:7::${i}`)).status).toBe(200);
  expect((await from('/meld/meander', { text: 'v6 zes' }, '2001:db8::7:ffff:1:2:3')).status).toBe(429);
  expect((await from('/meld/meander', { text: 'v6 ander' }, '2001:db8:0:8::1')).status).toBe(200);
});

test('past the absolute ceiling the page says the school is flooded, without blaming the reporter', async () => {
  // 300 held reports of the last hour (stored directly: sending them would only take long).
  const { rows } = await sql<{ id: string }>`
    insert into mentions (board_id, source_id, external_id, title, body, origin, published_at, search_text)
    select ${seed.boards['edu-ley']}, ${report.id}, 'flood-' || g, '', 'vloed', 'reported', now(), ''
    from generate_series(1, 300) g returning id`.execute(db);
  await sql`insert into mention_keys (source_id, external_id, mention_id)
    select source_id, external_id, id from mentions where external_id like 'flood-%'`.execute(db);
  await db
    .insertInto('reports')
    .values(rows.map((r) => ({ mention_id: r.id, school_id: meander, held: true })))
    .execute();
  const before = (await reported()).length;
  const res = await from('/meld/meander', { text: 'Er gebeurt iets ergs' }, '198.51.100.20');
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBeTruthy();
  const html = await res.text();
  expect(html).toContain('Er komen nu erg veel meldingen binnen voor deze school');
  expect(html).not.toContain('Vanaf jouw netwerk');
  expect((await reported()).length).toBe(before);
  await db
    .deleteFrom('reports')
    .where(
      'mention_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  await db
    .deleteFrom('mentions')
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
});

test('a paused meldpunt is closed', async () => {
  await db.updateTable('sources').set({ enabled: false }).where('id', '=', report.id).execute();
  const res = await app.request('/meld/meander');
  expect(res.status).toBe(410);
  expect(await res.text()).toContain('gesloten');
  expect((await post('/meld/meander', { text: 'iets' })).status).toBe(410);
  await db.updateTable('sources').set({ enabled: true }).where('id', '=', report.id).execute();
});

test('the scheduler never fetches a meldpunt', async () => {
  const { claimSources } = await import('../../workers/scheduler.ts');
  const claimed = await claimSources(db, 'test', 100, { all: true });
  expect(claimed.map((s) => s.kind)).not.toContain('report');
});

test("a report is collected at the app's clock, which also says its month", async () => {
  const past = new Date('2025-03-10T12:00:00Z');
  await ensureMentionPartitions(db, past, 1);
  const then = buildApp(db, { now: () => past });
  const res = await then.request('/meld/meander', {
    method: 'POST',
    body: new URLSearchParams({ text: 'Bij het hek van De Meander staat elke ochtend een auto met draaiende motor.' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(200);
  const m = (await reported()).find((r) => r.body.includes('draaiende motor'))!;
  expect(m.created_at.toISOString()).toBe(past.toISOString());
  expect(m.published_at.toISOString()).toBe(past.toISOString());
});
