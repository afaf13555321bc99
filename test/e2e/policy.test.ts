import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// The Beleid page: staff read the rules their prompts come from; beheer adjusts a text, switches a
// rule off, changes protocol and goes back, each a version with a reason. No online reply can be
// added to negative discussion, not even here.
const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;

beforeAll(async () => {
  await seedDemo(conn.db, PASSWORD);
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST }));
  if (dashboard.page) page = dashboard.page;
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
});

async function openPolicy(email: string) {
  await signIn(page, dashboard!.base, email, PASSWORD);
  await page.getByRole('link', { name: 'Beleid' }).click();
  await page.getByTestId('policy-current').waitFor();
}
const rule = (id: string) => page.locator(`[data-rule="${id}"]`);

describe.skipIf(!hasChromium)('the policy in Chromium', () => {
  test('a communications officer reads the rules but cannot change them', async () => {
    await openPolicy('communicatie@edu-ley.demo');
    expect(await page.getByTestId('policy-current').textContent()).toContain('Edu-Ley · zoals geleverd');
    await expect
      .poll(() => page.getByText('Alleen beheer of een directeur van alle scholen past het beleid aan.').isVisible())
      .toBe(true);
    expect(await rule('negative').textContent()).toContain('Geldt bij: sentiment negatief');
    expect(await rule('negative').textContent()).toContain('Profilering c');
    // each rule and each part of its text shows where it comes from
    expect(await rule('negative').getByTestId('rule-basis').textContent()).toBe('Basis: Protocol: Profilering c');
    const parts = rule('negative')
      .locator('[data-basis]')
      .filter({ has: page.locator('.basis') });
    expect(await parts.evaluateAll((els) => els.map((e) => e.getAttribute('data-basis')))).toEqual([
      'protocol',
      'advice',
    ]);
    expect(await rule('negative').textContent()).toContain('Advies van Klankbord, niet uit het protocol');
    expect(await rule('threat-police').getByTestId('rule-basis').textContent()).toBe(
      'Basis: Protocol: Sancties en gevolgen 5',
    );
    expect(await rule('threat-police').textContent()).toContain('Aangifte doen — het protocol schrijft dit voor');
    expect(await rule('meldcode').getByTestId('rule-basis').textContent()).toBe(
      'Basis: Wet: Meldcode huiselijk geweld en kindermishandeling',
    );
    expect(await page.getByTestId('spike-basis').textContent()).toBe('Basis: Protocol: B.2');
    expect(await page.getByRole('button', { name: 'Aanpassen' }).count()).toBe(0);
    expect(await page.getByLabel('Regel staat aan').count()).toBe(0);
    await page.getByRole('button', { name: 'Uitloggen' }).click();
  });

  test('beheer adjusts a text and switches a rule off, with a reason, as version 1', async () => {
    await openPolicy('beheer@edu-ley.demo');
    await rule('negative').getByRole('button', { name: 'Aanpassen' }).click();
    const offered = await rule('negative').getByLabel('Actie toevoegen…').locator('option').allTextContents();
    expect(offered).toContain('Opschalen');
    expect(offered).not.toContain('Feitelijke correctie online');
    expect(offered).not.toContain('Delen of bedanken via eigen kanalen');
    await rule('negative').getByRole('button', { name: 'Klaar met aanpassen' }).click();
    // a rule from the law, or a duty the protocol states, has no switch; its protocol text is not editable
    expect(await rule('meldcode').getByLabel('Regel staat aan').count()).toBe(0);
    expect(await rule('meldcode').textContent()).toContain('Volgt uit de wet: blijft aan');
    expect(await rule('threat-police').getByLabel('Regel staat aan').count()).toBe(0);
    expect(await rule('threat-police').textContent()).toContain('Het protocol schrijft dit voor: blijft aan');
    await rule('threat-police').getByRole('button', { name: 'Aanpassen' }).click();
    expect(await rule('threat-police').getByTestId('fixed-part').count()).toBe(2); // the protocol's sentence and the law's
    expect(await rule('threat-police').locator('textarea').count()).toBe(2); // the advice parts
    await rule('threat-police').getByRole('button', { name: 'Klaar met aanpassen' }).click();

    await rule('shaming').getByRole('button', { name: 'Aanpassen' }).click();
    await rule('shaming')
      .locator('[data-type="real_life"]')
      .getByLabel('Tekst voor medewerkers')
      .fill('Bel de ouders binnen twee dagen en nodig ze uit voor een gesprek met de mentor op school.');
    await rule('befriending').getByLabel('Regel staat aan').uncheck();
    expect(await rule('befriending').textContent()).toContain('Deze regel staat uit');
    await expect.poll(() => page.getByText('Je hebt wijzigingen die nog niet zijn opgeslagen.').isVisible()).toBe(true);
    const save = page.getByRole('button', { name: 'Opslaan als nieuwe versie' });
    expect(await save.isDisabled()).toBe(true); // no reason given yet
    await page.getByLabel('Waarom wijzig je het beleid?').fill('Besloten in het MT van 20 november');
    await save.click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Opgeslagen als versie 1');
    expect(await page.getByTestId('policy-current').textContent()).toContain('Edu-Ley · versie 1');
    const history = await page.getByTestId('policy-versions').textContent();
    expect(history).toContain('Versie 1 · Edu-Ley');
    expect(history).toContain('Besloten in het MT van 20 november');
    expect(history).toContain('"Medewerker bevriend met leerlingen": uitgezet');
    expect(history).toContain('"Kwetsen, pesten of zwartmaken", "In real life in gesprek": tekst aangepast');
  });

  test('switching protocol and going back are versions too', async () => {
    await page.getByLabel('Protocol', { exact: true }).selectOption({ label: 'obs Meander' });
    await page.getByRole('button', { name: 'Laad dit protocol in het formulier' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('obs Meander zoals geleverd');
    await page.getByLabel('Waarom wijzig je het beleid?').fill('Proef met het protocol van De Meander');
    await page.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
    await expect.poll(() => page.getByTestId('policy-current').textContent()).toContain('obs Meander · versie 2');
    page.once('dialog', (d) => d.accept());
    await page
      .getByTestId('policy-versions')
      .locator('li', { hasText: 'Versie 1 · Edu-Ley' })
      .getByRole('button', { name: 'Deze versie terugzetten' })
      .click();
    await expect.poll(() => page.getByTestId('policy-current').textContent()).toContain('Edu-Ley · versie 3');
    expect(await rule('befriending').textContent()).toContain('Deze regel staat uit');
    expect(await page.getByTestId('policy-versions').textContent()).toContain('Terug naar versie 1');
  });
});
