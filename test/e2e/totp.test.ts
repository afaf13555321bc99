import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { base32Decode, totp } from '../../server/auth/totp.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// The privacy officer sets up two-step verification on Mijn account — the code computed here from the
// key the page shows, as an authenticator app would — and then logs in with password and code. The
// app's clock is the test's, so a code never falls on a step boundary.
const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let clock = new Date('2031-05-06T08:00:00Z');
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;

beforeAll(async () => {
  await seedDemo(conn.db, PASSWORD);
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST, now: () => clock }));
  if (dashboard.page) page = dashboard.page;
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!hasChromium)('two-step verification in Chromium', () => {
  test('the privacy officer sets it up on Mijn account and then logs in with a code', async () => {
    await signIn(page, dashboard!.base, 'privacy@edu-ley.demo', PASSWORD);
    const hint = page.getByRole('note').filter({ hasText: 'Voor jouw rol raden we tweestapsverificatie aan' });
    await expect.poll(() => hint.count()).toBe(1);
    await hint.getByRole('link').click();
    await page.getByRole('button', { name: 'Tweestapsverificatie instellen' }).click();
    await expect.poll(() => page.getByTestId('totp-secret').count()).toBe(1);
    const secret = base32Decode((await page.getByTestId('totp-secret').textContent())!);
    expect(await page.getByTestId('totp-uri').textContent()).toContain(
      'otpauth://totp/Klankbord:privacy%40edu-ley.demo',
    );
    await page.getByLabel('Code uit je app (6 cijfers)').fill(totp(secret, clock));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').getByRole('listitem').count()).toBe(10);
    await page.getByRole('link', { name: 'Berichten' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Berichten' }).count()).toBe(1);
    expect(await hint.count()).toBe(0);
    await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();

    clock = new Date(clock.getTime() + 30_000); // the confirming code is spent
    await signIn(page, dashboard!.base, 'privacy@edu-ley.demo', PASSWORD);
    await page.getByLabel('Code uit je app').fill('000000' === totp(secret, clock) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('De code klopt niet');
    await page.getByLabel('Code uit je app').fill(totp(secret, clock));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Berichten' }).count()).toBe(1);
  });
});
