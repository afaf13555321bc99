import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { loadViewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords.ts';
import { createSession, deleteSession, SESSION_COOKIE, SESSION_HOURS, sessionUserId } from '../auth/sessions.ts';
import { loginFailuresSince } from '../db/sessions.ts';
import { loginUserByEmail } from '../db/users.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';

// Failed logins are throttled from the audit log itself, so every server process shares the count.
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perIp: 20 };

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
    const failures = (column: 'actor' | 'ip', value: string) =>
      loginFailuresSince(db, column, value, THROTTLE.windowMinutes);
    if ((await failures('actor', email)) >= THROTTLE.perAccount || (await failures('ip', ip)) >= THROTTLE.perIp) {
      return c.json(
        { error: `Te veel mislukte pogingen. Probeer het over ${THROTTLE.windowMinutes} minuten opnieuw.` },
        429,
      );
    }
    const user = await loginUserByEmail(db, email);
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) {
      await audit(db, { boardId: user?.board_id, userId: user?.id, actor: email, action: 'login.failed', ip });
      return c.json({ error: 'E-mailadres of wachtwoord klopt niet.' }, 401);
    }
    const token = await createSession(db, user.id);
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
  .post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await deleteSession(c.var.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });

export const requireViewer = createMiddleware<Env>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const userId = token ? await sessionUserId(c.var.db, token) : undefined;
  const viewer = userId ? await loadViewer(c.var.db, userId) : undefined;
  if (!viewer) return c.json({ error: 'Niet ingelogd' }, 401);
  c.set('viewer', viewer);
  await next();
});
