import { can } from '../access.ts';
import { Hono } from 'hono';
import { clientIp, type Env } from './http.ts';
import { audit } from '../db/audit.ts';
import { deleteSessionsOfUser } from '../db/sessions.ts';
import { getBoard } from '../db/boards.ts';
import { listSchools } from '../db/schools.ts';

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
  .get('/', async (c) => {
    const v = c.var.viewer;
    const [board, schools] = await Promise.all([
      getBoard(c.var.db, v.boardId),
      listSchools(c.var.db, v.boardId, v.schoolIds),
    ]);
    return c.json({
      user: { id: v.id, email: v.email, name: v.name, role: v.role, allSchools: v.allSchools },
      may: { manageMail: can(v, 'mail.manage'), privacyRequests: can(v, 'privacy.requests') },
      board: { slug: board.slug, name: board.name, policy: board.policy },
      schools: schools.map((s) => ({ id: s.id, slug: s.slug, name: s.name })),
    });
  });
