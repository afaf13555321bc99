import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { listSchools, schoolsOfBoard } from '../db/schools.ts';
import { overview } from '../overview/overview.ts';
import { days } from '../db/stats/period.ts';
import { dutchClock } from '../../workers/time.ts';
import { parseOrThrow, type Env } from './http.ts';

// The directors' Overzicht (every role may open it): the viewer's schools, or one of them, over a
// period. Only counts, themes and points: no post, no person.

const MAX_DAYS = 731;
const date = z.iso.date({ message: 'geef een datum (JJJJ-MM-DD)' });
const querySchema = z
  .object({
    school: z
      .string()
      .regex(/^[a-z0-9-]{1,63}$/, 'onbekende school')
      .optional(),
    from: date.optional(),
    to: date.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, 'de begindatum ligt na de einddatum')
  .refine(
    (q) => !q.from || !q.to || days({ from: q.from, to: q.to }) <= MAX_DAYS,
    'kies een periode van hoogstens twee jaar',
  );

// The default period: the four weeks up to `to` (today, Dutch time).
export const fourWeeksTo = (to: string) =>
  new Date(Date.parse(`${to}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);

export async function overviewScope(c: Context<Env>, slug: string | undefined) {
  const v = c.var.viewer;
  const visible = await listSchools(c.var.db, v.boardId, v.schoolIds);
  const schools = slug ? visible.filter((s) => s.slug === slug) : visible;
  if (slug && !schools.length) return null;
  return { schools, wholeBoard: v.allSchools && !slug };
}

export const overviewRoutes = new Hono<Env>().get('/', async (c) => {
  const p = parseOrThrow(querySchema, c.req.query());
  const scope = await overviewScope(c, p.school);
  if (!scope) return c.json({ error: 'Geen toegang tot deze school' }, 403);
  const to = p.to ?? dutchClock(c.var.now()).date;
  const period = { from: p.from ?? fourWeeksTo(to), to };
  if (period.from > period.to) return c.json({ error: 'de begindatum ligt na de einddatum' }, 400);
  const board = await schoolsOfBoard(c.var.db, c.var.viewer.boardId);
  return c.json(
    await overview(c.var.db, {
      boardId: c.var.viewer.boardId,
      schools: scope.schools.map((s) => ({ id: s.id, slug: s.slug, name: s.name })),
      boardSchoolIds: board.map((s) => s.id),
      period,
      now: c.var.now(),
      wholeBoard: scope.wholeBoard,
    }),
  );
});
