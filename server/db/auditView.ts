import { sql } from 'kysely';
import type { DB } from './index.ts';

// The audit log as the privacy officer and beheer read it: by person, action, school and period.
export type AuditFilter = {
  boardId: string;
  actor?: string;
  action?: string;
  schoolId?: string;
  from?: Date;
  to?: Date;
  limit: number;
};
export type AuditRow = {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

export async function auditEntries(db: DB, f: AuditFilter): Promise<AuditRow[]> {
  let q = db
    .selectFrom('audit_log as a')
    .select(['a.id', 'a.created_at', 'a.actor', 'a.action', 'a.target_type', 'a.target_id', 'a.ip', 'a.details'])
    .where('a.board_id', '=', f.boardId);
  if (f.actor) q = q.where('a.actor', 'ilike', `%${f.actor.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (f.action) q = q.where('a.action', 'like', `${f.action.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (f.from) q = q.where('a.created_at', '>=', f.from);
  if (f.to) q = q.where('a.created_at', '<', f.to);
  // An entry is about a school when it targets the school, one of its cases, or a post about it.
  if (f.schoolId)
    q = q.where(
      sql<boolean>`(a.target_type = 'school' and a.target_id = ${f.schoolId})
        or (a.target_type = 'case' and exists (select 1 from cases c where c.id::text = a.target_id and c.school_id = ${f.schoolId}))
        or (a.target_type = 'mention' and exists (select 1 from mention_schools ms where ms.mention_id::text = a.target_id and ms.school_id = ${f.schoolId}))`,
    );
  const rows = await q.orderBy('a.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at.toISOString(),
    actor: r.actor,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    ip: r.ip,
    details: r.details,
  }));
}
