import { spawnSync } from 'node:child_process';
import { afterAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { winAnsi } from '../../server/overview/reportPdf.ts';
import { queueMonthlyReports } from '../../workers/mail/monthlyReports.ts';
import { sendPending } from '../../workers/mail/outbox.ts';
import { processItems } from '../../workers/pipeline.ts';
import { rollupStats } from '../../workers/stats/rollup.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';
import { startSmtpSink } from '../support/smtpSink.ts';

// The monthly report: the overview of one calendar month against the month before, as a PDF made on
// the server (read back here as text with pdftotext) and as an opt-in e-mail through the outbox.
// Counts, themes and points only; the viewer's schools only. Every clock is fixed.
const NOW = new Date('2026-11-02T09:00:00Z');
const { db, seed, source } = await eduLeyFixture();
const app = buildApp(db, { now: () => NOW });
const meander = seed.school('edu-ley', 'meander');
const sink = await startSmtpSink();
afterAll(() => sink.close());
const post = (externalId: string, text: string, publishedAt: string) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: new Date(publishedAt),
});
await processItems(
  db,
  source,
  [
    ...[6, 9, 13, 20].map((d, i) =>
      post(
        `les${i}`,
        `Alweer lesuitval op De Meander, groep ${i + 5} zit thuis. Slecht geregeld.`,
        `2026-10-${String(d).padStart(2, '0')}T10:00:00Z`,
      ),
    ),
    ...[7, 8, 15].map((d, i) =>
      post(
        `mus${i}`,
        `Wat een prachtige musical van De Meander, de kinderen zongen geweldig (${i}).`,
        `2026-10-${String(d).padStart(2, '0')}T18:00:00Z`,
      ),
    ),
    post(
      'joz1',
      'De Jozefschool heeft een nieuw schoolplein, slecht gepland want het is steeds dicht.',
      '2026-10-12T08:00:00Z',
    ),
    post('old1', 'Lesuitval op De Meander, dat is echt slecht.', '2026-09-14T10:00:00Z'),
    post('old2', 'De Meander organiseert een ouderavond over de nieuwe methode.', '2026-09-20T10:00:00Z'),
  ],
  { now: NOW },
);
await db
  .insertInto('school_points')
  .values([
    {
      school_id: meander,
      kind: 'sterk',
      text: 'Musical met één stem gebracht — veel lof',
      created_by: 'a@edu-ley.nl',
      created_at: new Date('2026-10-16T10:00:00Z'),
    },
    {
      school_id: meander,
      kind: 'verbeter',
      text: 'Vervanging bij ziekte eerder melden',
      created_by: 'a@edu-ley.nl',
      created_at: new Date('2026-10-21T10:00:00Z'),
    },
    {
      school_id: meander,
      kind: 'verbeter',
      text: 'Punt uit september',
      created_by: 'a@edu-ley.nl',
      created_at: new Date('2026-09-21T10:00:00Z'),
    },
  ])
  .execute();
while ((await rollupStats(db)).days);

const pdfText = (pdf: Uint8Array) => {
  const r = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftotext: ${r.stderr || r.error}`);
  return r.stdout;
};
const squeeze = (s: string) => s.replace(/\s+/g, ' ');

test('a director downloads the month as an A4 PDF: summary, figures against last month, themes and points, no posts', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const res = await req('/api/reports/monthly.pdf?month=2026-10&school=meander');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toBe(
    'attachment; filename="klankbord-maandrapport-2026-10-meander.pdf"',
  );
  const pdf = new Uint8Array(await res.arrayBuffer());
  expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
  const text = pdfText(pdf);
  const flat = squeeze(text);
  expect(flat).toContain('Maandrapport oktober 2026 — obs De Meander');
  expect(flat).toContain('Vergeleken met september 2026');
  expect(flat).toContain('Meer berichten dan de vorige periode (7 tegen 2).');
  expect(text).toMatch(/Berichten\s+7\s+2/);
  expect(text).toMatch(/Negatief\s+4 \(57,1%\)\s+1 \(50%\)/);
  expect(flat).toContain('lesuitval (4)');
  expect(flat).toContain('musical');
  expect(flat).toContain('Musical met één stem gebracht — veel lof');
  expect(flat).toContain('Vervanging bij ziekte eerder melden');
  expect(flat).not.toContain('Punt uit september');
  expect(flat).not.toContain('Jozef');
  expect(flat).not.toContain('groep 5 zit thuis');
  expect(flat).not.toContain('zongen geweldig');
  expect(flat).toMatch(/bronnen? werkten? in oktober 2026/);
  expect(text).toContain('pagina 1 van');
  const audited = await db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('action', '=', 'export.monthly_report')
    .execute();
  expect(audited).toHaveLength(1);
});

test('a board report has a table per school; the print view reads the same report as JSON', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const res = await req('/api/reports/monthly.pdf?month=2026-10');
  expect(res.headers.get('content-disposition')).toContain('klankbord-maandrapport-2026-10-edu-ley.pdf');
  const text = pdfText(new Uint8Array(await res.arrayBuffer()));
  expect(squeeze(text)).toContain('Maandrapport oktober 2026 — Edu-Ley (hele bestuur)');
  expect(text).toMatch(/obs De Meander\s+7\s+57,1%/);
  expect(text).toMatch(/St\. Jozefschool\s+1\s+100%/);
  expect(squeeze(text)).toContain('obs De Meander: Vervanging bij ziekte eerder melden');
  const json = await (await req('/api/reports/monthly?month=2026-10')).json();
  expect(json.figures.find((f: { key: string }) => f.key === 'mentions')).toMatchObject({ now: 8, before: 2 });
  expect(json.perSchool.map((s: { name: string }) => s.name).sort()).toEqual(['St. Jozefschool', 'obs De Meander']);
  expect(JSON.stringify(json)).not.toContain('zit thuis');
});

test('a viewer gets only their own schools: 403 for another school, nothing from another board', async () => {
  const a = await loginAs(app, 'a@edu-ley.nl');
  const denied = await a('/api/reports/monthly.pdf?month=2026-10&school=jozef');
  expect(denied.status).toBe(403);
  expect((await denied.json()).error).toBe('Geen toegang tot deze school');
  const other = await loginAs(app, 'other@ander.nl');
  // the other board has a school called meander too: theirs, empty, never Edu-Ley's
  const theirs = squeeze(
    pdfText(new Uint8Array(await (await other('/api/reports/monthly.pdf?month=2026-10&school=meander')).arrayBuffer())),
  );
  expect(theirs).toContain('cbs Meander Oost');
  expect(theirs).toContain('Geen berichten in deze periode en de periode ervoor.');
  expect(theirs).not.toContain('lesuitval');
});

test('a bad or future month is refused with a clear Dutch message', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  for (const month of ['2026-13', 'oktober', '2026-1', '']) {
    const res = await req(`/api/reports/monthly.pdf?month=${month}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain('kies een maand (JJJJ-MM)');
  }
  expect((await req('/api/reports/monthly.pdf')).status).toBe(400);
  const future = await req('/api/reports/monthly.pdf?month=2026-12');
  expect(future.status).toBe(400);
  expect((await future.json()).error).toBe('Deze maand is nog niet begonnen.');
  // the month that is running may be looked at (so far)
  expect((await req('/api/reports/monthly.pdf?month=2026-11')).status).toBe(200);
});

test('text outside the PDF fonts is spelled out, Dutch letters and dashes stay', () => {
  expect(winAnsi('één — café “x” 5 → 6, ≥ 3, Łódź, 😀')).toBe('één — café “x” 5 -> 6, >= 3, Lódz, ?');
});

const json = (body: unknown) => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const reports = () => db.selectFrom('notifications').selectAll().where('kind', '=', 'report').orderBy('id').execute();

test('users opt in to the monthly mail themselves; a bad body gets a Dutch message', async () => {
  const a = await loginAs(app, 'a@edu-ley.nl');
  expect(await (await a('/api/me/monthly-report')).json()).toEqual({ on: false });
  const bad = await a('/api/me/monthly-report', json({ on: 'ja' }));
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toContain('maandrapport');
  expect(await (await a('/api/me/monthly-report', json({ on: true }))).json()).toEqual({ on: true });
  expect(await (await a('/api/me/monthly-report')).json()).toEqual({ on: true });
});

test('without SMTP settings no report is queued', async () => {
  expect(await queueMonthlyReports(db, NOW)).toBe(0);
  expect(await reports()).toEqual([]);
});

test('in the first days of a month each opted-in user gets last month once, with the PDF attached', async () => {
  await db
    .insertInto('mail_settings')
    .values({
      board_id: seed.boards['edu-ley'],
      host: '127.0.0.1',
      port: sink.port,
      security: 'none',
      from_address: 'klankbord@edu-ley.example.nl',
      dashboard_url: 'https://klankbord.edu-ley.example.nl/',
    })
    .execute();
  expect(await queueMonthlyReports(db, NOW)).toBe(1);
  expect(await queueMonthlyReports(db, new Date('2026-11-05T09:00:00Z'))).toBe(0);
  const [mail, ...more] = await reports();
  expect(more).toEqual([]);
  // all@ (every school) did not opt in, so the board-wide report went to nobody
  expect(mail.recipients).toEqual(['a@edu-ley.nl']);
  expect(mail.subject).toBe('[Klankbord] Maandrapport oktober 2026 — obs De Meander');
  expect(mail.body).toContain('Meer berichten dan de vorige periode (7 tegen 2).');
  expect(mail.body).toContain('https://klankbord.edu-ley.example.nl/#/rapport?month=2026-10');
  expect(mail.body).not.toContain('zit thuis');
  expect(mail.attachment_name).toBe('klankbord-maandrapport-2026-10-meander.pdf');
  const text = squeeze(pdfText(mail.attachment!));
  expect(text).toContain('Maandrapport oktober 2026 — obs De Meander');
  expect(text).not.toContain('Jozef');

  const sent = await sendPending(db, 20, NOW, [`127.0.0.1:${sink.port}`]);
  expect(sent).toEqual({ sent: 1, failed: 0 });
  const data = sink.received.at(-1)!.data;
  expect(data).toMatch(/Content-Type: application\/pdf/i);
  expect(data).toContain('klankbord-maandrapport-2026-10-meander.pdf');
  // the outbox keeps no copy of the report once it is out
  expect((await reports())[0]).toMatchObject({ state: 'sent', attachment: null, attachment_name: null });
});

test('several workers at once queue a month once; after the first week and for opted-out users nothing', async () => {
  const early = new Date('2026-12-01T06:00:00Z');
  const runs = await Promise.all([1, 2, 3].map(() => queueMonthlyReports(db, early)));
  expect(runs.reduce((a, n) => a + n, 0)).toBe(1);
  expect((await reports()).map((r) => r.subject)).toEqual([
    '[Klankbord] Maandrapport oktober 2026 — obs De Meander',
    '[Klankbord] Maandrapport november 2026 — obs De Meander',
  ]);
  const a = await loginAs(app, 'a@edu-ley.nl');
  await a('/api/me/monthly-report', json({ on: false }));
  expect(await queueMonthlyReports(db, new Date('2027-01-02T09:00:00Z'))).toBe(0);
  await a('/api/me/monthly-report', json({ on: true }));
  expect(await queueMonthlyReports(db, new Date('2027-01-08T09:00:00Z'))).toBe(0);
  expect(await reports()).toHaveLength(2);
});
