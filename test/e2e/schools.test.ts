import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { WEB_DIST } from '../../server/web/build.ts';
import { hasChromium, openDashboard, signIn } from '../support/browser.ts';
import { freshDatabase } from '../support/db.ts';

// The Scholen page for beheer (issue 17): add a school, rename it, archive it (undoable for 30 days).
const PASSWORD = 'demo-wachtwoord-123';
const conn = await freshDatabase();
let dashboard: Awaited<ReturnType<typeof openDashboard>> | undefined;
let page: Page;

beforeAll(async () => {
  await seedDemo(conn.db, PASSWORD);
  dashboard = await openDashboard(buildApp(conn.db, { webDir: WEB_DIST }));
  if (dashboard.page) {
    page = dashboard.page;
    page.on('dialog', (d) => void d.accept());
  }
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!hasChromium)('managing schools in Chromium', () => {
  test('beheer adds a school, renames it and archives it on the Scholen page', async () => {
    await signIn(page, dashboard!.base, 'beheer@edu-ley.demo', PASSWORD);
    await page.getByRole('link', { name: 'Scholen' }).click();
    await page.getByTestId('add-school').click();
    const add = page.getByTestId('school-form');
    await add.getByLabel('Naam').fill('obs Het Kompas');
    await add.getByLabel('Andere namen').fill('Het Kompas\nKompasschool');
    await add.getByLabel('Plaats').fill('Soest');
    await add.getByLabel('Regio').selectOption('midden');
    await add.getByRole('button', { name: 'Opslaan' }).click();
    await expect
      .poll(() => page.getByTestId('schools-message').textContent())
      .toContain('obs Het Kompas is toegevoegd');
    expect(await page.getByTestId('query-school').inputValue()).toBe('obs-het-kompas');
    await page.getByRole('heading', { name: 'obs Het Kompas' }).waitFor();

    await page.getByRole('button', { name: 'Gegevens wijzigen' }).click();
    const edit = page.getByTestId('school-form');
    expect(await edit.getByLabel('Plaats').inputValue()).toBe('Soest');
    expect(await edit.textContent()).toContain('obs-het-kompas');
    await edit.getByLabel('Naam').fill('Daltonschool Het Kompas');
    await edit.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { name: 'Daltonschool Het Kompas' }).waitFor();
    expect(await page.getByTestId('query-school').locator('option:checked').textContent()).toBe(
      'Daltonschool Het Kompas',
    );

    await page.getByRole('button', { name: 'Archiveren' }).click();
    await expect
      .poll(() => page.getByTestId('schools-message').textContent())
      .toMatch(/Daltonschool Het Kompas is gearchiveerd\. Herstellen kan tot/);
    const archived = page.getByTestId('archived-school').filter({ hasText: 'Daltonschool Het Kompas' });
    await archived.waitFor();
    expect(await archived.textContent()).toContain('Wordt verwijderd op');
    await archived.getByRole('button', { name: 'Herstellen' }).waitFor();
    expect(await page.getByTestId('query-school').locator('option').allTextContents()).not.toContain(
      'Daltonschool Het Kompas',
    );
    await page.screenshot({ path: 'dist/screenshots/schools-archived.png', fullPage: true });
    const row = await conn.db
      .selectFrom('schools')
      .select(['name', 'archived_at'])
      .where('slug', '=', 'obs-het-kompas')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Daltonschool Het Kompas');
    expect(row.archived_at).not.toBeNull();
  });
});
