import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

// Where a browser test waits when it hangs. Once in a few runs on the 2-core VM, a page's data did not
// arrive within 30 s after signing in, while nothing in the database was waiting. So every 4 s this
// looks for requests the server or the page have had open for over 8 s, the event loop's worst delay,
// the database pools' counts, and whether the page's renderer still answers (if not: the JavaScript it
// is running). It writes to stderr only when something is stuck, so a red run says where it waited.

const EVERY_MS = 4_000;
const STUCK_MS = 8_000;
const LAG_MS = 2_000;

// Every pool that hands out a connection in this test process, for its counts.
const pools = new Set<pg.Pool>();
const poolConnect = pg.Pool.prototype.connect as (...args: unknown[]) => unknown;
(pg.Pool.prototype as unknown as { connect: unknown }).connect = function (this: pg.Pool, ...args: unknown[]) {
  pools.add(this);
  return poolConnect.apply(this, args);
};

type Open = Map<unknown, { what: string; at: number }>;
type Fetch = (req: Request) => Response | Promise<Response>;

// The app's fetch, keeping the requests it has not answered yet.
export function tracked(fetch: Fetch): { fetch: Fetch; open: Open } {
  const open: Open = new Map();
  return {
    open,
    fetch: async (req) => {
      const key = {};
      open.set(key, { what: `${req.method} ${new URL(req.url).pathname}`, at: Date.now() });
      try {
        return await fetch(req);
      } finally {
        open.delete(key);
      }
    },
  };
}

type Frame = { functionName: string; url: string; location: { lineNumber: number; columnNumber: number } };

// Starts watching; returns the function that stops it.
export async function watchStuck(page: Page | undefined, server: Open): Promise<() => void> {
  const say = (what: string) =>
    process.stderr.write(`[stuck] ${expect.getState().currentTestName ?? '(no test)'}: ${what}\n`);
  const inPage: Open = new Map();
  page?.on('request', (r) => inPage.set(r, { what: `${r.method()} ${r.url()}`, at: Date.now() }));
  page?.on('requestfinished', (r) => inPage.delete(r));
  page?.on('requestfailed', (r) => inPage.delete(r));
  // The debugger is on from the start: a renderer busy in a loop no longer takes a Debugger.enable.
  let cdp: CDPSession | undefined;
  if (page) {
    const session = await page.context().newCDPSession(page);
    (session as unknown as { on: (event: string, f: (ev: { callFrames: Frame[] }) => void) => void }).on(
      'Debugger.paused',
      (ev) => {
        const at = (f: Frame) =>
          `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.location.lineNumber + 1}:${f.location.columnNumber + 1}`;
        say(`the renderer was running: ${ev.callFrames.slice(0, 12).map(at).join(' < ')}`);
        void session.send('Debugger.resume').catch(() => {});
      },
    );
    await session.send('Debugger.enable');
    cdp = session;
  }
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  let probing = false;
  const timer = setInterval(() => {
    const now = Date.now();
    if (page && cdp && !probing) {
      probing = true;
      const answered = page.evaluate('1').then(
        () => true,
        () => true, // a page that is navigating or closed answers with an error: it is not stuck
      );
      void answered.then(() => (probing = false));
      void Promise.race([answered, new Promise((r) => setTimeout(() => r(false), 3_000).unref())]).then((ok) => {
        if (ok) return;
        say(`the renderer has not answered for 3 s (${page.url()})`);
        void cdp.send('Debugger.pause').catch(() => {});
      });
    }
    const stuck = (open: Open) =>
      [...open.values()].filter((x) => now - x.at > STUCK_MS).map((x) => `${x.what} (${now - x.at} ms)`);
    const s = stuck(server);
    const b = stuck(inPage);
    const worst = lag.max / 1e6;
    lag.reset();
    if (!s.length && !b.length && worst <= LAG_MS) return;
    const counts = [...pools].map((p) => `${p.totalCount} open, ${p.idleCount} idle, ${p.waitingCount} waiting`);
    say(
      `server still answering: ${s.join(', ') || 'none'}; page still waiting for: ${b.join(', ') || 'none'}; ` +
        `event loop delayed up to ${worst.toFixed(0)} ms; pools: ${counts.join(' | ') || 'none'}`,
    );
  }, EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    lag.disable();
  };
}
