import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { can } from '../access.ts';
import { audit } from '../db/audit.ts';
import { auditEntries, type AuditRow } from '../db/auditView.ts';
import { schoolBySlug } from '../db/schools.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';

// /api/audit: who did what, for the privacy officer and beheer; reading it in bulk (CSV) is itself
// on record.
const query = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  school: z.string().max(100).optional(),
  from: z.string().date('van: een datum als 2026-11-01').optional(),
  to: z.string().date('tot: een datum als 2026-11-30').optional(),
});
const onlyFg = { error: 'Alleen de privacy officer (FG) en beheer lezen het auditlog' };
const csvCell = (v: unknown) => {
  const s = typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const toCsv = (rows: AuditRow[]) =>
  [
    'id,at,actor,action,target_type,target_id,ip,details',
    ...rows.map((r) =>
      [r.id, r.at, r.actor, r.action, r.targetType, r.targetId, r.ip, r.details].map(csvCell).join(','),
    ),
  ].join('\n') + '\n';

async function entries(c: Context<Env>, p: z.infer<typeof query>, limit: number) {
  const v = c.var.viewer;
  let schoolId: string | undefined;
  if (p.school) {
    const s = await schoolBySlug(c.var.db, v.boardId, p.school);
    if (!s) return undefined;
    schoolId = s.id;
  }
  const from = p.from ? new Date(`${p.from}T00:00:00Z`) : undefined;
  const to = p.to ? new Date(new Date(`${p.to}T00:00:00Z`).getTime() + 86_400_000) : undefined;
  return auditEntries(c.var.db, { boardId: v.boardId, actor: p.actor, action: p.action, schoolId, from, to, limit });
}

export const auditRoutes = new Hono<Env>()
  .get('/', async (c) => {
    if (!can(c.var.viewer, 'audit.read')) return c.json(onlyFg, 403);
    const rows = await entries(c, parseOrThrow(query, c.req.query()), 500);
    return rows ? c.json({ entries: rows }) : c.json({ error: 'School niet gevonden' }, 404);
  })
  // The whole selection as CSV; taking the log out in bulk is itself on record, so it is a POST.
  .post('/export', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'audit.read')) return c.json(onlyFg, 403);
    const p = parseOrThrow(query, await jsonBody(c));
    const rows = await entries(c, p, 50_000);
    if (!rows) return c.json({ error: 'School niet gevonden' }, 404);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'export.audit',
      ip: clientIp(c),
      details: { count: rows.length, filter: p },
    });
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', 'attachment; filename="klankbord-auditlog.csv"');
    return c.body(toCsv(rows));
  });
