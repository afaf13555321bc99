import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import { currentMonth, MONTH } from '../overview/month.ts';
import { monthlyReport } from '../overview/monthlyReport.ts';
import { reportPdf } from '../overview/reportPdf.ts';
import { clientIp, parseOrThrow, type Env } from './http.ts';

// The monthly report (issue 19) of the viewer's schools or one of them: as JSON for the print view
// and as a PDF download. Counts, themes and points only; the download is audited like every export.

const querySchema = z.object({
  month: z.string({ error: 'kies een maand (JJJJ-MM)' }).regex(MONTH, 'kies een maand (JJJJ-MM), bijvoorbeeld 2026-10'),
  school: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/, 'onbekende school')
    .optional(),
});

async function report(c: Context<Env>) {
  const p = parseOrThrow(querySchema, c.req.query());
  if (p.month > currentMonth(c.var.now())) return { error: 'Deze maand is nog niet begonnen.', status: 400 as const };
  const r = await monthlyReport(c.var.db, c.var.viewer, { month: p.month, school: p.school, now: c.var.now() });
  if (!r) return { error: 'Geen toegang tot deze school', status: 403 as const };
  return { report: r };
}

export const reportRoutes = new Hono<Env>()
  .get('/monthly', async (c) => {
    const r = await report(c);
    if ('error' in r) return c.json({ error: r.error }, r.status);
    return c.json(r.report);
  })
  .get('/monthly.pdf', async (c) => {
    const r = await report(c);
    if ('error' in r) return c.json({ error: r.error }, r.status);
    const v = c.var.viewer;
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'export.monthly_report',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
      details: { month: r.report.month, school: c.req.query('school') ?? null },
    });
    c.header('content-type', 'application/pdf');
    c.header(
      'content-disposition',
      `attachment; filename="klankbord-maandrapport-${r.report.month}-${r.report.slug}.pdf"`,
    );
    return c.body(new Uint8Array(await reportPdf(r.report)));
  });
