import { can } from '../access.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import { deleteMailSettings, recentNotifications, saveMailSettings } from '../db/mailSettings.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { mailSettings } from '../db/outbox.ts';
import { checkMailServer, smtpTransport } from '../../workers/mail/smtpTarget.ts';

// The board's own SMTP server for alerts and the daily digest. Only beheer sees and changes it; the
// password is write-only. A test mail goes straight to the person asking, so a mistake shows at once.

const settingsSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'vul de SMTP-server in')
    .max(253)
    .regex(/^[a-zA-Z0-9.-]+$/, 'SMTP-server: alleen een hostnaam of IP-adres'),
  port: z.coerce.number().int().min(1).max(65535, 'poort tussen 1 en 65535'),
  security: z.enum(['tls', 'starttls', 'none'], { message: 'kies tls, starttls of none' }),
  username: z.string().trim().max(320).nullable().optional(),
  // undefined keeps the stored password; '' removes it
  password: z.string().max(500).optional(),
  fromAddress: z.email({ message: 'afzender: ongeldig e-mailadres' }),
  dashboardUrl: z.url({ protocol: /^https?$/, message: 'adres van het dashboard: een http(s)-adres' }).max(500),
  digestHour: z.coerce.number().int().min(0).max(23, 'uur tussen 0 en 23'),
});

const onlyBeheer = { error: 'Alleen beheer stelt de e-mail in' };
const STRENGTH = { none: 0, starttls: 1, tls: 2 } as const;

export const mailRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'mail.manage')) return c.json(onlyBeheer, 403);
    const s = await mailSettings(c.var.db, v.boardId);
    const recent = await recentNotifications(c.var.db, v.boardId);
    return c.json({
      settings: s
        ? {
            host: s.host,
            port: s.port,
            security: s.security,
            username: s.username,
            passwordSet: !!s.password,
            fromAddress: s.from_address,
            dashboardUrl: s.dashboard_url,
            digestHour: s.digest_hour,
          }
        : null,
      recent: recent.map((n) => ({
        id: n.id,
        kind: n.kind,
        subject: n.subject,
        recipients: n.recipients.length,
        state: n.state,
        attempts: n.attempts,
        error: n.last_error,
        at: n.created_at.toISOString(),
        sentAt: n.sent_at?.toISOString() ?? null,
      })),
    });
  })
  .put('/', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'mail.manage')) return c.json(onlyBeheer, 403);
    const p = parseOrThrow(settingsSchema, await jsonBody(c));
    // The mail server is reached from this machine: like a collector, never an internal address
    // (unless the administrator allow-listed it), so "stuur testmail" cannot probe the network.
    const checked = await checkMailServer(p.host, p.port, c.var.fetchOptions.allow ?? []);
    if ('problem' in checked) return c.json({ error: checked.problem }, 400);
    // A stored password goes only to the server, account and security it was entered for: another
    // host, port or user name, or a weaker connection, drops it unless it is entered again.
    const before = await mailSettings(c.var.db, v.boardId);
    const keep =
      !!before &&
      before.host.toLowerCase() === p.host.toLowerCase() &&
      before.port === p.port &&
      (before.username ?? null) === (p.username || null) &&
      STRENGTH[p.security] >= STRENGTH[before.security as keyof typeof STRENGTH];
    const password = p.password !== undefined ? p.password || null : keep ? undefined : null;
    const dropped = p.password === undefined && !!before?.password && !keep;
    const values = {
      host: p.host,
      port: p.port,
      security: p.security,
      username: p.username || null,
      from_address: p.fromAddress,
      dashboard_url: p.dashboardUrl,
      digest_hour: p.digestHour,
      updated_at: new Date(),
    };
    await saveMailSettings(c.var.db, v.boardId, values, password);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'board.mail_update',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
      details: {
        ...p,
        password: dropped
          ? 'vervallen'
          : password === undefined
            ? 'ongewijzigd'
            : password
              ? 'gewijzigd'
              : 'verwijderd',
      },
    });
    return c.json({
      ok: true,
      ...(dropped && {
        notice:
          'Het opgeslagen wachtwoord is vervallen omdat server, poort, gebruikersnaam of beveiliging veranderde. Vul het opnieuw in.',
      }),
    });
  })
  .delete('/', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'mail.manage')) return c.json(onlyBeheer, 403);
    await deleteMailSettings(c.var.db, v.boardId);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'board.mail_off',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
    });
    return c.json({ ok: true });
  })
  .post('/test', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'mail.manage')) return c.json(onlyBeheer, 403);
    const s = await mailSettings(c.var.db, v.boardId);
    if (!s) return c.json({ error: 'Sla eerst de SMTP-instellingen op' }, 409);
    try {
      await (
        await smtpTransport(s, c.var.fetchOptions.allow ?? [])
      ).sendMail({
        from: s.from_address,
        to: v.email,
        subject: '[Klankbord] Testmail',
        text: `Deze testmail laat zien dat Klankbord via ${s.host} kan mailen.\n\nDashboard: ${s.dashboard_url}\n\n— Klankbord`,
      });
    } catch (err) {
      return c.json({ error: `De testmail kon niet verstuurd worden: ${(err as Error).message}` }, 502);
    }
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'board.mail_test',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
    });
    return c.json({ ok: true, to: v.email });
  });
