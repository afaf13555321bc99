import { can } from '../access.ts';
import { Hono } from 'hono';
import type { Env } from './http.ts';
import { getBoard } from '../db/boards.ts';
import { listSchools } from '../db/schools.ts';

export const meRoutes = new Hono<Env>().get('/', async (c) => {
  const v = c.var.viewer;
  const [board, schools] = await Promise.all([
    getBoard(c.var.db, v.boardId),
    listSchools(c.var.db, v.boardId, v.schoolIds),
  ]);
  return c.json({
    user: { id: v.id, email: v.email, name: v.name, role: v.role, allSchools: v.allSchools },
    may: { manageMail: can(v, 'mail.manage') },
    board: { slug: board.slug, name: board.name, policy: board.policy },
    schools: schools.map((s) => ({ id: s.id, slug: s.slug, name: s.name })),
  });
});
