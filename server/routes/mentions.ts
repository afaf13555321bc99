import { Hono } from 'hono';
import { z } from 'zod';
import { badRequest, parseOrThrow, type Env } from '../http.ts';
import { decodeCursor, getMention, listMentions } from '../queries/mentions.ts';

const listSchema = z.object({
  school: z.string().regex(/^[a-z0-9-]{1,63}$/, 'onbekende school').optional(),
  sentiment: z.enum(['positive', 'neutral', 'negative'], { message: 'kies positive, neutral of negative' }).optional(),
  q: z.string().max(200, 'zoekterm te lang (max. 200 tekens)').optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const mentionRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const p = parseOrThrow(listSchema, c.req.query());
    const v = c.var.viewer;
    let schoolIds = v.schoolIds;
    if (p.school) {
      const school = await c.var.db.selectFrom('schools').select('id').where('board_id', '=', v.boardId).where('slug', '=', p.school).executeTakeFirst();
      if (!school || !v.schoolIds.includes(school.id)) return c.json({ error: 'Geen toegang tot deze school' }, 403);
      schoolIds = [school.id];
    }
    const cursor = p.cursor ? decodeCursor(p.cursor) : undefined;
    if (p.cursor && !cursor) badRequest('Ongeldige cursor');
    const page = await listMentions(c.var.db, { boardId: v.boardId, schoolIds, sentiment: p.sentiment, q: p.q?.trim() || undefined, cursor, limit: p.limit });
    return c.json(page);
  })
  .get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^\d{1,18}$/.test(id)) badRequest('Ongeldig id');
    const v = c.var.viewer;
    const item = await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id);
    if (!item) return c.json({ error: 'Niet gevonden' }, 404);
    return c.json(item);
  });
