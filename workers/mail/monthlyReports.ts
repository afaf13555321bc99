import { loadViewer } from '../../server/access.ts';
import { inTransaction, type DB } from '../../server/db/index.ts';
import { queueNotification } from '../../server/db/outbox.ts';
import { claimReportMonth, usersDueForReport } from '../../server/db/reportMail.ts';
import { lastMonth } from '../../server/overview/month.ts';
import { monthlyReport } from '../../server/overview/monthlyReport.ts';
import { reportPdf } from '../../server/overview/reportPdf.ts';
import { dutchClock } from '../time.ts';
import { reportMessage } from './messages.ts';

// In the first days of a month (Dutch time), each user who opted in gets last month's report over
// the schools they see, with the PDF attached, through the outbox. A user's month is claimed in
// the transaction that queues the mail, so however many workers run it is queued once; the rest of
// the month the job does not touch the database.
export const REPORT_DAYS = 7;
const BATCH = 10;

export async function queueMonthlyReports(db: DB, now = new Date()): Promise<number> {
  if (Number(dutchClock(now).date.slice(8, 10)) > REPORT_DAYS) return 0;
  const month = lastMonth(now);
  let queued = 0;
  for (const u of await usersDueForReport(db, `${month}-01`, BATCH)) {
    const viewer = await loadViewer(db, u.id);
    // made outside the transaction (it reads every rollup of two months); a worker that loses the
    // claim below has only wasted the work
    const report = viewer && (await monthlyReport(db, viewer, { month, now }));
    const pdf = report && (await reportPdf(report));
    queued += await inTransaction(db, async (trx) => {
      if (!(await claimReportMonth(trx, u.id, `${month}-01`))) return 0;
      if (!report || !pdf) return 0; // no schools to report on: nothing to send this month
      await queueNotification(trx, {
        board_id: u.board_id,
        kind: 'report',
        recipients: [u.email],
        ...reportMessage({
          ...report,
          reportUrl: `${u.dashboard_url.replace(/\/+$/, '')}/#/rapport?month=${month}`,
        }),
        attachment_name: `klankbord-maandrapport-${month}-${report.slug}.pdf`,
        attachment: pdf,
        send_after: now,
        created_at: now,
      });
      return 1;
    });
  }
  return queued;
}
