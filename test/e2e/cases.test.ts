import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { startDemoFeedServer } from '../../server/demo/feedServer.ts';
import { registerDemoFeed } from '../../server/db/demo.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { collectOnce } from '../../workers/runner.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// A new communications officer works a negative discussion of the demo board from the inbox to a
// recorded outcome, with nothing but the screen to guide them; a director approves a correction.
const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;
let closeFeed: () => Promise<void>;

beforeAll(async () => {
  const { boardId } = await seedDemo(conn.db, PASSWORD);
  const feed = await startDemoFeedServer();
  closeFeed = feed.close;
  await registerDemoFeed(conn.db, boardId, feed.url);
  await collectOnce(conn.db, { fetchOptions: { allow: [feed.hostPort] } });
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST }));
  if (dashboard.page) page = dashboard.page;
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
  await closeFeed?.();
});

async function login(email: string) {
  await signIn(page, dashboard!.base, email, PASSWORD);
  await page.getByRole('heading', { name: 'Berichten' }).waitFor();
}

describe.skipIf(!hasChromium)('cases in Chromium', () => {
  test('a negative discussion goes from the inbox to a recorded outcome, with no online reply offered', async () => {
    await login('communicatie@edu-ley.demo');
    await page.getByRole('searchbox').fill('gepest');
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('link', { name: 'Pesten op De Meander' }).click();
    await page.getByTestId('mention-cases').getByRole('link').click();
    await page.getByTestId('case-detail').waitFor();
    // The invariant on screen: no correction panel, the reason why, and prompts for real life.
    expect(await page.getByTestId('correction').count()).toBe(0);
    expect(await page.getByTestId('no-online-reply').textContent()).toContain(
      'Protocol: Profilering c Op negatieve discussie reageert Edu-Ley niet via sociale media',
    );
    const talk = page.locator('[data-testid=case-action][data-type=real_life]');
    expect(await talk.textContent()).toContain('Joost Hendriks (demo)');
    await page.getByTestId('take-case').click();
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('In behandeling');
    await talk.getByTestId('action-done').click();
    await expect.poll(() => talk.getAttribute('data-status')).toBe('gedaan');
    await page.getByTestId('point-text').fill('Ouders willen sneller horen wat de school doet tegen pesten');
    await page.getByTestId('add-point').click();
    await page.getByTestId('point').first().waitFor();
    await page.getByLabel('Gesprek gevoerd').check();
    await page
      .getByTestId('outcome-input')
      .fill('De teamleider heeft de vader gebeld; volgende week een gesprek met de mentor en de anti-pestcoördinator.');
    await page.getByTestId('close-case').click();
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Afgerond');
    expect(await page.getByTestId('outcome-text').textContent()).toContain('Gesprek gevoerd');
    const history = await page.getByTestId('history').textContent();
    expect(history).toContain('Behandelaar: Communicatieadviseur (demo)');
    expect(history).toContain('In real life in gesprek: gedaan');
    expect(history).toContain('Status: Afgerond');
    await page.getByRole('link', { name: 'Terug naar Acties' }).click();
    await page.getByTestId('filter-state').selectOption('afgerond');
    await expect.poll(() => page.getByTestId('case-card').count()).toBe(1);
    expect(await page.getByTestId('case-card').textContent()).toContain('Pesten op De Meander');
  });

  test('the Acties board shows the most urgent first and the threat as overdue-today work', async () => {
    await page.goto(`${dashboard!.base}/#/acties`);
    await page.reload();
    await page.getByTestId('case-card').first().waitFor();
    expect(await page.getByTestId('case-card').first().getAttribute('data-top')).toBe('report_police');
    await page.getByTestId('filter-type').selectOption('correct_online');
    await expect
      .poll(async () =>
        (
          await page.locator('[data-testid=case-card]').evaluateAll((els) => els.map((e) => e.getAttribute('data-top')))
        ).every((t) => t === 'correct_online'),
      )
      .toBe(true);
  });

  test('a correction is drafted by communications, approved by the directie, and only then offered to copy', async () => {
    await page.reload();
    await page.getByTestId('filter-type').selectOption('correct_online');
    await page
      .getByTestId('case-card')
      .filter({ hasText: 'obs De Meander' })
      .filter({ hasText: 'Gaat De Meander dicht?' })
      .click();
    await page.getByTestId('draft-correction').click();
    await expect.poll(() => page.getByTestId('correction-text').inputValue()).toContain('De Meander blijft open');
    expect(await page.getByTestId('correction-state').getAttribute('data-state')).toBe('concept');
    expect(await page.getByTestId('copy-correction').count()).toBe(0);
    expect(await page.getByTestId('approve-correction').count()).toBe(0);
    const caseUrl = page.url();
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await login('directie@edu-ley.demo');
    await page.goto(caseUrl);
    await page.getByTestId('approve-correction').click();
    await expect.poll(() => page.getByTestId('correction-state').getAttribute('data-state')).toBe('goedgekeurd');
    expect(await page.getByTestId('approved-text').textContent()).toContain('De Meander blijft open');
    expect(await page.getByTestId('copy-correction').count()).toBe(1);
    // the approved text once, with the approver by name; changing it is a choice
    expect(await page.getByTestId('correction-text').count()).toBe(0);
    expect(await page.getByTestId('correction-state').textContent()).toContain(
      'Goedgekeurd door Directeur De Meander (demo)',
    );
    await page.getByTestId('edit-approved').click();
    expect(await page.getByTestId('correction-text').inputValue()).toContain('De Meander blijft open');
  });
});
