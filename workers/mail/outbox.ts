import { config } from '../../server/config.ts';
import { inTransaction, type DB } from '../../server/db/index.ts';
import { insertFilingEvent } from '../../server/db/caseFiling.ts';
import {
  boardName,
  boardPresetId,
  boardsDueForDigest,
  caseActionsOfTypes,
  claimDigestDay,
  leaseDueNotifications,
  mailSettings,
  markNotificationSent,
  openCasesWithActionTypes,
  queueNotification,
  recordSendFailure,
  schoolContactsWithEmail,
  schoolName,
  userEmailsSeeingSchool,
  userSchoolIds,
  usersInRoles,
  type SmtpSettings,
} from '../../server/db/outbox.ts';
import { loadPreset } from '../policy/presets.ts';
import { alertMessage, digestMessage, type DigestCase } from './messages.ts';
import { dutchClock } from '../time.ts';
import { smtpTransport } from './smtpTarget.ts';

// E-mail goes through an outbox table: alerts are queued in the transaction that files the case,
// digests by the one worker that claims the day, and any worker sends what is due (SKIP LOCKED, a
// lease, retries with backoff). Nothing is queued for a board without SMTP settings.

// The actions that make a case urgent enough to mail at once.
const URGENT = ['report_police', 'meldcode', 'notify_inspector', 'remove_personal_data', 'escalate'];

// Who hears of an urgent case: the school's contacts for the roles its urgent prompts name, and its
// directeur; without e-mail addresses there, the board's directie and communicatie users who see it.
async function alertRecipients(db: DB, schoolId: string, boardId: string, roles: string[]): Promise<string[]> {
  const contacts = await schoolContactsWithEmail(db, schoolId);
  const wanted = contacts
    .filter(
      (c) =>
        roles.includes(c.role) ||
        c.role === 'directie' ||
        (roles.includes('leidinggevende') && c.role === 'leidinggevende'),
    )
    .map((c) => c.email!);
  if (wanted.length) return [...new Set(wanted)];
  return [...new Set(await userEmailsSeeingSchool(db, boardId, schoolId, ['directie', 'communicatie']))];
}

// Called where a case is filed (same transaction): an urgent case, new or with new urgent prompts.
export async function queueAlert(
  db: DB,
  c: { boardId: string; caseId: string; schoolId: string; newActions: string[] },
  now = new Date(),
) {
  const urgent = c.newActions.filter((t) => URGENT.includes(t));
  if (!urgent.length) return 0;
  const settings = await mailSettings(db, c.boardId);
  if (!settings) return 0;
  const actions = await caseActionsOfTypes(db, c.caseId, urgent);
  const school = await schoolName(db, c.schoolId);
  const preset = await boardPresetId(db, c.boardId);
  const order = (t: string) => URGENT.indexOf(t);
  actions.sort((a, b) => order(a.type) - order(b.type));
  const recipients = await alertRecipients(
    db,
    c.schoolId,
    c.boardId,
    actions.flatMap((a) => a.roles),
  );
  if (!recipients.length) return 0;
  const msg = alertMessage({
    caseId: c.caseId,
    school,
    actions,
    policy: loadPreset(preset).name,
    dashboardUrl: settings.dashboard_url,
  });
  await queueNotification(db, {
    board_id: c.boardId,
    case_id: c.caseId,
    kind: 'alert',
    recipients,
    ...msg,
    send_after: now,
    created_at: now,
  });
  await insertFilingEvent(db, {
    caseId: c.caseId,
    actor: 'klankbord',
    kind: 'alert',
    details: { count: recipients.length },
    at: now,
  });
  return recipients.length;
}

// Once a day per board, after its digest hour (Amsterdam time): one mail per directie and
// communicatie user, about the schools they see. The day is claimed in one UPDATE, so however many
// workers run, each digest is queued once.
export async function queueDigests(db: DB, now = new Date()): Promise<number> {
  const { date, hour } = dutchClock(now);
  let queued = 0;
  const boards = await boardsDueForDigest(db, date, hour);
  for (const b of boards) {
    queued += await inTransaction(db, async (trx) => {
      const claimed = await claimDigestDay(trx, b.board_id, date);
      if (!claimed) return 0;
      const board = await boardName(trx, b.board_id);
      const users = await usersInRoles(trx, b.board_id, ['directie', 'communicatie']);
      const cases = await openCasesWithActionTypes(trx, b.board_id);
      let n = 0;
      for (const u of users) {
        const schools = u.all_schools ? undefined : new Set(await userSchoolIds(trx, u.id));
        const mine = cases.filter((c) => !schools || schools.has(c.school_id));
        const top = (types: string[]) =>
          [...URGENT, 'correct_online', 'reply_online', 'real_life', 'check_consent', 'remind_staff', 'amplify'].find(
            (t) => types.includes(t),
          ) ?? 'monitor';
        const toDigest = (c: (typeof mine)[number]): DigestCase => ({
          id: c.id,
          school: c.name,
          top: top(c.types),
          dueAt: c.due_at,
          overdue: c.due_at < now,
        });
        const fresh = mine.filter((c) => c.created_at.getTime() >= now.getTime() - 86_400_000).map(toDigest);
        const late = mine.filter((c) => c.due_at < now).map(toDigest);
        if (!fresh.length && !late.length) continue;
        const msg = digestMessage(board, fresh, late, mine.length, claimed.dashboard_url, now);
        await queueNotification(trx, {
          board_id: b.board_id,
          kind: 'digest',
          recipients: [u.email],
          ...msg,
          send_after: now,
          created_at: now,
        });
        n++;
      }
      return n;
    });
  }
  return queued;
}

export const MAX_ATTEMPTS = 5;

// Sends what is due. Each batch is leased for five minutes first, so a worker that dies mid-send
// leaves its mails to another; a failure is retried later with backoff, up to MAX_ATTEMPTS.
export async function sendPending(
  db: DB,
  limit = 20,
  now = new Date(),
  allow: readonly string[] = config().KLANKBORD_FETCH_ALLOW,
): Promise<{ sent: number; failed: number }> {
  const batch = await leaseDueNotifications(db, limit, now, new Date(now.getTime() + 5 * 60_000));
  let sent = 0;
  let failed = 0;
  const settings = new Map<string, SmtpSettings | undefined>();
  for (const n of batch) {
    if (!settings.has(n.board_id)) settings.set(n.board_id, await mailSettings(db, n.board_id));
    const s = settings.get(n.board_id);
    try {
      if (!s) throw new Error('geen SMTP-instellingen voor dit bestuur');
      await (
        await smtpTransport(s, allow)
      ).sendMail({
        from: s.from_address,
        to: n.recipients,
        subject: n.subject,
        text: n.body,
        attachments:
          n.attachment && n.attachment_name
            ? [{ filename: n.attachment_name, content: n.attachment, contentType: 'application/pdf' }]
            : undefined,
      });
      await markNotificationSent(db, n.id, now);
      sent++;
    } catch (err) {
      const last = n.attempts >= MAX_ATTEMPTS;
      await recordSendFailure(db, n.id, {
        state: last ? 'failed' : 'pending',
        lastError: (err as Error).message.slice(0, 500),
        sendAfter: new Date(now.getTime() + n.attempts * n.attempts * 60_000),
      });
      failed++;
    }
  }
  return { sent, failed };
}
