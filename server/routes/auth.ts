import { Hono } from 'hono';
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
import { inTransaction } from '../db/index.ts';
import { deleteSessionsOfUser, lockLoginAttempt, loginFailures } from '../db/sessions.ts';
import { loginUserByEmail, setPasswordHash, usePasswordLink } from '../db/users.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';

// Failed logins are throttled from the audit log itself, so every server process shares the count.
// Per account *and address*, so nobody can lock a user out from elsewhere; per account from anywhere
// (a higher bar against guessing from many addresses); and per address.
export const THROTTLE = { windowMinutes: 15, perAccountAndIp: 5, perAccount: 50, perIp: 20 };

const setPasswordSchema = z.object({ token: z.string().min(20).max(200), password: z.string().max(200) });

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email('geen geldig e-mailadres').max(254),
  password: z.string().min(1, 'wachtwoord ontbreekt').max(200),
});

const isHttps = (url: string, proto?: string) => url.startsWith('https:') || proto === 'https';

export const authRoutes = new Hono<Env>()
  .post('/login', async (c) => {
    const { email, password } = parseOrThrow(loginSchema, await jsonBody(c));
    const ip = clientIp(c);
    const db = c.var.db;
    const dummy = await dummyHash();
    const attempt = () =>
      inTransaction(db, async (trx) => {
        await lockLoginAttempt(trx, email, ip);
        const n = await loginFailures(trx, email, ip, THROTTLE.windowMinutes);
        if (n.pair >= THROTTLE.perAccountAndIp || n.account >= THROTTLE.perAccount || n.ip >= THROTTLE.perIp)
          return 'throttled' as const;
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
    if (outcome === 'throttled')
      return c.json(
        { error: `Te veel mislukte pogingen. Probeer het over ${THROTTLE.windowMinutes} minuten opnieuw.` },
        429,
      );
    if (outcome === 'failed') return c.json({ error: 'E-mailadres of wachtwoord klopt niet.' }, 401);
    const user = outcome;
    if (needsRehash(user.password_hash)) await setPasswordHash(db, user.id, await hashPassword(password));
    const token = await createSession(db, user.id, c.var.now());
    await audit(db, { boardId: user.board_id, userId: user.id, actor: email, action: 'login.ok', ip });
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c.req.url, c.req.header('x-forwarded-proto')),
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return c.json({ ok: true });
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
