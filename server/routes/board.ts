import { Hono } from 'hono';
import { z } from 'zod';
import { can } from '../access.ts';
import { saveExclusions } from '../actions/schoolQueries.ts';
import { previewExclusions } from '../actions/schoolQueryPreview.ts';
import { boardName } from '../actions/boardFile.ts';
import { saveBoardCalendar } from '../actions/schoolContacts.ts';
import { rename } from '../actions/schoolAdmin.ts';
import { audit } from '../db/audit.ts';
import { getBoard } from '../db/boards.ts';
import { retentionOf, saveRetention } from '../db/retention.ts';
import { RETENTION_EVERY } from '../../workers/jobs.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { canEditBoardCalendar, ordered, period, queryError, querySchema, region } from './schools.ts';

// The board's own settings (/api/board): its name, retention, holiday schedule and exclusions. The
// schools themselves: schools.ts.

const boardNameForm = z.strictObject({ name: boardName });
const boardCalendarSchema = z.object({
  entries: z
    .array(period.extend({ region }).refine(ordered, 'de einddatum ligt voor de begindatum'))
    .max(300, 'hoogstens 300 perioden'),
});

const retentionSchema = z.object({
  mentionsMonths: z.number().int().min(1).max(120),
  reportsMonths: z.number().int().min(1).max(120),
  contactMonths: z.number().int().min(1).max(24),
  auditMonths: z.number().int().min(12, 'het auditlog blijft minstens 12 maanden').max(120),
});

export const boardRoutes = new Hono<Env>()
  .put('/name', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'board.rename')) return c.json({ error: 'Alleen beheer van het hele bestuur wijzigt de naam' }, 403);
    const p = parseOrThrow(boardNameForm, await jsonBody(c));
    const board = await getBoard(c.var.db, v.boardId);
    await rename(c.var.db, v, board.name, p.name, clientIp(c));
    return c.json({ ok: true, name: p.name });
  })
  // What the board keeps and for how long; everyone may read it, beheer and the FG change it.
  .get('/retention', async (c) => {
    const v = c.var.viewer;
    const r = await retentionOf(c.var.db, v.boardId);
    const next = r.lastPurgeAt ? new Date(r.lastPurgeAt.getTime() + RETENTION_EVERY) : null;
    return c.json({
      mentionsMonths: r.mentionsMonths,
      reportsMonths: r.reportsMonths,
      contactMonths: r.contactMonths,
      auditMonths: r.auditMonths,
      lastPurgeAt: r.lastPurgeAt?.toISOString() ?? null,
      nextPurgeAt: next?.toISOString() ?? null,
      canEdit: can(v, 'retention.edit'),
    });
  })
  .put('/retention', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'retention.edit'))
      return c.json({ error: 'Alleen beheer en de privacy officer (FG) wijzigen de bewaartermijnen' }, 403);
    const p = parseOrThrow(retentionSchema, await jsonBody(c));
    await saveRetention(c.var.db, v.boardId, p, new Date());
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'retention.update',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
      details: p,
    });
    return c.json({ ok: true, ...p });
  })
  .put('/calendar', async (c) => {
    const v = c.var.viewer;
    if (!canEditBoardCalendar(v))
      return c.json(
        {
          error: 'Alleen communicatie, directie of beheer van alle scholen wijzigt het vakantierooster van het bestuur',
        },
        403,
      );
    const p = parseOrThrow(boardCalendarSchema, await jsonBody(c));
    return c.json({ ok: true, calendar: await saveBoardCalendar(c.var.db, v, p.entries, clientIp(c)) });
  })
  .post('/exclusions/preview', async (c) => {
    if (!can(c.var.viewer, 'board.edit_exclusions'))
      return c.json(
        { error: 'Alleen wie het hele bestuur ziet en bronnen beheert, mag de uitsluitingen bekijken en wijzigen' },
        403,
      );
    const p = parseOrThrow(querySchema, await jsonBody(c));
    return c.json(await previewExclusions(c.var.db, c.var.viewer, p.query, clientIp(c)));
  })
  .put('/exclusions', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'board.edit_exclusions'))
      return c.json(
        { error: 'Alleen wie het hele bestuur ziet en bronnen beheert, mag de uitsluitingen wijzigen' },
        403,
      );
    const p = parseOrThrow(querySchema, await jsonBody(c));
    const result = await saveExclusions(c.var.db, v, p.query).catch(queryError);
    return c.json({ ok: true, ...result });
  });
