import { Hono } from 'hono';
import { z } from 'zod';
import { verifyPassword } from '../auth/passwords.ts';
import { checkSecondFactor, confirmEnrolment, startEnrolment } from '../auth/secondFactor.ts';
import { audit } from '../db/audit.ts';
import { recoveryCodesLeft, removeTotp } from '../db/totp.ts';
import { passwordHashOf } from '../db/users.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';

// /api/me/totp: the viewer's own second factor. Setting up gives a secret that counts only once a
// code from the app confirms it; the recovery codes are shown that once. Turning it off takes the
// password and a code. Audited: totp.enabled, totp.disabled.
const codeSchema = z.object({ code: z.string().trim().min(1, 'vul de code in').max(40) });
const disableSchema = codeSchema.extend({ password: z.string().min(1, 'vul je wachtwoord in').max(200) });

export const totpRoutes = new Hono<Env>()
  .get('/', async (c) => c.json({ recoveryCodesLeft: await recoveryCodesLeft(c.var.db, c.var.viewer.id) }))
  .post('/setup', async (c) => {
    const v = c.var.viewer;
    const started = await startEnrolment(c.var.db, v.id, v.email);
    if (!started) return c.json({ error: 'Tweestapsverificatie staat al aan; zet haar eerst uit.' }, 409);
    return c.json(started);
  })
  .post('/confirm', async (c) => {
    const v = c.var.viewer;
    const { code } = parseOrThrow(codeSchema, await jsonBody(c));
    const recoveryCodes = await confirmEnrolment(c.var.db, v.id, code, c.var.now());
    if (!recoveryCodes)
      return c.json(
        { error: 'De code klopt niet (of er is niets in te stellen). Kijk in je app en probeer opnieuw.' },
        400,
      );
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'totp.enabled',
      targetType: 'user',
      targetId: v.id,
      ip: clientIp(c),
    });
    return c.json({ ok: true, recoveryCodes });
  })
  .post('/disable', async (c) => {
    const v = c.var.viewer;
    const p = parseOrThrow(disableSchema, await jsonBody(c));
    const hash = await passwordHashOf(c.var.db, v.id);
    const passwordOk = !!hash && (await verifyPassword(p.password, hash));
    const factor = passwordOk ? await checkSecondFactor(c.var.db, v.id, p.code, c.var.now()) : null;
    if (!factor) return c.json({ error: 'Wachtwoord of code klopt niet.' }, 400);
    await removeTotp(c.var.db, v.id);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'totp.disabled',
      targetType: 'user',
      targetId: v.id,
      ip: clientIp(c),
      details: { with: factor },
    });
    return c.json({ ok: true });
  });
