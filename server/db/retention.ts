import { sql } from 'kysely';
import type { DB } from './index.ts';

// What a board keeps and for how long (sql/0015_retention.sql), and the purge that applies it.
export type Retention = { mentionsMonths: number; reportsMonths: number; contactMonths: number; auditMonths: number };
export const RETENTION_DEFAULTS: Retention = {
  mentionsMonths: 12,
  reportsMonths: 12,
  contactMonths: 3,
  auditMonths: 24,
};
const BATCH = 1000;

export async function retentionOf(db: DB, boardId: string): Promise<Retention & { lastPurgeAt: Date | null }> {
  const r = await db.selectFrom('retention').selectAll().where('board_id', '=', boardId).executeTakeFirst();
  if (!r) return { ...RETENTION_DEFAULTS, lastPurgeAt: null };
  return {
    mentionsMonths: r.mentions_months,
    reportsMonths: r.reports_months,
    contactMonths: r.contact_months,
    auditMonths: r.audit_months,
    lastPurgeAt: r.last_purge_at,
  };
}

export async function saveRetention(db: DB, boardId: string, r: Retention, now: Date) {
  const values = {
    mentions_months: r.mentionsMonths,
    reports_months: r.reportsMonths,
    contact_months: r.contactMonths,
    audit_months: r.auditMonths,
    updated_at: now,
  };
  await db
    .insertInto('retention')
    .values({ board_id: boardId, ...values })
    .onConflict((oc) => oc.column('board_id').doUpdateSet(values))
    .execute();
}

export type Purged = { mentions: number; contacts: number; cases: number; throttle: number; audit: number };

// One bounded pass for one board, as of `now`. Posts and cases an open case still needs stay.
export async function purgeBoard(db: DB, boardId: string, r: Retention, now: Date): Promise<Purged> {
  const before = (months: number) => sql<Date>`${now}::timestamptz - make_interval(months => ${months})`;
  const openCase = sql<boolean>`exists (select 1 from case_mentions cm join cases c on c.id = cm.case_id
    where cm.mention_id = m.id and c.state in ('nieuw', 'in_behandeling'))`;
  const old = (origin: 'collected' | 'manual' | 'reported', months: number) =>
    db
      .selectFrom('mentions as m')
      .select('m.id')
      .where('m.board_id', '=', boardId)
      .where('m.origin', '=', origin)
      .where('m.created_at', '<', before(months))
      .where(sql<boolean>`not ${openCase}`)
      .limit(BATCH);
  const mentions =
    Number(
      (await db.deleteFrom('mentions').where('id', 'in', old('collected', r.mentionsMonths)).executeTakeFirst())
        .numDeletedRows,
    ) +
    Number(
      (await db.deleteFrom('mentions').where('id', 'in', old('manual', r.mentionsMonths)).executeTakeFirst())
        .numDeletedRows,
    ) +
    Number(
      (await db.deleteFrom('mentions').where('id', 'in', old('reported', r.reportsMonths)).executeTakeFirst())
        .numDeletedRows,
    );
  // A reporter's contact details: after their own (shorter) term, or as soon as the case is closed.
  const contacts = Number(
    (
      await db
        .updateTable('reports')
        .set({ contact: null })
        .where('contact', 'is not', null)
        .where('school_id', 'in', db.selectFrom('schools').select('id').where('board_id', '=', boardId))
        .where((eb) =>
          eb.or([
            eb('created_at', '<', before(r.contactMonths)),
            eb.exists(
              eb
                .selectFrom('case_mentions as cm')
                .innerJoin('cases as c', 'c.id', 'cm.case_id')
                .select('cm.case_id')
                .whereRef('cm.mention_id', '=', 'reports.mention_id')
                .where('c.state', 'in', ['afgerond', 'geen_actie']),
            ),
          ]),
        )
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  const cases = Number(
    (
      await db
        .deleteFrom('cases')
        .where('board_id', '=', boardId)
        .where('state', 'in', ['afgerond', 'geen_actie'])
        .where('closed_at', '<', before(r.mentionsMonths))
        .executeTakeFirst()
    ).numDeletedRows,
  );
  const throttle = Number(
    (
      await db
        .deleteFrom('report_throttle')
        .where('at', '<', sql<Date>`${now}::timestamptz - interval '24 hours'`)
        .executeTakeFirst()
    ).numDeletedRows,
  );
  // through the owner's function (sql/0019): the app role itself may not delete from the audit log
  const limit = before(Math.max(12, r.auditMonths));
  const purged = await sql<{ n: number }>`select purge_audit_log(${boardId}, ${limit}, ${BATCH}) as n`.execute(db);
  const audit = Number(purged.rows[0].n);
  await db
    .insertInto('retention')
    .values({ board_id: boardId, last_purge_at: now })
    .onConflict((oc) => oc.column('board_id').doUpdateSet({ last_purge_at: now }))
    .execute();
  return { mentions, contacts, cases, throttle, audit };
}

export async function boardIds(db: DB): Promise<string[]> {
  return (await db.selectFrom('boards').select('id').orderBy('id').execute()).map((b) => b.id);
}
