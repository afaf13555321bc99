import { Hono } from 'hono';
import type { Env } from '../http.ts';
import { listSourceHealth } from '../queries/sources.ts';

export const sourceRoutes = new Hono<Env>().get('/', async (c) => {
  const v = c.var.viewer;
  return c.json({ items: await listSourceHealth(c.var.db, v.boardId, v.schoolIds) });
});
