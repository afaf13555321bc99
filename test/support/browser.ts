import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium, never a downloaded one. The flags keep it off the (closed) network.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

if (!hasChromium && process.env.KLANKBORD_REQUIRE_BROWSER) {
  throw new Error(`Chromium ontbreekt op ${CHROMIUM}; installeer het met: apt-get install -y chromium`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
