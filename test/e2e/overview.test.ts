import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { registerDemoFeed } from '../../server/db/demo.ts';
import { historyPosts } from '../../server/demo/history.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { processItems } from '../../workers/pipeline.ts';
import { rollupStats } from '../../workers/stats/rollup.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// The Overzicht in Chromium: a director lands on it and reads whether it got better or worse, why,
// and whether the team follows up; every chart is also a table; a theme opens the posts behind it.
// The demo's generated history, on a fixed date in the browser and on the server.
const PASSWORD = 'demo-wachtwoord-123';
const NOW = new Date('2026-11-02T09:00:00Z');
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;

beforeAll(async () => {
  const { boardId } = await seedDemo(conn.db, PASSWORD, NOW);
  await registerDemoFeed(conn.db, boardId, 'http://127.0.0.1:9/feed.xml');
  const source = await conn.db.selectFrom('sources').selectAll().where('kind', '=', 'rss').executeTakeFirstOrThrow();
  await processItems(
    conn.db,
    source,
    historyPosts(NOW).map((p) => ({
      externalId: p.guid,
      url: p.url,
      title: p.title,
      text: p.text,
      author: p.author,
      publishedAt: p.publishedAt,
    })),
    { now: NOW },
  );
  while ((await rollupStats(conn.db)).days);
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST, now: () => NOW }));
  if (dashboard.page) {
    page = dashboard.page;
    await page.clock.setFixedTime(NOW);
  }
}, 180_000);

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!hasChromium)('the Overzicht in Chromium', () => {
  test('a director lands on the Overzicht: figures against the period before, a summary, themes, a table view', async () => {
    await signIn(page, dashboard!.base, 'directie@edu-ley.demo', PASSWORD);
    await page.getByTestId('overview-kpis').waitFor();
    expect(page.url()).toContain('#/overzicht');
    expect(await page.getByTestId('overview-kpis').textContent()).toContain('vorige periode');
    const summary = await page.getByTestId('overview-summary').textContent();
    expect(summary).toMatch(/berichten dan de vorige periode \(\d+ tegen \d+\)/);
    expect(summary).toMatch(/negatief/);
    // the theme that grows in the generated history
    const themes = page.getByTestId('overview-themes');
    await expect.poll(() => themes.textContent()).toMatch(/lesuitval|invaller/);
    // the chart as a table: one row per day of the four weeks
    await page.getByTestId('chart-sentiment').getByRole('button', { name: 'Als tabel' }).click();
    expect(await page.getByTestId('chart-sentiment').locator('tbody tr').count()).toBe(28);
    expect(await page.getByTestId('chart-sentiment').locator('tbody tr').first().textContent()).toContain('2026-10-06');
    // a single-school director sees the board's average, never other schools
    expect(await page.locator('main').textContent()).toContain('gemiddelde school van het bestuur');
    expect(await page.locator('main').textContent()).not.toContain('Jozefschool');
  });

  test('a theme opens the inbox on exactly the posts behind it', async () => {
    const chip = page.getByTestId('overview-themes').getByRole('button').first();
    const label = (await chip.textContent())!.replace(/\s*\d+$/, '').trim();
    await chip.click();
    await expect.poll(() => page.url()).toContain('from=2026-10-06');
    expect(decodeURIComponent(page.url())).toContain(`q=${label}`);
    await expect.poll(() => page.locator('main ol li').count()).toBeGreaterThan(0);
    const texts = await page.locator('main ol li').allTextContents();
    expect(texts.every((t) => t.toLowerCase().includes(label.split(' ')[0].slice(0, 5)))).toBe(true);
    expect(await page.getByTestId('filter-from').inputValue()).toBe('2026-10-06');
  });

  test('communications staff compare the schools and sort them', async () => {
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await signIn(page, dashboard!.base, 'communicatie@edu-ley.demo', PASSWORD);
    await page.getByRole('link', { name: 'Overzicht', exact: true }).click();
    await page.getByTestId('compare-table').waitFor();
    const shares = async () =>
      (await page.getByTestId('compare-table').locator('tbody tr td:nth-child(3)').allTextContents()).map((t) =>
        Number(t.replace('%', '').replace(',', '.')),
      );
    await page.getByTestId('compare-sort').selectOption('negativeShare');
    const sorted = await shares();
    expect(sorted.length).toBe(3);
    expect([...sorted].sort((a, b) => b - a)).toEqual(sorted);
    // the school year, per week, with the autumn holiday marked in words (not only a shade)
    await page.getByTestId('overview-period').selectOption('schoolYear');
    await expect.poll(() => page.locator('main').textContent()).toContain('Herfstvakantie');
    expect(await page.getByTestId('chart-sentiment').textContent()).toContain('Berichten per week');
  });
});
