import { afterAll, describe, expect, test, vi } from 'vitest';
import { hasChromium, openDashboard } from '../support/browser.ts';

// The watch every browser test runs under (test/support/stuck.ts) says where a hung test waits: a
// request the server never answered, and a page whose JavaScript never returns, with where it runs.
const never = new Promise<Response>(() => {});
const page = `<!doctype html><title>vast</title><script>
function spinForever() { for (;;) {} }
fetch('/api/never');
setTimeout(spinForever, 300);
</script>`;

const dashboard = await openDashboard(
  {
    fetch: (req) =>
      new URL(req.url).pathname === '/api/never'
        ? never
        : new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } }),
  },
  { everyMs: 500, stuckMs: 2_000, probeMs: 1_000 },
);
afterAll(() => dashboard.close());

describe.skipIf(!hasChromium)('the watch on a hung browser test', () => {
  test('names the unanswered request and the function the page is stuck in', async () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await dashboard.page!.goto(dashboard.base, { waitUntil: 'commit' });
      await expect
        .poll(() => written.join(''), { timeout: 30_000, interval: 500 })
        .toMatch(/the renderer was running: spinForever /);
      await expect
        .poll(() => written.join(''), { timeout: 15_000, interval: 500 })
        .toMatch(/server still answering: GET \/api\/never \(\d+ ms\)/);
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toContain('names the unanswered request');
  }, 60_000);
});
