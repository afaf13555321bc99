import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { startDemoFeedServer } from '../../server/demo/feedServer.ts';
import { demoPosts } from '../../server/demo/mentions.ts';
import { registerDemoFeed } from '../../server/db/demo.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { processItems } from '../../workers/pipeline.ts';
import { collectOnce } from '../../workers/runner.ts';
import { hasChromium, openDashboard } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let base = '';
let browser: Browser;
let page: Page;
let closeFeed: () => Promise<void>;

beforeAll(async () => {
  const { boardId } = await seedDemo(conn.db, PASSWORD);
  const feed = await startDemoFeedServer();
  closeFeed = feed.close;
  await registerDemoFeed(conn.db, boardId, feed.url);
  await collectOnce(conn.db, { fetchOptions: { allow: [feed.hostPort] } });
  const source = await conn.db.selectFrom('sources').selectAll().executeTakeFirstOrThrow();
  // A hostile post: it must show as text, never run.
  await processItems(conn.db, source, [
    {
      externalId: 'xss',
      url: 'javascript:alert(1)',
      title: '<img src=x onerror="window.pwned=1">',
      text: 'De Meander <script>window.pwned=2</script>',
      author: null,
      publishedAt: new Date(),
    },
  ]);
  const app = buildApp(conn.db, { webDir: WEB_DIST });
  dashboard = await openDashboard(app);
  base = dashboard.base;
  if (dashboard.browser && dashboard.page) {
    browser = dashboard.browser;
    page = dashboard.page;
  }
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
  await closeFeed?.();
});

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  test('the communications officer logs in and sees the Dutch demo inbox', async () => {
    await page.goto(base);
    await page.getByLabel('E-mailadres').fill('communicatie@edu-ley.demo');
    await page.getByLabel('Wachtwoord').fill('fout-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('klopt niet');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('heading', { name: 'Berichten' }).waitFor();
    await page.getByTestId('mention').first().waitFor();
    expect(await page.getByTestId('mention').count()).toBe(25);
    await page.getByRole('button', { name: 'Meer laden' }).click();
    await expect.poll(() => page.getByTestId('mention').count()).toBeGreaterThanOrEqual(40);
    const first = page.getByTestId('mention').nth(1);
    expect(await first.locator('[data-sentiment]').count()).toBe(1);
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-/);
    await page.screenshot({ path: 'dist/screenshots/inbox.png', fullPage: false });
  });

  test('renders hostile mention text as text', async () => {
    await expect.poll(() => page.getByText('<img src=x onerror="window.pwned=1">').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  test('filters by school and sentiment, and searches', async () => {
    await page.getByTestId('filter-school').selectOption('jozef');
    await expect
      .poll(async () =>
        (await page.getByTestId('mention').allTextContents()).every((t) => t.includes('St. Jozefschool')),
      )
      .toBe(true);
    const jozefCount = await page.getByTestId('mention').count();
    expect(jozefCount).toBeGreaterThan(5);
    expect(jozefCount).toBeLessThan(demoPosts.length / 2);
    await page.getByTestId('filter-sentiment').selectOption('positive');
    await expect
      .poll(async () => {
        const badges = await page
          .locator('[data-testid=mention] [data-sentiment]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-sentiment')));
        return badges.length > 0 && badges.every((b) => b === 'positive');
      })
      .toBe(true);
    await page.getByTestId('filter-school').selectOption('');
    await page.getByTestId('filter-sentiment').selectOption('');
    await page.getByTestId('filter-q').fill('schimmel gymzaal');
    await expect.poll(() => page.getByTestId('mention').count()).toBe(1);
    await page.getByTestId('filter-q').fill('Meander Medisch Centrum');
    await expect.poll(() => page.getByText('Geen vermeldingen gevonden').count()).toBe(1);
    await page.getByTestId('filter-q').fill('');
    await expect.poll(() => page.getByTestId('mention').count()).toBe(25);
  });

  test('opens a mention’s detail view and comes back with the keyboard', async () => {
    await page.getByTestId('filter-q').fill('schimmel');
    await page.getByRole('link', { name: 'Gemeente onderzoekt schimmel in gymzaal' }).click();
    const detail = page.getByTestId('mention-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('obs De Meander');
    expect(await detail.getByRole('link', { name: /Origineel bericht/ }).getAttribute('rel')).toContain('noopener');
    await page.screenshot({ path: 'dist/screenshots/detail.png' });
    await page.getByRole('link', { name: /Terug naar de berichten/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Berichten' }).waitFor();
    expect(await page.getByTestId('filter-q').inputValue()).toBe('schimmel');
  });

  test('the detail view marks each label’s evidence by type, and a person corrects a label', async () => {
    await page.getByTestId('filter-q').fill('dubbel parkeren');
    await page.getByRole('link', { name: 'Dubbel parkeren' }).click();
    const detail = page.getByTestId('mention-detail');
    await detail.waitFor();
    const marked = (kind: string) =>
      detail.locator(`[data-testid=mention-body] mark[data-kind=${kind}]`).allTextContents();
    expect(await marked('personal_data')).toEqual(expect.arrayContaining(['06-••••••87']));
    expect(await page.getByTestId('evidence-legend').textContent()).toContain('Persoonsgegevens');
    expect(await page.getByTestId('risk-personal_data').first().textContent()).toMatch(/telefoonnummer|naam|adres/);
    await page.getByText('Klopt het label niet?').click();
    await page.getByTestId('correct-risk-threat').check();
    await expect
      .poll(() => page.getByTestId('correction-history').textContent())
      .toContain('communicatie@edu-ley.demo zette Bedreiging op aanwezig (was afwezig)');
    expect(await page.getByTestId('risk-threat').textContent()).toContain('toegevoegd door communicatie@edu-ley.demo');
    await page.getByTestId('correct-sentiment-neutral').check();
    await expect.poll(() => page.getByTestId('sentiment-corrected').textContent()).toContain('gecorrigeerd door');
    await page.screenshot({ path: 'dist/screenshots/detail-evidence.png', fullPage: true });
    // The correction counts in the inbox at once.
    await page.getByRole('link', { name: /Terug naar de berichten/ }).click();
    await page.getByTestId('filter-q').fill('');
    await page.getByTestId('filter-risk').selectOption('threat');
    await expect
      .poll(async () =>
        (await page.getByTestId('mention').allTextContents()).some((t) => t.includes('dubbel parkeert')),
      )
      .toBe(true);
    await page.getByTestId('filter-risk').selectOption('');
  });

  test('negative discussion gets real-life prompts and no way to reply online; an inaccuracy gets a correction that quotes the fact', async () => {
    await page.getByTestId('filter-q').fill('Weer lesuitval');
    await page.getByRole('link', { name: 'Weer lesuitval op De Meander' }).click();
    const actions = page.getByTestId('actions');
    await actions.waitFor();
    expect(await actions.getByRole('heading').textContent()).toBe('Wat te doen volgens Edu-Ley');
    expect(await page.getByTestId('no-online-reply').textContent()).toContain(
      'Protocol: Profilering c Op negatieve discussie reageert Edu-Ley niet via sociale media',
    );
    expect(
      await actions.locator('[data-testid=action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))),
    ).toEqual(['real_life']);
    expect(await actions.textContent()).toContain('Protocol: Profilering c');
    expect(await actions.textContent()).toMatch(/Gespreksonderwerpen uit het bericht:.*slecht/is);
    // No reply composer anywhere on the page: nothing to type an online answer into.
    expect(await page.getByTestId('mention-detail').locator('textarea').count()).toBe(0);
    expect(await page.getByText(/Reageer online|Antwoord opstellen|Reply/).count()).toBe(0);
    await page.screenshot({ path: 'dist/screenshots/detail-actions.png', fullPage: true });

    await page.getByRole('link', { name: /Terug naar de berichten/ }).click();
    await page.getByTestId('filter-q').fill('Gaat De Meander dicht');
    await page.getByRole('link', { name: 'Gaat De Meander dicht?' }).click();
    await page.getByTestId('actions').waitFor();
    const types = await page
      .locator('[data-testid=action]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types).toEqual(expect.arrayContaining(['correct_online', 'real_life']));
    expect(await page.getByTestId('no-online-reply').count()).toBe(0);
    expect(await page.getByTestId('fact-to-quote').first().textContent()).toContain('De Meander');
    await page.getByRole('link', { name: /Terug naar de berichten/ }).click();
    await page.getByTestId('filter-q').fill('');
  });

  test('switches to English and back', async () => {
    await page.getByRole('button', { name: /Taal \/ Language/ }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: /Language \/ Taal/ }).click();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
  });

  test('the school-scoped director sees only their own school, also when the last user’s search answers late', async () => {
    // The communications officer's last search is still on its way when she logs out: its answer
    // (all schools) must not fill the director's inbox.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/mentions?*', async (route) => {
      if (new URL(route.request().url()).searchParams.get('q') !== 'Jozefschool') return route.continue();
      const answer = await route.fetch(); // the server answers at once, the browser hears it late
      await held;
      await route.fulfill({ response: answer });
    });
    const late = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === 'Jozefschool');
    await page.getByTestId('filter-q').fill('Jozefschool');
    await page.waitForRequest((r) => new URL(r.url()).searchParams.get('q') === 'Jozefschool');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByLabel('E-mailadres').fill('directie@edu-ley.demo');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    // a director starts on the Overzicht; the inbox is one click away
    await page.getByTestId('overview-kpis').waitFor();
    await page.getByRole('link', { name: /^Berichten/ }).click();
    await page.getByTestId('mention').first().waitFor();
    release();
    await (await late).finished();
    await page.unroute('**/api/mentions?*');
    const options = await page.getByTestId('filter-school').locator('option').allTextContents();
    expect(options).toEqual(['Alle scholen', 'obs De Meander']);
    expect(await page.getByTestId('filter-q').inputValue()).toBe('');
    // Give a late answer every chance to land before reading the list.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    const labels = await page.getByTestId('mention-schools').allTextContents();
    expect(labels.length).toBeGreaterThan(10);
    expect(new Set(labels)).toEqual(new Set(['obs De Meander']));
  });

  test('the sources page shows each source’s health and what Klankbord cannot see', async () => {
    await page.getByRole('link', { name: 'Bronnen' }).click();
    const table = page.getByTestId('sources');
    await table.waitFor();
    const row = table.locator('tr', { hasText: 'Demo-feed (lokaal)' });
    expect(await row.locator('[data-health]').getAttribute('data-health')).toBe('ok');
    expect(await row.textContent()).toContain('Hele bestuur');
    expect(await page.getByTestId('cannot-see').textContent()).toContain('WhatsApp-groepen');
    await page.screenshot({ path: 'dist/screenshots/sources.png', fullPage: true });
  });

  test('after a connection error the inbox shows the error, not the old list under the new filter', async () => {
    await page.goto(`${base}/#/`);
    await page.getByTestId('mention').first().waitFor();
    await page.route('**/api/mentions?*', (route) =>
      new URL(route.request().url()).searchParams.get('sentiment') === 'negative' ? route.abort() : route.continue(),
    );
    await page.getByTestId('filter-sentiment').selectOption('negative');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Geen verbinding met de server');
    expect(await page.getByTestId('mention').count()).toBe(0);
    await page.unroute('**/api/mentions?*');
    await page.getByTestId('filter-sentiment').selectOption('');
    await expect.poll(() => page.getByTestId('mention').count()).toBeGreaterThan(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  test('triage like a webcare inbox: select a range, mark handled, undo; keys; filters in the address; a saved view', async () => {
    await page.goto(`${base}/#/`);
    await page.getByTestId('mention').first().waitFor();
    const ids = () => page.getByTestId('mention').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    const before = await ids();
    // shift-click selects the range between two cards
    await page.getByTestId('mention-select').nth(0).click();
    await page
      .getByTestId('mention-select')
      .nth(2)
      .click({ modifiers: ['Shift'] });
    expect(await page.getByTestId('bulk-bar').textContent()).toContain('3 geselecteerd');
    await page.getByTestId('bulk-handled').click();
    await expect.poll(() => page.getByTestId('triage-notice').textContent()).toContain('3 berichten bijgewerkt.');
    await expect.poll(ids).toEqual(before.slice(3));
    await page.getByTestId('triage-notice').getByRole('button', { name: 'Ongedaan maken' }).click();
    await expect.poll(ids).toEqual(before);
    // keys: j, j, h marks the second card handled; ? shows the keys
    await page.locator('h1').click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('h');
    await expect.poll(ids).toEqual([before[0], ...before.slice(2)]);
    await page.keyboard.press('?');
    expect(await page.getByTestId('key-help').textContent()).toContain('h: afgehandeld');
    await page.getByTestId('filter-state').selectOption('handled');
    await expect.poll(ids).toEqual([before[1]]);
    expect(await page.getByTestId('triage-badge').textContent()).toContain('Afgehandeld door');
    // the filters are in the address, so the view can be bookmarked
    await expect.poll(() => page.url()).toContain('state=handled');
    await page.getByTestId('filter-state').selectOption('open');
    // a built-in view sets its filters
    await page.getByTestId('saved-views').selectOption('Bedreigingen open');
    await expect.poll(() => page.getByTestId('filter-risk').inputValue()).toBe('threat');
    await expect.poll(() => page.url()).toContain('risk=threat');
    await page.getByTestId('filter-risk').selectOption('');
    await expect.poll(() => page.url()).not.toContain('risk=threat');
    // a link opened while the inbox is shown (pasted, a bookmark) applies its filters too
    await page.evaluate(() => (location.hash = '#/?risk=threat'));
    await expect.poll(() => page.getByTestId('filter-risk').inputValue()).toBe('threat');
    await expect.poll(async () => (await page.getByTestId('mention').all()).length).toBeGreaterThan(0);
    for (const card of await page.getByTestId('mention').all())
      expect(await card.getByTestId('risk-badge').count()).toBeGreaterThan(0);
    await page.getByTestId('filter-risk').selectOption('');
    // risks first: the first post carries a risk badge
    await page.getByTestId('filter-sort').selectOption('risk');
    await expect.poll(() => page.url()).toContain('sort=risk');
    await expect.poll(() => page.getByTestId('mention').first().getByTestId('risk-badge').count()).toBeGreaterThan(0);
    await page.getByTestId('filter-sort').selectOption('newest');
    // the newest list's answer first: when it lands it clears the selection (it is another list)
    await expect.poll(() => page.url()).not.toContain('sort=risk');
    // a selection goes into an open discussion of its school
    await page.getByTestId('mention-select').first().click();
    const school = (await page.getByTestId('mention-schools').first().textContent())!.split(', ')[0];
    const options = page.getByTestId('bulk-to-case').locator('option', { hasText: school });
    const option = await options.first().getAttribute('value');
    await page.getByTestId('bulk-to-case').selectOption(option!);
    await expect.poll(() => page.getByTestId('triage-notice').textContent()).toContain('Bij zaak gezet.');
  });

  test('"In real life oppakken" from a post takes its case and opens the checklist', async () => {
    await page.goto(`${base}/#/`);
    await page.getByTestId('filter-q').fill('Weer lesuitval');
    await page.getByRole('link', { name: 'Weer lesuitval op De Meander' }).click();
    await page.getByTestId('take-up').click();
    await expect.poll(() => page.url()).toMatch(/#\/acties\/\d+$/);
    await expect.poll(() => page.locator('main').textContent()).toContain('Communicatieadviseur (demo)');
    await page.goto(`${base}/#/`);
    await page.getByTestId('filter-q').fill('');
  });

  test('a list that answers after another page’s link was followed leaves the address alone', async () => {
    // A click on a link changes the address at once; the page follows at the browser's hashchange
    // event, a task later. The inbox's answer landing in between took the address back to the inbox, so
    // the other page never came (once in a few test runs on a busy machine).
    await page.goto(`${base}/#/`);
    await page.getByTestId('mention').first().waitFor();
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let answered = () => {};
    const fulfilled = new Promise<void>((r) => (answered = r));
    const negative = (url: string) => new URL(url).searchParams.get('sentiment') === 'negative';
    let first = true; // only the first such list is held; any other goes through
    await page.route('**/api/mentions?*', async (route) => {
      if (!first || !negative(route.request().url())) return route.continue();
      first = false;
      const answer = await route.fetch();
      await held;
      await route.fulfill({ response: answer });
      answered();
    });
    await page.getByTestId('filter-sentiment').selectOption('negative');
    await page.waitForRequest((r) => negative(r.url()));
    // the address moves on, its hashchange event not run yet
    await page.evaluate(() => history.pushState(null, '', '#/beleid'));
    release();
    await fulfilled;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    expect(await page.evaluate(() => location.hash)).toBe('#/beleid');
    await page.unroute('**/api/mentions?*');
    await page.goto(`${base}/#/`);
    await page.getByTestId('filter-sentiment').selectOption('');
  });
});
