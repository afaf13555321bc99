import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { processItems } from '../../workers/pipeline.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// Issue 17: the privacy officer handles an erasure request in the dashboard; other roles do not
// see the page.
const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;

beforeAll(async () => {
  const { boardId } = await seedDemo(conn.db, PASSWORD);
  const source = await conn.db
    .selectFrom('sources')
    .select(['id', 'board_id', 'school_id', 'kind'])
    .where('board_id', '=', boardId)
    .where('kind', '!=', 'manual')
    .executeTakeFirstOrThrow();
  const school = await conn.db
    .selectFrom('schools')
    .select('id')
    .where('board_id', '=', boardId)
    .executeTakeFirstOrThrow();
  const at = new Date('2026-11-20T10:00:00Z');
  await processItems(
    conn.db,
    source,
    [
      {
        externalId: 'pd',
        url: 'https://forum.example.nl/pd',
        title: '',
        text: 'Bel de moeder van Bas op 06-41236587, die weet er alles van.',
        author: null,
        publishedAt: at,
      },
    ],
    { schoolIds: [school.id], now: at },
  );
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST }));
  if (dashboard.page) page = dashboard.page;
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!hasChromium)('privacy requests in Chromium', () => {
  test('communications staff have no privacy page', async () => {
    await signIn(page, dashboard!.base, 'communicatie@edu-ley.demo', PASSWORD);
    expect(await page.getByRole('link', { name: 'Privacyverzoeken' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
  });

  test('the privacy officer finds a phone number, erases it, and the search comes back empty', async () => {
    await signIn(page, dashboard!.base, 'privacy@edu-ley.demo', PASSWORD);
    await page.getByRole('link', { name: 'Privacyverzoeken' }).click();
    await page.getByLabel('Naam, e-mailadres, telefoonnummer of handle').fill('06-41236587');
    await page.getByLabel('Kenmerk van het verzoek').fill('AVG-2026-12');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect.poll(() => page.getByTestId('privacy-hit').count()).toBeGreaterThan(0);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: /Geselecteerde wissen/ }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Gewist');
    await expect.poll(() => page.getByTestId('privacy-count').textContent()).toContain('0 vindplaats');
    // the audit log on the same page shows the erasure, found by its action
    await page.getByLabel('Handeling (begin)').fill('privacy.erase');
    await page.getByRole('button', { name: 'Tonen' }).click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-row').textContent()).toContain('privacy@edu-ley.demo');
  });

  test('a user changes their own password in the dashboard', async () => {
    await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
    await signIn(page, dashboard!.base, 'directie@edu-ley.demo', PASSWORD);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Huidig wachtwoord').fill('fout-wachtwoord');
    await page.getByLabel('Nieuw wachtwoord (minstens 10 tekens)').fill('een-nieuw-wachtwoord-1');
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('klopt niet');
    await page.getByLabel('Huidig wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Wachtwoord gewijzigd');
  });

  test('beheer invites a colleague, who sets a password through the one-time link and logs in', async () => {
    await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
    await signIn(page, dashboard!.base, 'beheer@edu-ley.demo', PASSWORD);
    await page.getByRole('link', { name: 'Gebruikers' }).click();
    await page.getByLabel('E-mailadres').fill('nieuwe.collega@edu-ley.demo');
    await page.getByRole('button', { name: 'Uitnodigen' }).click();
    await expect.poll(() => page.getByTestId('one-time-link').count()).toBe(1);
    const link = (await page.getByTestId('one-time-link').textContent())!.trim();
    // the list reloads after the link is shown
    await expect
      .poll(() => page.getByTestId('user-row').filter({ hasText: 'nieuwe.collega@edu-ley.demo' }).count())
      .toBe(1);
    await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
    await page.goto(link.replace(/^https?:\/\/[^/]+/, dashboard!.base.replace(/\/$/, '')));
    await page.getByLabel('Nieuw wachtwoord (minstens 10 tekens)').fill('mijn-eigen-wachtwoord');
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('ingesteld');
    await signIn(page, dashboard!.base, 'nieuwe.collega@edu-ley.demo', 'mijn-eigen-wachtwoord');
    await expect.poll(() => page.getByRole('heading', { name: 'Inbox' }).count()).toBe(1);
  });
});
