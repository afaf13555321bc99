import type { DB } from './index.ts';

export type AuditEntry = {
  boardId?: string | null;
  userId?: string | null;
  actor: string;
  action: string; // "login.ok", "login.failed", "export.mentions", "user.create", "school.update", …
  targetType?: string;
  targetId?: string | number;
  ip?: string | null;
  details?: Record<string, unknown>;
  at?: Date; // the app's clock (a test's too); the database's when not given
};

export async function audit(db: DB, e: AuditEntry) {
  await auditMany(db, [e]);
}

export async function auditMany(db: DB, entries: AuditEntry[]) {
  if (!entries.length) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        board_id: e.boardId ?? null,
        user_id: e.userId ?? null,
        actor: e.actor,
        action: e.action,
        target_type: e.targetType ?? null,
        target_id: e.targetId === undefined ? null : String(e.targetId),
        ip: e.ip ?? null,
        details: JSON.stringify(e.details ?? {}),
        ...(e.at ? { created_at: e.at } : {}),
      })),
    )
    .execute();
}
