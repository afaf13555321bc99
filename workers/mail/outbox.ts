import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import type { DB } from '../../server/db/index.ts';
import type { MailSettingsTable } from '../../server/db/schema.ts';
import { loadPreset } from '../policy/presets.ts';
import { alertMessage, digestMessage, type DigestCase } from './messages.ts';
import { dutchClock } from '../time.ts';

// E-mail goes through an outbox table: alerts are queued in the transaction that files the case,
// digests by the one worker that claims the day, and any worker sends what is due (SKIP LOCKED, a
// lease, retries with backoff). Nothing is queued for a board without SMTP settings.

type Settings = Omit<MailSettingsTable, 'security' | 'digest_hour' | 'last_digest_on' | 'updated_at'> & { security: string; digest_hour: number };

// The actions that make a case urgent enough to mail at once.
const URGENT = ['report_police', 'meldcode', 'notify_inspector', 'remove_personal_data', 'escalate'];

export async function mailSettings(db: Pick<DB, 'selectFrom'>, boardId: string): Promise<Settings | undefined> {
  return db.selectFrom('mail_settings').selectAll().where('board_id', '=', boardId).executeTakeFirst();
}

export function transportFor(s: Settings) {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: s.username ? { user: s.username, pass: s.password ?? '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

// Who hears of an urgent case: the school's contacts for the roles its urgent prompts name, and its
// directeur; without e-mail addresses there, the board's directie and communicatie users who see it.
async function alertRecipients(db: DB, schoolId: string, boardId: string, roles: string[]): Promise<string[]> {
  const contacts = await db.selectFrom('school_contacts').select(['email', 'role']).where('school_id', '=', schoolId).where('email', 'is not', null).execute();
  const wanted = contacts.filter((c) => roles.includes(c.role) || c.role === 'directie' || (roles.includes('leidinggevende') && c.role === 'leidinggevende')).map((c) => c.email!);
  if (wanted.length) return [...new Set(wanted)];
  const users = await db
    .selectFrom('users as u')
    .select('u.email')
    .where('u.board_id', '=', boardId)
    .where('u.role', 'in', ['directie', 'communicatie'])
    .where((eb) => eb.or([eb('u.all_schools', '=', true), eb.exists(eb.selectFrom('user_schools as us').select(sql`1`.as('one')).whereRef('us.user_id', '=', 'u.id').where('us.school_id', '=', schoolId))]))
    .execute();
  return [...new Set(users.map((u) => u.email))];
}

// Called where a case is filed (same transaction): an urgent case, new or with new urgent prompts.
export async function queueAlert(db: DB, c: { boardId: string; caseId: string; schoolId: string; newActions: string[] }, now = new Date()) {
  const urgent = c.newActions.filter((t) => URGENT.includes(t));
  if (!urgent.length) return 0;
  const settings = await mailSettings(db, c.boardId);
  if (!settings) return 0;
  const actions = await db.selectFrom('case_actions').select(['type', 'article', 'roles']).where('case_id', '=', c.caseId).where('type', 'in', urgent).execute();
  const school = await db.selectFrom('schools').select('name').where('id', '=', c.schoolId).executeTakeFirstOrThrow();
  const board = await db.selectFrom('boards').select('policy').where('id', '=', c.boardId).executeTakeFirstOrThrow();
  const order = (t: string) => URGENT.indexOf(t);
  actions.sort((a, b) => order(a.type) - order(b.type));
  const recipients = await alertRecipients(db, c.schoolId, c.boardId, actions.flatMap((a) => a.roles));
  if (!recipients.length) return 0;
  const msg = alertMessage({ caseId: c.caseId, school: school.name, actions, policy: loadPreset(board.policy).name, dashboardUrl: settings.dashboard_url });
  await db.insertInto('notifications').values({ board_id: c.boardId, case_id: c.caseId, kind: 'alert', recipients, ...msg, send_after: now, created_at: now }).execute();
  await db.insertInto('case_events').values({ case_id: c.caseId, actor: 'klankbord', kind: 'alert', details: JSON.stringify({ count: recipients.length }), created_at: now }).execute();
  return recipients.length;
}


// Once a day per board, after its digest hour (Amsterdam time): one mail per directie and
// communicatie user, about the schools they see. The day is claimed in one UPDATE, so however many
// workers run, each digest is queued once.
export async function queueDigests(db: DB, now = new Date()): Promise<number> {
  const { date, hour } = dutchClock(now);
  let queued = 0;
  const boards = await db.selectFrom('mail_settings').select(['board_id', 'digest_hour']).where('digest_hour', '<=', hour).where((eb) => eb.or([eb('last_digest_on', 'is', null), eb('last_digest_on', '<', sql<string>`${date}::date`)])).execute();
  for (const b of boards) {
    queued += await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('mail_settings')
        .set({ last_digest_on: date })
        .where('board_id', '=', b.board_id)
        .where((eb) => eb.or([eb('last_digest_on', 'is', null), eb('last_digest_on', '<', sql<string>`${date}::date`)]))
        .returning(['dashboard_url'])
        .executeTakeFirst();
      if (!claimed) return 0;
      const board = await trx.selectFrom('boards').select('name').where('id', '=', b.board_id).executeTakeFirstOrThrow();
      const users = await trx.selectFrom('users').select(['id', 'email', 'all_schools']).where('board_id', '=', b.board_id).where('role', 'in', ['directie', 'communicatie']).execute();
      const cases = await trx
        .selectFrom('cases as c')
        .innerJoin('schools as s', 's.id', 'c.school_id')
        .select(['c.id', 'c.school_id', 's.name', 'c.due_at', 'c.created_at', sql<string[]>`(select coalesce(array_agg(a.type), '{}') from case_actions a where a.case_id = c.id)`.as('types')])
        .where('c.board_id', '=', b.board_id)
        .where('c.state', 'in', ['nieuw', 'in_behandeling'])
        .execute();
      let n = 0;
      for (const u of users) {
        const schools = u.all_schools ? undefined : new Set((await trx.selectFrom('user_schools').select('school_id').where('user_id', '=', u.id).execute()).map((r) => r.school_id));
        const mine = cases.filter((c) => !schools || schools.has(c.school_id));
        const top = (types: string[]) => [...URGENT, 'correct_online', 'reply_online', 'real_life', 'check_consent', 'remind_staff', 'amplify'].find((t) => types.includes(t)) ?? 'monitor';
        const toDigest = (c: (typeof mine)[number]): DigestCase => ({ id: c.id, school: c.name, top: top(c.types), dueAt: c.due_at, overdue: c.due_at < now });
        const fresh = mine.filter((c) => c.created_at.getTime() >= now.getTime() - 86_400_000).map(toDigest);
        const late = mine.filter((c) => c.due_at < now).map(toDigest);
        if (!fresh.length && !late.length) continue;
        const msg = digestMessage(board.name, fresh, late, mine.length, claimed.dashboard_url, now);
        await trx.insertInto('notifications').values({ board_id: b.board_id, kind: 'digest', recipients: [u.email], ...msg, send_after: now, created_at: now }).execute();
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
export async function sendPending(db: DB, limit = 20, now = new Date()): Promise<{ sent: number; failed: number }> {
  const batch = await db
    .updateTable('notifications')
    .set((eb) => ({ send_after: new Date(now.getTime() + 5 * 60_000), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('notifications').select('id').where('state', '=', 'pending').where('send_after', '<=', now).orderBy('id').limit(limit).forUpdate().skipLocked())
    .returningAll()
    .execute();
  let sent = 0;
  let failed = 0;
  const settings = new Map<string, Settings | undefined>();
  for (const n of batch) {
    if (!settings.has(n.board_id)) settings.set(n.board_id, await mailSettings(db, n.board_id));
    const s = settings.get(n.board_id);
    try {
      if (!s) throw new Error('geen SMTP-instellingen voor dit bestuur');
      await transportFor(s).sendMail({ from: s.from_address, to: n.recipients, subject: n.subject, text: n.body });
      await db.updateTable('notifications').set({ state: 'sent', sent_at: now, last_error: null }).where('id', '=', n.id).execute();
      sent++;
    } catch (err) {
      const last = n.attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('notifications')
        .set({ state: last ? 'failed' : 'pending', last_error: (err as Error).message.slice(0, 500), send_after: new Date(now.getTime() + n.attempts * n.attempts * 60_000) })
        .where('id', '=', n.id)
        .execute();
      failed++;
    }
  }
  return { sent, failed };
}
