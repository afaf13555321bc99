import { afterAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { queueDigests, sendPending } from '../../workers/mail/outbox.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';
import { startSmtpSink } from '../support/smtpSink.ts';

// Urgent cases mail the responsible people at once, the rest comes in a daily digest; mails never
// carry anything from the posts, go through an outbox and survive a refusing server.
const { db, seed, source, meander } = await eduLeyFixture();
const sink = await startSmtpSink();
const ALLOW = [`127.0.0.1:${sink.port}`, '127.0.0.1:2525'];
const app = buildApp(db, { fetchOptions: { allow: ALLOW } });
afterAll(() => sink.close());
const boardId = seed.boards['edu-ley'];
await db
  .insertInto('users')
  .values({
    email: 'beheer@edu-ley.nl',
    board_id: boardId,
    role: 'beheer',
    password_hash: await hashPassword(PASSWORD),
    all_schools: true,
  })
  .execute();
await db
  .insertInto('school_contacts')
  .values([
    { school_id: meander, role: 'directie', name: 'Anouk Verbeek', email: 'directie@meander.example.nl' },
    { school_id: meander, role: 'teamleider', name: 'Joost Hendriks', email: 'teamleider@meander.example.nl' },
    { school_id: meander, role: 'leidinggevende', name: 'Kees Bakker', email: 'leiding@meander.example.nl' },
  ])
  .execute();
// Every clock is this one (the posts, the pipeline, the outbox, the digest), so the test means the
// same on any day it runs.
const at = new Date('2026-11-23T04:00:00Z'); // 05:00 in Amsterdam
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const json = (body: unknown, method = 'PUT') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const threat = (id: string) => ({
  externalId: id,
  url: `https://x.example/${id}`,
  title: '',
  text: 'Die meester van De Meander, Jan Pietersen, ik weet waar hij woont. Pas maar op.',
  author: null,
  publishedAt: later(-30),
});
const settings = {
  host: '127.0.0.1',
  port: sink.port,
  security: 'none',
  username: null,
  fromAddress: 'klankbord@edu-ley.example.nl',
  dashboardUrl: 'https://klankbord.edu-ley.example.nl/',
  digestHour: 7,
};

test('without SMTP settings nothing is queued', async () => {
  await processItems(
    db,
    source,
    [{ ...threat('t0'), text: 'Ik steek die directeur van De Meander neer, vanavond bij het hek.' }],
    { schoolIds: [meander], now: at },
  );
  expect(await db.selectFrom('case_actions').select('type').where('type', '=', 'report_police').execute()).toHaveLength(
    1,
  );
  expect(await db.selectFrom('notifications').select('id').execute()).toEqual([]);
});

test('only beheer sets up mail; the password is write-only and a test mail reaches the sink', async () => {
  const comms = await loginAs(app, 'all@edu-ley.nl');
  expect((await comms('/api/board/mail', json(settings))).status).toBe(403);
  const beheer = await loginAs(app, 'beheer@edu-ley.nl');
  const bad = await beheer(
    '/api/board/mail',
    json({ ...settings, host: 'smtp.example.nl; rm -rf', dashboardUrl: 'javascript:alert(1)' }),
  );
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/SMTP-server.*dashboard/s);
  expect(
    (await beheer('/api/board/mail', json({ ...settings, username: 'klankbord', password: 'geheim' }))).status,
  ).toBe(200);
  const got = await (await beheer('/api/board/mail')).json();
  expect(got.settings).toMatchObject({ host: '127.0.0.1', passwordSet: true, username: 'klankbord' });
  expect(JSON.stringify(got)).not.toContain('geheim');
  expect((await beheer('/api/board/mail', json(settings))).status).toBe(200); // the sink speaks no AUTH
  const r = await beheer('/api/board/mail', { method: 'POST' });
  expect(r.status).toBe(404);
  expect((await beheer('/api/board/mail/test', { method: 'POST' })).status).toBe(200);
  expect(sink.received.at(-1)).toMatchObject({ to: ['beheer@edu-ley.nl'] });
  const audited = await db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('action', '=', 'board.mail_update')
    .execute();
  expect(JSON.stringify(audited)).not.toContain('geheim');
});

test('a threat alerts the school’s directeur and leidinggevende at once, with a link and nothing from the post', async () => {
  sink.received.length = 0;
  await processItems(db, source, [threat('t1')], { schoolIds: [meander], now: at });
  const queued = await db.selectFrom('notifications').selectAll().where('kind', '=', 'alert').execute();
  expect(queued).toHaveLength(1);
  expect(queued[0]!.recipients.sort()).toEqual(['directie@meander.example.nl', 'leiding@meander.example.nl']);
  expect(await sendPending(db, 20, at, ALLOW)).toEqual({ sent: 1, failed: 0 });
  const mail = sink.received[0]!;
  expect(mail.to.sort()).toEqual(['directie@meander.example.nl', 'leiding@meander.example.nl']);
  // as a mail client reads it: quoted-printable soft line breaks joined
  const body = mail.data.replace(/=\r?\n/g, '');
  expect(body).toContain('Politie: aangifte of melding');
  expect(body).toMatch(/https:\/\/klankbord\.edu-ley\.example\.nl\/#\/acties\/\d+/);
  for (const leaked of ['Pietersen', 'woont', 'Pas maar op']) expect(mail.data).not.toContain(leaked);
  const events = await db.selectFrom('case_events').select('kind').where('case_id', '=', queued[0]!.case_id!).execute();
  expect(events.map((e) => e.kind)).toContain('alert');
});

test('discrimination and sexual content involving pupils alert at once, like a threat, with nothing from the post', async () => {
  sink.received.length = 0;
  const posts = [
    {
      externalId: 'disc',
      url: null,
      title: '',
      text: 'Die vieze Marokkanen van De Meander moeten gewoon terug naar hun eigen land.',
      author: null,
      publishedAt: later(-20),
    },
    {
      externalId: 'sex',
      url: null,
      title: '',
      text: 'Er gaat een naaktfoto van een meisje uit groep 8 van De Meander rond in de klassenapp.',
      author: null,
      publishedAt: later(-15),
    },
  ];
  await processItems(db, source, posts, { schoolIds: [meander], now: at });
  for (const id of ['disc', 'sex']) {
    const row = await db
      .selectFrom('case_mentions as cm')
      .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
      .innerJoin('notifications as n', 'n.case_id', 'cm.case_id')
      .select(['n.kind', 'n.subject', 'n.body'])
      .where('m.external_id', '=', id)
      .where('n.kind', '=', 'alert')
      .executeTakeFirst();
    expect(row, id).toBeDefined();
    for (const leaked of ['Marokkanen', 'naaktfoto', 'klassenapp'])
      expect(`${row!.subject} ${row!.body}`).not.toContain(leaked);
  }
  const sexual = await db
    .selectFrom('case_actions as a')
    .innerJoin('case_mentions as cm', 'cm.case_id', 'a.case_id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select('a.type')
    .where('m.external_id', '=', 'sex')
    .execute();
  expect(sexual.map((a) => a.type)).toEqual(expect.arrayContaining(['report_police', 'meldcode', 'escalate']));
  expect(await sendPending(db, 20, at, ALLOW)).toMatchObject({ failed: 0 });
});

test('an ordinary negative post waits for the digest', async () => {
  const before = (await db.selectFrom('notifications').select('id').execute()).length;
  await processItems(
    db,
    source,
    [
      {
        externalId: 'neg',
        url: null,
        title: '',
        text: 'Weer lesuitval op De Meander, slecht geregeld.',
        author: null,
        publishedAt: later(-10),
      },
    ],
    { schoolIds: [meander], now: at },
  );
  expect((await db.selectFrom('notifications').select('id').execute()).length).toBe(before);
});

test('a refusing server is retried later; the mail is not lost', async () => {
  await processItems(
    db,
    source,
    [{ ...threat('t2'), text: 'Ik steek die juf van de Jozefschool neer, ik weet waar ze woont.' }],
    { schoolIds: [seed.school('edu-ley', 'jozef')], now: at },
  );
  sink.fail(1);
  expect(await sendPending(db, 20, at, ALLOW)).toEqual({ sent: 0, failed: 1 });
  const row = await db.selectFrom('notifications').selectAll().where('state', '=', 'pending').executeTakeFirstOrThrow();
  expect(row).toMatchObject({ attempts: 1 });
  expect(row.last_error).toMatch(/451/);
  expect(await sendPending(db, 20, at, ALLOW)).toEqual({ sent: 0, failed: 0 }); // not due yet
  expect(await sendPending(db, 20, later(2), ALLOW)).toEqual({ sent: 1, failed: 0 });
});

test('the daily digest is queued once per day after its hour, per user, without post text', async () => {
  sink.received.length = 0;
  const early = later(60); // 06:00 in Amsterdam, before the digest hour
  expect(await queueDigests(db, early)).toBe(0);
  const morning = later(150); // 07:30 in Amsterdam
  const n = await queueDigests(db, morning);
  expect(n).toBe(3); // all@ and a@ (directie, De Meander) and b@ (communicatie, Jozefschool)
  expect(await queueDigests(db, later(11 * 60))).toBe(0);
  await sendPending(db, 20, morning, ALLOW);
  const forA = sink.received.find((m) => m.to.includes('a@edu-ley.nl'))!;
  expect(forA.data).toContain('Dagoverzicht');
  expect(forA.data).toContain('obs De Meander');
  expect(forA.data).not.toContain('St. Jozefschool');
  for (const leaked of ['Pietersen', 'woont', 'lesuitval']) expect(forA.data).not.toContain(leaked);
  expect(await queueDigests(db, later(24 * 60 + 150))).toBe(3);
});

test('a stored SMTP password goes only to the server, user and security it was entered for', async () => {
  const beheer = await loginAs(app, 'beheer@edu-ley.nl');
  const withPassword = { ...settings, security: 'starttls', username: 'klankbord', password: 'SMTP-GEHEIM' };
  expect((await beheer('/api/board/mail', json(withPassword))).status).toBe(200);
  const { password: _, ...same } = withPassword;
  const kept = await (await beheer('/api/board/mail', json(same))).json();
  expect(kept).toEqual({ ok: true });
  expect((await (await beheer('/api/board/mail')).json()).settings.passwordSet).toBe(true);
  for (const change of [{ port: 2525 }, { username: 'iemand-anders' }, { security: 'none' }]) {
    expect((await beheer('/api/board/mail', json(withPassword))).status).toBe(200);
    const r = await (await beheer('/api/board/mail', json({ ...same, ...change }))).json();
    expect(r.notice, JSON.stringify(change)).toMatch(/wachtwoord is vervallen/);
    expect((await (await beheer('/api/board/mail')).json()).settings.passwordSet).toBe(false);
  }
  const last = await db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'board.mail_update')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(JSON.stringify(last.details)).toContain('vervallen');
  expect((await beheer('/api/board/mail', json(settings))).status).toBe(200);
});

test('sending checks the mail server again: an internal address not allow-listed is refused at send time', async () => {
  await db.updateTable('notifications').set({ state: 'pending', attempts: 1, send_after: at }).execute();
  const n = (await db.selectFrom('notifications').select('id').execute()).length;
  expect(n).toBeGreaterThan(0);
  expect(await sendPending(db, 100, later(60 * 24 * 30), [])).toEqual({ sent: 0, failed: n });
  const errors = await db.selectFrom('notifications').select('last_error').execute();
  expect(errors.every((e) => /intern of privé adres/.test(e.last_error ?? ''))).toBe(true);
});
