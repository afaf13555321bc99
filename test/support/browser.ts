import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { tracked, watchStuck, type Timing } from './stuck.ts';

// Debian's Chromium, never a downloaded one. The flags keep it off the (closed) network.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

if (!hasChromium && process.env.KLANKBORD_REQUIRE_BROWSER) {
  throw new Error(`Chromium ontbreekt op ${CHROMIUM}; installeer het met: apt-get install -y chromium`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

// The dashboard served on a loopback port, and (where Chromium exists) a Dutch browser page on it.
// `stuck`: how often the watch on a hung test looks, and after how long (test/support/stuck.ts).
export async function openDashboard(app: { fetch: (req: Request) => Response | Promise<Response> }, stuck?: Timing) {
  const { serve } = await import('@hono/node-server');
  const requests = tracked(app.fetch);
  const server = serve({ fetch: requests.fetch, port: 0, hostname: '127.0.0.1' }) as import('node:http').Server;
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  const browser = hasChromium ? await launch() : undefined;
  const page = browser ? await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'nl-NL' }) : undefined;
  const unwatch = await watchStuck(page, requests.open, stuck);
  return {
    base,
    browser,
    page,
    close: async () => {
      unwatch();
      await browser?.close();
      await new Promise((r) => server.close(r));
    },
  };
}

// Logs in through the login form, as a person would.
export async function signIn(page: import('playwright-core').Page, base: string, email: string, password: string) {
  await page.goto(base);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}
