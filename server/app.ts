import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { DB } from './db/index.ts';
import type { Env } from './routes/http.ts';
import type { FetchOptions } from '../workers/http/guardedFetch.ts';
import { log } from './log.ts';
import { mailRoutes } from './routes/mail.ts';
import { overviewRoutes } from './routes/overview.ts';
import { reportRoutes } from './routes/reports.ts';
import { caseRoutes } from './routes/cases.ts';
import { authRoutes, requireViewer } from './routes/auth.ts';
import { meRoutes } from './routes/me.ts';
import { totpRoutes } from './routes/totp.ts';
import { policyRoutes } from './routes/policy.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { auditRoutes } from './routes/audit.ts';
import { userRoutes } from './routes/users.ts';
import { meldpuntRoutes } from './routes/meldpunt.ts';
import { databaseAnswers } from './db/index.ts';
import { meldpuntUnavailable } from './views/meldpunt.ts';
import { mentionRoutes } from './routes/mentions.ts';
import { boardRoutes } from './routes/board.ts';
import { schoolRoutes } from './routes/schools.ts';
import { sourceRoutes } from './routes/sources.ts';
import { serveWeb } from './web/static.ts';

// now: the clock for sessions and links (tests set it; the server uses the real one)
export type AppOptions = {
  webDir?: string;
  fetchOptions?: FetchOptions;
  endpoints?: Partial<Record<string, string>>;
  now?: () => Date;
};

export function buildApi(db: DB, opts: AppOptions = {}) {
  return new Hono<Env>()
    .use(async (c, next) => {
      c.set('db', db);
      c.set('fetchOptions', opts.fetchOptions ?? {});
      c.set('endpoints', opts.endpoints);
      c.set('now', opts.now ?? (() => new Date()));
      await next();
    })
    .route('/auth', authRoutes)
    .use(requireViewer)
    .route('/me/totp', totpRoutes)
    .route('/me', meRoutes)
    .route('/mentions', mentionRoutes)
    .route('/sources', sourceRoutes)
    .route('/schools', schoolRoutes)
    .route('/board/mail', mailRoutes)
    .route('/board', boardRoutes)
    .route('/cases', caseRoutes)
    .route('/overview', overviewRoutes)
    .route('/reports', reportRoutes)
    .route('/policy', policyRoutes)
    .route('/privacy', privacyRoutes)
    .route('/audit', auditRoutes)
    .route('/users', userRoutes);
}

export type AppType = ReturnType<typeof buildApi>;

// Errors that mean the database cannot be reached rather than that a query is wrong.
const DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
function databaseDown(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && DOWN_CODES.has(e.code)) return true;
  return /Connection terminated|connect ECONNREFUSED|the database system is (starting up|shutting down)/i.test(
    e.message ?? '',
  );
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const sameOrigin: MiddlewareHandler = async (c, next) => {
  // The API is for the dashboard only: a read that another site starts (a link or an embedded
  // request) is refused too, since some reads are audited exports in the viewer's name. A typed
  // address or a bookmark ("none") and clients that send no Sec-Fetch-Site still work.
  const fetchSite = c.req.header('sec-fetch-site');
  if (SAFE.has(c.req.method) && (fetchSite === 'cross-site' || fetchSite === 'same-site'))
    return c.json({ error: 'Dit verzoek komt niet van het dashboard zelf en is geweigerd' }, 403);
  if (!SAFE.has(c.req.method)) {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const host = c.req.header('host');
    let foreign = !!site && site !== 'same-origin';
    if (!foreign && origin) {
      try {
        foreign = !host || new URL(origin).host !== host;
      } catch {
        foreign = true;
      }
    }
    if (foreign) return c.json({ error: 'Dit verzoek komt niet van het dashboard zelf en is geweigerd' }, 403);
  }
  await next();
};

export function buildApp(db: DB, opts: AppOptions = {}) {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    // Answers of the API and the dossier carry personal data: never kept by a browser or proxy cache.
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
    // Behind https (directly or via a proxy that says so) browsers stick to https for a year.
    if (c.req.url.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https')
      c.header('Strict-Transport-Security', 'max-age=31536000');
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });
  // Requests that change something must come from the dashboard itself (no other site, not even
  // another port on this host), and no body is read past 1 MB.
  app.use(
    '/api/*',
    sameOrigin,
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => c.json({ error: 'Het verzoek is te groot (hoogstens 1 MB)' }, 413),
    }),
  );
  // Liveness (the process answers) and readiness (the database answers too), for a load balancer or
  // a supervisor; they say nothing about any board.
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) =>
    (await databaseAnswers(db)) ? c.json({ ok: true }) : c.json({ ok: false, error: 'database niet bereikbaar' }, 503),
  );
  app.route('/api', buildApi(db, opts));
  app.route('/meld', meldpuntRoutes(db, opts.now));
  app.all('/api/*', (c) => c.json({ error: 'Onbekend adres' }, 404));
  if (opts.webDir) serveWeb(app, opts.webDir);
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
    // The database is away (restarting, unreachable): say so, as a page on the public meldpunt.
    if (databaseDown(err)) {
      log.warn({ path: c.req.path, error: err }, 'database unavailable');
      if (c.req.path.startsWith('/meld')) return meldpuntUnavailable(c.req.query('lang') === 'en' ? 'en' : 'nl');
      return c.json({ error: 'De database is even niet bereikbaar. Probeer het over een minuut opnieuw.' }, 503);
    }
    // a path with a broken %-escape ("/%E0%A4%A") is the client's mistake, not a server error
    if (err instanceof URIError) return c.json({ error: 'Ongeldig adres' }, 400);
    log.error({ error: err, path: c.req.path }, 'request failed');
    return c.json({ error: 'Er ging iets mis op de server.' }, 500);
  });
  return app;
}
