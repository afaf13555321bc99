import { can } from '../access.ts';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.ts';
import { digest, SESSION_COOKIE } from '../auth/sessions.ts';
import { passwordHashOf, setPasswordHash } from '../db/users.ts';
import { audit } from '../db/audit.ts';
import { deleteOtherSessions, deleteSessionsOfUser } from '../db/sessions.ts';

const passwordSchema = z.object({
  current: z.string().min(1, 'vul je huidige wachtwoord in').max(200),
  next: z.string().max(200),
});
import { getBoard } from '../db/boards.ts';
import { hasTotp } from '../db/totp.ts';
import { TOTP_RECOMMENDED } from '../auth/secondFactor.ts';
import { listSchools } from '../db/schools.ts';
import { monthlyReportWanted, setMonthlyReport } from '../db/reportMail.ts';

export const meRoutes = new Hono<Env>()
  // Ends every session of this user (this one too), e.g. after a lost phone; audited.
  .post('/logout-everywhere', async (c) => {
    const v = c.var.viewer;
    const ended = await deleteSessionsOfUser(c.var.db, v.id);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'logout.everywhere',
      ip: clientIp(c),
      details: { sessions: ended },
    });
    return c.json({ ok: true, sessions: ended });
  })
  // Everyone changes their own password: the current one first; other sessions end, audited.
  .post('/password', async (c) => {
    const v = c.var.viewer;
    const p = parseOrThrow(passwordSchema, await jsonBody(c));
    const hash = await passwordHashOf(c.var.db, v.id);
    if (!hash || !(await verifyPassword(p.current, hash)))
      return c.json({ error: 'Het huidige wachtwoord klopt niet.' }, 400);
    const problem = passwordProblem(p.next);
    if (problem) return c.json({ error: problem }, 400);
    if (p.next === p.current) return c.json({ error: 'Kies een ander wachtwoord dan het huidige.' }, 400);
    await setPasswordHash(c.var.db, v.id, await hashPassword(p.next));
    const token = getCookie(c, SESSION_COOKIE) ?? '';
    const ended = await deleteOtherSessions(c.var.db, v.id, digest(token));
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'password.change',
      ip: clientIp(c),
      details: { otherSessionsEnded: ended },
    });
    return c.json({ ok: true, otherSessionsEnded: ended });
  })
  // The monthly report by e-mail: every user may opt in, for the schools they see.
  .get('/monthly-report', async (c) => c.json({ on: await monthlyReportWanted(c.var.db, c.var.viewer.id) }))
  .put('/monthly-report', async (c) => {
    const v = c.var.viewer;
    const p = parseOrThrow(
      z.object({ on: z.boolean({ error: 'geef aan of je het maandrapport wilt (on: true of false)' }) }),
      await jsonBody(c),
    );
    await setMonthlyReport(c.var.db, v.id, p.on);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'report.monthly_mail',
      ip: clientIp(c),
      details: { on: p.on },
    });
    return c.json({ on: p.on });
  })
  .get('/', async (c) => {
    const v = c.var.viewer;
    const [board, schools, totp] = await Promise.all([
      getBoard(c.var.db, v.boardId),
      listSchools(c.var.db, v.boardId, v.schoolIds),
      hasTotp(c.var.db, v.id),
    ]);
    return c.json({
      user: {
        id: v.id,
        email: v.email,
        name: v.name,
        role: v.role,
        allSchools: v.allSchools,
        totp,
        totpRecommended: TOTP_RECOMMENDED.includes(v.role),
      },
      may: {
        manageMail: can(v, 'mail.manage'),
        privacyRequests: can(v, 'privacy.requests'),
        manageUsers: can(v, 'users.manage'),
      },
      board: { slug: board.slug, name: board.name, policy: board.policy },
      schools: schools.map((s) => ({ id: s.id, slug: s.slug, name: s.name })),
    });
  });
