import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// The monthly report's print view in Chromium: a director picks a month, the page prints to A4
// without the app's header and controls; the e-mail is turned on from Mijn account.
const PASSWORD = 'demo-wachtwoord-123';
const NOW = new Date('2026-11-02T09:00:00Z');
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;

beforeAll(async () => {
  await seedDemo(conn.db, PASSWORD);
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST, now: () => NOW }));
  if (dashboard.page) page = dashboard.page;
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!hasChromium)('the monthly report in Chromium', () => {
  test('a director opens a month, prints it to A4 without the app header, and turns on the e-mail', async () => {
    await signIn(page, dashboard!.base, 'directie@edu-ley.demo', PASSWORD);
    await expect.poll(() => page.getByRole('button', { name: 'Uitloggen', exact: true }).count()).toBe(1);
    await page.goto(`${dashboard!.base}/#/rapport?month=2026-10`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe('Maandrapport oktober 2026 — obs De Meander');
    expect(await page.getByRole('link', { name: 'PDF downloaden' }).getAttribute('href')).toBe(
      '/api/reports/monthly.pdf?month=2026-10',
    );
    await page.getByLabel('Maand').fill('2026-09');
    await page.getByLabel('Maand').dispatchEvent('change');
    await expect.poll(() => heading.textContent()).toBe('Maandrapport september 2026 — obs De Meander');
    expect(page.url()).toContain('#/rapport?month=2026-09');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Afdrukken' }).isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    const text = spawnSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).stdout;
    expect(text).toContain('Maandrapport september 2026');
    expect(text).toContain('Kerncijfers');
    expect(text).not.toContain('Uitloggen');
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${dashboard!.base}/#/account`);
    const box = page.getByLabel('Stuur mij het maandrapport');
    await expect.poll(() => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Opgeslagen.');
    const user = await conn.db
      .selectFrom('users')
      .select('monthly_report')
      .where('email', '=', 'directie@edu-ley.demo')
      .executeTakeFirstOrThrow();
    expect(user.monthly_report).toBe(true);
  });
});
