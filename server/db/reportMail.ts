import { sql } from 'kysely';
import type { DB } from './index.ts';

// Who gets the monthly report by e-mail (users opt in themselves), and the claim that queues each
// user's report for a month once, however many workers try.

export async function monthlyReportWanted(db: DB, userId: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('monthly_report').where('id', '=', userId).executeTakeFirst();
  return r?.monthly_report ?? false;
}

export async function setMonthlyReport(db: DB, userId: string, on: boolean) {
  await db.updateTable('users').set({ monthly_report: on }).where('id', '=', userId).execute();
}

const notYet = (month: string) => sql<boolean>`(last_report_month is null or last_report_month < ${month}::date)`;

// Opted-in, active users whose report for `month` (its first day) is not queued yet, on boards that
// send mail; a few at a time.
export async function usersDueForReport(db: DB, month: string, limit: number) {
  return db
    .selectFrom('users as u')
    .innerJoin('mail_settings as m', 'm.board_id', 'u.board_id')
    .select(['u.id', 'u.email', 'u.board_id', 'm.dashboard_url'])
    .where('u.monthly_report', '=', true)
    .where('u.disabled_at', 'is', null)
    .where(notYet(month))
    .orderBy('u.id')
    .limit(limit)
    .execute();
}

// One UPDATE: true for the worker that moved the user to `month`, false for everyone after it.
export async function claimReportMonth(db: DB, userId: string, month: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ last_report_month: month })
    .where('id', '=', userId)
    .where(notYet(month))
    .returning('id')
    .executeTakeFirst();
  return !!r;
}
