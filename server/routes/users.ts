import crypto from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { can } from '../access.ts';
import { hashPassword } from '../auth/passwords.ts';
import { digest } from '../auth/sessions.ts';
import { audit } from '../db/audit.ts';
import { inTransaction } from '../db/index.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { schoolsBySlugs } from '../db/schools.ts';
import {
  insertPasswordLink,
  insertUser,
  listUsers,
  setUserAccess,
  setUserDisabled,
  boardOfEmail,
  userOfBoard,
} from '../db/users.ts';
import { removeTotp } from '../db/totp.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { idParam } from './params.ts';

// /api/users: beheer (seeing the whole board) invites users, sets their role and schools, disables
// them and starts a password reset. A password is never chosen for someone else: the user sets it
// through a one-time link (invitation 7 days, reset 24 hours). Everything is audited.
const INVITE_DAYS = 7;
const RESET_HOURS = 24;
const onlyBeheer = { error: 'Alleen beheer (met zicht op het hele bestuur) beheert gebruikers' };
const access = z.object({
  role: z.enum(ROLES as [Role, ...Role[]], { message: `kies een rol: ${ROLES.join(', ')}` }),
  schools: z.array(z.string().max(100)).max(200).default([]),
});
const create = access.extend({
  email: z.string().trim().toLowerCase().email('geen geldig e-mailadres').max(254),
  name: z.string().trim().max(200).default(''),
});

async function link(c: Context<Env>, userId: string, purpose: 'invite' | 'reset') {
  const token = crypto.randomBytes(32).toString('base64url');
  const expires = new Date(c.var.now().getTime() + (purpose === 'invite' ? INVITE_DAYS * 24 : RESET_HOURS) * 3_600_000);
  await insertPasswordLink(c.var.db, userId, digest(token), purpose, expires);
  return { link: `${new URL(c.req.url).origin}/#/wachtwoord/${token}`, expiresAt: expires.toISOString() };
}

async function schoolIds(c: Context<Env>, slugs: string[]) {
  const found = slugs.length ? await schoolsBySlugs(c.var.db, c.var.viewer.boardId, slugs) : [];
  const unknown = slugs.filter((s) => !found.some((f) => f.slug === s));
  return { ids: found.map((f) => f.id), unknown };
}

export const userRoutes = new Hono<Env>()
  .get('/', async (c) => {
    if (!can(c.var.viewer, 'users.manage')) return c.json(onlyBeheer, 403);
    return c.json({ users: await listUsers(c.var.db, c.var.viewer.boardId) });
  })
  .post('/', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'users.manage')) return c.json(onlyBeheer, 403);
    const p = parseOrThrow(create, await jsonBody(c));
    // Addresses are unique across boards; only this board's own users are named, so an invite
    // cannot be used to find out who has an account with another board.
    const taken = await boardOfEmail(c.var.db, p.email);
    if (taken === v.boardId) return c.json({ error: `Er is al een gebruiker ${p.email} in dit bestuur` }, 409);
    if (taken) return c.json({ error: 'Dit e-mailadres kan niet worden gebruikt voor dit bestuur' }, 409);
    const { ids, unknown } = await schoolIds(c, p.schools);
    if (unknown.length) return c.json({ error: `Onbekende school/scholen: ${unknown.join(', ')}` }, 400);
    const unusable = await hashPassword(crypto.randomBytes(32).toString('base64url'));
    const id = await inTransaction(c.var.db, async (trx) => {
      const userId = await insertUser(trx, {
        boardId: v.boardId,
        email: p.email,
        name: p.name,
        role: p.role,
        passwordHash: unusable,
        allSchools: !ids.length,
      });
      if (ids.length) await setUserAccess(trx, userId, p.role, ids);
      await audit(trx, {
        boardId: v.boardId,
        userId: v.id,
        actor: v.email,
        action: 'user.create',
        targetType: 'user',
        targetId: userId,
        ip: clientIp(c),
        details: { email: p.email, role: p.role, schools: p.schools },
      });
      return userId;
    });
    return c.json({ id, ...(await link(c, id, 'invite')) }, 201);
  })
  .patch('/:id', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'users.manage')) return c.json(onlyBeheer, 403);
    const id = idParam(c);
    const u = await userOfBoard(c.var.db, v.boardId, id);
    if (!u) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    const p = parseOrThrow(access, await jsonBody(c));
    if (id === v.id && p.role !== v.role)
      return c.json({ error: 'Je eigen rol wijzig je niet zelf; vraag een andere beheerder' }, 400);
    const { ids, unknown } = await schoolIds(c, p.schools);
    if (unknown.length) return c.json({ error: `Onbekende school/scholen: ${unknown.join(', ')}` }, 400);
    await setUserAccess(c.var.db, id, p.role, ids);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      ip: clientIp(c),
      details: {
        email: u.email,
        role: p.role,
        schools: p.schools,
        before: { role: u.role, allSchools: u.all_schools },
      },
    });
    return c.json({ ok: true });
  })
  .post('/:id/disable', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'users.manage')) return c.json(onlyBeheer, 403);
    const id = idParam(c);
    if (id === v.id) return c.json({ error: 'Je zet je eigen account niet uit' }, 400);
    const u = await userOfBoard(c.var.db, v.boardId, id);
    if (!u) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    await setUserDisabled(c.var.db, id, c.var.now());
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'user.disable',
      targetType: 'user',
      targetId: id,
      ip: clientIp(c),
      details: { email: u.email },
    });
    return c.json({ ok: true });
  })
  .post('/:id/enable', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'users.manage')) return c.json(onlyBeheer, 403);
    const id = idParam(c);
    const u = await userOfBoard(c.var.db, v.boardId, id);
    if (!u) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    await setUserDisabled(c.var.db, id, null);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'user.enable',
      targetType: 'user',
      targetId: id,
      ip: clientIp(c),
      details: { email: u.email },
    });
    return c.json({ ok: true });
  })
  // A reset that an administrator starts: a one-time link, valid 24 hours, for beheer to pass on.
  .post('/:id/reset', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'users.manage')) return c.json(onlyBeheer, 403);
    const id = idParam(c);
    const u = await userOfBoard(c.var.db, v.boardId, id);
    if (!u || u.disabled_at) return c.json({ error: 'Gebruiker niet gevonden of uitgezet' }, 404);
    const l = await link(c, id, 'reset');
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'user.reset_started',
      targetType: 'user',
      targetId: id,
      ip: clientIp(c),
      details: { email: u.email, expiresAt: l.expiresAt },
    });
    return c.json(l);
  })
  // A user who lost their authenticator app and recovery codes: beheer removes the second factor, so
  // the password alone logs in again until the user sets it up anew. Audited.
  .post('/:id/totp/reset', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'users.manage')) return c.json(onlyBeheer, 403);
    const id = idParam(c);
    const u = await userOfBoard(c.var.db, v.boardId, id);
    if (!u) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    if (!(await removeTotp(c.var.db, id)))
      return c.json({ error: `${u.email} heeft geen tweestapsverificatie ingesteld` }, 400);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'totp.reset',
      targetType: 'user',
      targetId: id,
      ip: clientIp(c),
      details: { email: u.email },
    });
    return c.json({ ok: true });
  });
