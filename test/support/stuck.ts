import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

// Where a browser test waits when it hangs. Once in a few runs on the 2-core VM, a page's data did not
// arrive within 30 s after signing in, while nothing in the database was waiting. So every few seconds
// this looks for requests the server or the page have had open too long (the server's until the app
// returns its response: a body that stalls after that is not seen), an event loop delayed for seconds,
// the database pools' counts, and whether the page's renderer still answers (if not: the JavaScript it
// is running). It writes to stderr only when one of those is off, so a red run says where it waited.

export type Timing = { everyMs: number; stuckMs: number; probeMs: number };
const TIMING: Timing = { everyMs: 4_000, stuckMs: 8_000, probeMs: 3_000 };
const LAG_MS = 2_000;

// Every pool that hands out a connection in this test process, for its counts (patched once).
const pools = new Set<pg.Pool>();
const PATCHED = Symbol.for('klankbord.stuck.pools');
const proto = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown; [PATCHED]?: true };
if (!proto[PATCHED]) {
  const connect = proto.connect;
  proto.connect = function (this: pg.Pool, ...args: unknown[]) {
    pools.add(this);
    return connect.apply(this, args);
  };
  proto[PATCHED] = true;
}
const poolCounts = () =>
  [...pools]
    .filter((p) => !p.ended)
    .map((p) => {
      const o = p.options as { database?: string; connectionString?: string };
      const db = o.database ?? (o.connectionString ? new URL(o.connectionString).pathname.slice(1) : '?');
      return `${db}: ${p.totalCount} open, ${p.idleCount} idle, ${p.waitingCount} waiting`;
    });

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
export async function watchStuck(page: Page | undefined, server: Open, timing = TIMING): Promise<() => void> {
  // vitest keeps the name of the test that started last, also in the hooks after it
  const say = (what: string) =>
    process.stderr.write(`[stuck] last test started: ${expect.getState().currentTestName ?? '(none)'}: ${what}\n`);
  const inPage: Open = new Map();
  page?.on('request', (r) => inPage.set(r, { what: `${r.method()} ${r.url()}`, at: Date.now() }));
  page?.on('requestfinished', (r) => inPage.delete(r));
  page?.on('requestfailed', (r) => inPage.delete(r));
  // The debugger is on from the start: a renderer busy in a loop no longer takes a Debugger.enable.
  let cdp: CDPSession | undefined;
  let pauseAsked = 0;
  if (page) {
    const session = await page.context().newCDPSession(page);
    (session as unknown as { on: (event: string, f: (ev: { callFrames: Frame[] }) => void) => void }).on(
      'Debugger.paused',
      (ev) => {
        const at = (f: Frame) =>
          `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.location.lineNumber + 1}:${f.location.columnNumber + 1}`;
        const stack = ev.callFrames.slice(0, 12).map(at).join(' < ');
        // A renderer that was idle after all pauses only when it next runs JavaScript: that stack is not
        // what kept it from answering.
        const late = Date.now() - pauseAsked;
        say(
          late > 1_000
            ? `the renderer was idle after all; it paused ${late} ms later in: ${stack}`
            : `the renderer was running: ${stack}`,
        );
        void session.send('Debugger.resume').catch(() => {});
      },
    );
    await session.send('Debugger.enable');
    cdp = session;
  }
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // a new probe only once the last one has answered: a renderer that stays stuck is reported once
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
      const wait = new Promise((r) => setTimeout(() => r(false), timing.probeMs).unref());
      void Promise.race([answered, wait]).then((ok) => {
        if (ok) return;
        say(`the renderer has not answered for ${timing.probeMs} ms (${page.url()})`);
        pauseAsked = Date.now();
        void cdp.send('Debugger.pause').catch(() => {});
      });
    }
    const stuck = (open: Open) =>
      [...open.values()].filter((x) => now - x.at > timing.stuckMs).map((x) => `${x.what} (${now - x.at} ms)`);
    const s = stuck(server);
    const b = stuck(inPage);
    const worst = lag.max / 1e6;
    lag.reset();
    if (!s.length && !b.length && worst <= LAG_MS) return;
    say(
      `server still answering: ${s.join(', ') || 'none'}; page still waiting for: ${b.join(', ') || 'none'}; ` +
        `event loop delayed up to ${worst.toFixed(0)} ms; pools: ${poolCounts().join(' | ') || 'none'}`,
    );
  }, timing.everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    lag.disable();
  };
}
