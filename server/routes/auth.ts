import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { loadViewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import {
  dummyHash,
  hashPassword,
  inTurn,
  needsRehash,
  PasswordBusyError,
  passwordProblem,
  verifyNow,
} from '../auth/passwords.ts';
import {
  createSession,
  deleteSession,
  digest,
  SESSION_COOKIE,
  SESSION_HOURS,
  sessionUserId,
} from '../auth/sessions.ts';
import { checkSecondFactor, issueLoginTicket, loginTicketOwner, spendLoginTicket } from '../auth/secondFactor.ts';
import { inTransaction } from '../db/index.ts';
import { hasTotp } from '../db/totp.ts';
import { deleteSessionsOfUser, lockLoginAttempt, loginFailures } from '../db/sessions.ts';
import { loginUserByEmail, setPasswordHash, usePasswordLink } from '../db/users.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';

// Failed logins are throttled from the audit log itself, so every server process shares the count.
// Per account *and address*, so nobody can lock a user out from elsewhere; per account from anywhere
// (a higher bar against guessing from many addresses); and per address.
export const THROTTLE = { windowMinutes: 15, perAccountAndIp: 5, perAccount: 50, perIp: 20 };
const throttled = (n: { pair: number; account: number; ip: number; known: boolean }) =>
  n.pair >= THROTTLE.perAccountAndIp || (n.account >= THROTTLE.perAccount && !n.known) || n.ip >= THROTTLE.perIp;

const setPasswordSchema = z.object({ token: z.string().min(20).max(200), password: z.string().max(200) });

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email('geen geldig e-mailadres').max(254),
  password: z.string().min(1, 'wachtwoord ontbreekt').max(200),
});

const totpSchema = z.object({
  ticket: z.string().min(20).max(200),
  code: z.string().trim().min(1, 'vul de code in').max(40),
});

const isHttps = (url: string, proto?: string) => url.startsWith('https:') || proto === 'https';

const tooMany = (c: Context<Env>) =>
  c.json({ error: `Te veel mislukte pogingen. Probeer het over ${THROTTLE.windowMinutes} minuten opnieuw.` }, 429);

async function startSession(
  c: Context<Env>,
  user: { id: string; board_id: string; email: string },
  details?: Record<string, unknown>,
) {
  const token = await createSession(c.var.db, user.id, c.var.now());
  await audit(c.var.db, {
    boardId: user.board_id,
    userId: user.id,
    actor: user.email,
    action: 'login.ok',
    ip: clientIp(c),
    details,
  });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c.req.url, c.req.header('x-forwarded-proto')),
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
  return c.json({ ok: true as const });
}

export const authRoutes = new Hono<Env>()
  .post('/login', async (c) => {
    const { email, password } = parseOrThrow(loginSchema, await jsonBody(c));
    const ip = clientIp(c);
    const db = c.var.db;
    // Takes its turn for the password hash before opening a transaction (server/auth/passwords.ts).
    const dummy = await dummyHash();
    const attempt = () =>
      inTransaction(db, async (trx) => {
        await lockLoginAttempt(trx, email, ip);
        const n = await loginFailures(trx, email, ip, THROTTLE.windowMinutes);
        if (throttled(n)) return 'throttled' as const;
        const user = await loginUserByEmail(trx, email);
        const ok = await verifyNow(password, user?.password_hash ?? dummy);
        if (!user || !ok) {
          await audit(trx, { boardId: user?.board_id, userId: user?.id, actor: email, action: 'login.failed', ip });
          return 'failed' as const;
        }
        return user;
      });
    let outcome: Awaited<ReturnType<typeof attempt>>;
    try {
      outcome = await inTurn(attempt);
    } catch (err) {
      if (err instanceof PasswordBusyError) return c.json({ error: err.message }, 503);
      throw err;
    }
    if (outcome === 'throttled') return tooMany(c);
    if (outcome === 'failed') return c.json({ error: 'E-mailadres of wachtwoord klopt niet.' }, 401);
    const user = outcome;
    if (needsRehash(user.password_hash)) await setPasswordHash(db, user.id, await hashPassword(password));
    // With a second factor the password alone opens nothing: a ticket for the code step instead.
    if (await hasTotp(db, user.id))
      return c.json({ totp: true as const, ticket: await issueLoginTicket(db, user.id, c.var.now()) });
    return startSession(c, { id: user.id, board_id: user.board_id, email });
  })
  // The second step: the ticket from /login and a code from the app (or a recovery code). Wrong codes
  // count in the same throttle as wrong passwords; a code and the ticket work once.
  .post('/login/totp', async (c) => {
    const p = parseOrThrow(totpSchema, await jsonBody(c));
    const ip = clientIp(c);
    const db = c.var.db;
    const now = c.var.now();
    const outcome = await inTransaction(db, async (trx) => {
      const user = await loginTicketOwner(trx, p.ticket, now);
      if (!user) return 'expired' as const;
      await lockLoginAttempt(trx, user.email, ip);
      const n = await loginFailures(trx, user.email, ip, THROTTLE.windowMinutes);
      if (throttled(n)) return 'throttled' as const;
      const factor = await checkSecondFactor(trx, user.id, p.code, now);
      if (!factor) {
        await audit(trx, {
          boardId: user.board_id,
          userId: user.id,
          actor: user.email,
          action: 'login.totp_failed',
          ip,
        });
        return 'failed' as const;
      }
      if (!(await spendLoginTicket(trx, p.ticket))) return 'expired' as const;
      return { user, factor };
    });
    if (outcome === 'expired')
      return c.json({ error: 'Deze inlogpoging is verlopen. Log opnieuw in met je wachtwoord.' }, 401);
    if (outcome === 'throttled') return tooMany(c);
    if (outcome === 'failed') return c.json({ error: 'De code klopt niet.' }, 401);
    return startSession(c, outcome.user, { secondFactor: outcome.factor });
  })
  // A password set through a one-time link (an invitation or a reset); the link works once.
  .post('/set-password', async (c) => {
    const p = parseOrThrow(setPasswordSchema, await jsonBody(c));
    const problem = passwordProblem(p.password);
    if (problem) return c.json({ error: problem }, 400);
    const db = c.var.db;
    const user = await usePasswordLink(db, digest(p.token), c.var.now());
    if (!user) return c.json({ error: 'Deze link is verlopen of al gebruikt. Vraag beheer om een nieuwe.' }, 400);
    await setPasswordHash(db, user.id, await hashPassword(p.password));
    await deleteSessionsOfUser(db, user.id);
    await audit(db, {
      boardId: user.board_id,
      userId: user.id,
      actor: user.email,
      action: 'password.set',
      ip: clientIp(c),
    });
    return c.json({ ok: true, email: user.email });
  })
  .post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await deleteSession(c.var.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });

export const requireViewer = createMiddleware<Env>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const userId = token ? await sessionUserId(c.var.db, token, c.var.now()) : undefined;
  const viewer = userId ? await loadViewer(c.var.db, userId) : undefined;
  if (!viewer) return c.json({ error: 'Niet ingelogd' }, 401);
  c.set('viewer', viewer);
  await next();
});
