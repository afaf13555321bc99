import { can } from '../access.ts';
import { Hono } from 'hono';
import dns from 'node:dns/promises';
import net from 'node:net';
import { z } from 'zod';
import { isPublicAddress } from '../../workers/http/addresses.ts';
import { audit } from '../db/audit.ts';
import { deleteMailSettings, recentNotifications, saveMailSettings } from '../db/mailSettings.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { mailSettings } from '../db/outbox.ts';
import { transportFor } from '../../workers/mail/outbox.ts';

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
    const refused = await internalHost(p.host, p.port, c.var.fetchOptions.allow ?? []);
    if (refused) return c.json({ error: refused }, 400);
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
    await saveMailSettings(c.var.db, v.boardId, values, p.password === undefined ? undefined : p.password || null);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'board.mail_update',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
      details: { ...p, password: p.password === undefined ? 'ongewijzigd' : p.password ? 'gewijzigd' : 'verwijderd' },
    });
    return c.json({ ok: true });
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
      await transportFor(s).sendMail({
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

// Why a mail server may not be used, or nothing: an address that is (or resolves to) loopback or
// private is refused unless "host:port" is in KLANKBORD_FETCH_ALLOW.
async function internalHost(host: string, port: number, allow: readonly string[]): Promise<string | undefined> {
  if (allow.includes(`${host.toLowerCase()}:${port}`)) return undefined;
  const addresses = net.isIP(host)
    ? [host]
    : await dns.lookup(host, { all: true }).then(
        (r) => r.map((a) => a.address),
        () => [],
      );
  if (!addresses.length) return `Mailserver ${host} is niet gevonden`;
  if (addresses.some((a) => !isPublicAddress(a)))
    return `Mailserver ${host} is een intern of privé adres; zet ${host}:${port} in KLANKBORD_FETCH_ALLOW als dat de bedoeling is`;
  return undefined;
}
