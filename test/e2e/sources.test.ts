import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';
import { processItems } from '../../workers/pipeline.ts';

// A communications officer adds a source the way a new user would (a web page address, "Test nu",
// picking the feed it links to), pauses it; a parent uses the meldpunt; staff add a forwarded text.
const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let base = '';
let browser: Browser;
let page: Page;
let site: Awaited<ReturnType<typeof fixtureServer>>;

beforeAll(async () => {
  const { boardId } = await seedDemo(conn.db, PASSWORD);
  const paper = await conn.db
    .insertInto('sources')
    .values({ board_id: boardId, kind: 'rss', name: 'Amersfoortse Courant', url: 'https://courant.example/rss' })
    .returning(['id', 'board_id', 'school_id', 'kind'])
    .executeTakeFirstOrThrow();
  await processItems(conn.db, paper, [
    {
      externalId: 'g1',
      url: 'https://courant.example/gymzaal',
      title: 'Sint Jozefschool krijgt nieuwe gymzaal',
      text: 'De gemeente betaalt de bouw.',
      author: null,
      publishedAt: new Date(),
    },
  ]);
  site = await fixtureServer({
    '/': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><title>Stadskrant</title><link rel="alternate" type="application/rss+xml" title="Stadskrant nieuws" href="/rss"></head><body>Welkom</body></html>',
        ),
    '/rss': (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>Stadskrant</title>
      <item><guid>s1</guid><title>Sint Jozefschool krijgt nieuwe gymzaal</title><link>https://stadskrant.example/1</link></item>
      <item><guid>s2</guid><title>Markt verhuist naar het plein</title><link>https://stadskrant.example/2</link></item></channel></rss>`),
  });
  const app = buildApp(conn.db, { webDir: WEB_DIST, fetchOptions: { allow: [site.hostPort] } });
  dashboard = await openDashboard(app);
  base = dashboard.base;
  if (dashboard.browser && dashboard.page) {
    browser = dashboard.browser;
    page = dashboard.page;
    page.on('dialog', (d) => void d.accept());
  }
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
  await site?.close();
});

describe.skipIf(!hasChromium)('sources, meldpunt and staff additions in Chromium', () => {
  test('adds a feed from a web page address via "Test nu", then pauses it', async () => {
    await signIn(page, base, 'communicatie@edu-ley.demo', PASSWORD);
    await page.getByRole('link', { name: 'Bronnen' }).click();
    await page.getByTestId('add-source').click();
    await page.getByTestId('kind-select').selectOption('rss');
    expect(await page.getByTestId('kind-help').textContent()).toContain('webpagina');
    await page.locator('input[name=url]').fill(`${site.base}/`);
    await page.getByTestId('test-now').click();
    await page.getByRole('button', { name: 'Gebruik deze feed' }).click();
    await expect
      .poll(() => page.getByTestId('test-result').textContent())
      .toContain('2 berichten gevonden, waarvan 1 over een school');
    expect(await page.getByTestId('test-result').textContent()).toContain('St. Jozefschool');
    expect(await page.locator('input[name=url]').inputValue()).toBe(`${site.base}/rss`);
    await page.getByRole('button', { name: 'Opslaan' }).click();
    const row = page.getByTestId('sources').locator('tr', { hasText: 'Stadskrant' });
    await row.waitFor();
    expect(await row.locator('[data-health]').getAttribute('data-health')).toBe('pending');
    await row.getByRole('button', { name: 'Pauzeren' }).click();
    await expect.poll(() => row.locator('[data-health]').getAttribute('data-health')).toBe('paused');
    await page.screenshot({ path: 'dist/screenshots/sources-added.png', fullPage: true });
  });

  test('a parent reports something on the meldpunt; staff see it marked and can ask for the contact', async () => {
    const visitor = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await visitor.goto(`${base}/meld/edu-ley/jozef`);
    await visitor
      .getByLabel('Wat heb je gezien?')
      .fill('In de klassenapp van groep 6 gaat een foto rond van een leerling in de gymzaal.');
    await visitor.getByLabel('Waar zag je het?').selectOption('whatsapp');
    await visitor.getByLabel(/Je naam en e-mailadres/).fill('vader van Tim, tim.vader@example.nl');
    await visitor.getByRole('button', { name: 'Melding versturen' }).click();
    await visitor.getByRole('heading', { name: /je melding is ontvangen/ }).waitFor();
    await visitor.screenshot({ path: 'dist/screenshots/meldpunt-thanks.png', fullPage: true });
    await visitor.close();
    await page.goto(`${base}/#/`);
    await page.reload();
    const card = page
      .getByTestId('mention')
      .filter({ has: page.getByTestId('reported-badge') })
      .first();
    await card.waitFor();
    await card.getByRole('link', { name: /Melding: gezien op WhatsApp/ }).click();
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('report').textContent()).not.toContain('tim.vader');
    await page.getByTestId('show-contact').click();
    await expect.poll(() => page.getByTestId('contact').textContent()).toContain('tim.vader@example.nl');
  });

  test('staff add a text forwarded from a group chat', async () => {
    await page.goto(`${base}/#/`);
    await page.getByTestId('add-mention-button').click();
    // the school is chosen, not taken to be the first in the list
    expect(await page.getByTestId('add-school').inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Toevoegen' }).isDisabled()).toBe(true);
    await page.getByTestId('add-mention').getByLabel('School').selectOption('meander');
    await page
      .getByTestId('add-mention')
      .getByLabel('Tekst')
      .fill('Doorgestuurd uit de oudergroep: de Meander zou volgend jaar sluiten?');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await page.getByTestId('mention-detail').waitFor();
    expect(await page.getByTestId('mention-detail').textContent()).toContain('Handmatig toegevoegd');
  });

  test('edits a school query with a live preview, sees the error position, saves, and the detail view marks why', async () => {
    await page.goto(`${base}/#/zoekopdrachten`);
    await page.getByTestId('query-school').selectOption('jozef');
    const box = page.locator('#school-query-q');
    await box.fill('"St. Jozefschool" AND (gymzaal');
    await expect.poll(() => page.getByTestId('query-error').textContent()).toBe('Haakje niet gesloten bij positie 23');
    await box.fill('"Jozefschool" NOT gymzaal');
    await expect
      .poll(() => page.getByTestId('school-query-dropping').textContent(), { timeout: 5000 })
      .toContain('Sint Jozefschool krijgt nieuwe gymzaal');
    await page.screenshot({ path: 'dist/screenshots/queries.png', fullPage: true });
    await page.getByTestId('school-query-save').click();
    await expect.poll(() => page.getByTestId('school-query-status').textContent()).toContain('uit de inbox');
    await box.fill('"Jozefschool"');
    await page.getByTestId('school-query-save').click();
    await expect.poll(() => page.getByTestId('school-query-status').textContent()).toContain('vermeldingen erbij');
    await page.goto(`${base}/#/`);
    await page.reload();
    await page
      .getByTestId('mention')
      .filter({ hasText: 'krijgt nieuwe gymzaal' })
      .first()
      .getByRole('link')
      .first()
      .click();
    await expect
      .poll(() => page.getByTestId('mention-detail').locator('mark[data-kind=match]').first().textContent())
      .toBe('Jozefschool');
    expect(await page.getByTestId('why').textContent()).toContain('"Jozefschool"');
  });

  test('keeps a school’s fact sheet, and saving re-checks its mentions', async () => {
    await page.goto(`${base}/#/zoekopdrachten`);
    await page.getByTestId('query-school').selectOption('jozef');
    await page
      .getByTestId('facts')
      .fill('De St. Jozefschool krijgt in 2027 een nieuwe gymzaal.\nDe vrijwillige ouderbijdrage is € 40 per jaar.');
    await page.getByTestId('facts-save').click();
    await expect.poll(() => page.getByTestId('facts-status').textContent()).toMatch(/Opgeslagen; \d+ recente? bericht/);
    await page.reload();
    await page.getByTestId('query-school').selectOption('jozef');
    expect(await page.getByTestId('facts').inputValue()).toBe(
      'De St. Jozefschool krijgt in 2027 een nieuwe gymzaal.\nDe vrijwillige ouderbijdrage is € 40 per jaar.',
    );
  });
});
