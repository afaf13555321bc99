import { sql, type Insertable } from 'kysely';
import type { DB } from './index.ts';
import type { Database, MailSettingsTable, NotificationState, Role } from './schema.ts';

// The mail outbox (notifications) and what workers/mail/outbox.ts reads to fill it: a board's SMTP
// settings, who an alert or digest goes to, and the cases it is about. The worker decides.

export type SmtpSettings = Omit<MailSettingsTable, 'security' | 'digest_hour' | 'last_digest_on' | 'updated_at'> & {
  security: string;
  digest_hour: number;
};

export async function mailSettings(db: Pick<DB, 'selectFrom'>, boardId: string): Promise<SmtpSettings | undefined> {
  return db.selectFrom('mail_settings').selectAll().where('board_id', '=', boardId).executeTakeFirst();
}

export async function schoolContactsWithEmail(db: DB, schoolId: string) {
  return db
    .selectFrom('school_contacts')
    .select(['email', 'role'])
    .where('school_id', '=', schoolId)
    .where('email', 'is not', null)
    .execute();
}

// The e-mail addresses of the board's users in `roles` who see the school (all schools, or this one).
export async function userEmailsSeeingSchool(
  db: DB,
  boardId: string,
  schoolId: string,
  roles: Role[],
): Promise<string[]> {
  const users = await db
    .selectFrom('users as u')
    .select('u.email')
    .where('u.board_id', '=', boardId)
    .where('u.role', 'in', roles)
    .where((eb) =>
      eb.or([
        eb('u.all_schools', '=', true),
        eb.exists(
          eb
            .selectFrom('user_schools as us')
            .select(sql`1`.as('one'))
            .whereRef('us.user_id', '=', 'u.id')
            .where('us.school_id', '=', schoolId),
        ),
      ]),
    )
    .execute();
  return users.map((u) => u.email);
}

export async function caseActionsOfTypes(db: DB, caseId: string, types: string[]) {
  return db
    .selectFrom('case_actions')
    .select(['type', 'article', 'roles'])
    .where('case_id', '=', caseId)
    .where('type', 'in', types)
    .execute();
}

export async function schoolName(db: DB, schoolId: string): Promise<string> {
  return (await db.selectFrom('schools').select('name').where('id', '=', schoolId).executeTakeFirstOrThrow()).name;
}

export async function boardPresetId(db: DB, boardId: string): Promise<string> {
  return (await db.selectFrom('boards').select('policy').where('id', '=', boardId).executeTakeFirstOrThrow()).policy;
}

export async function boardName(db: DB, boardId: string): Promise<string> {
  return (await db.selectFrom('boards').select('name').where('id', '=', boardId).executeTakeFirstOrThrow()).name;
}

export async function queueNotification(db: DB, n: Insertable<Database['notifications']>) {
  await db.insertInto('notifications').values(n).execute();
}

// Boards whose digest hour (Dutch time) has come today and whose digest for `date` is not queued yet.
export async function boardsDueForDigest(db: DB, date: string, hour: number) {
  return db
    .selectFrom('mail_settings')
    .select(['board_id', 'digest_hour'])
    .where('digest_hour', '<=', hour)
    .where((eb) => eb.or([eb('last_digest_on', 'is', null), eb('last_digest_on', '<', sql<string>`${date}::date`)]))
    .execute();
}

// Claims the board's digest for `date` in one UPDATE, so however many workers try, one gets it:
// the dashboard address for the claimant, undefined for everyone else.
export async function claimDigestDay(
  db: DB,
  boardId: string,
  date: string,
): Promise<{ dashboard_url: string } | undefined> {
  return db
    .updateTable('mail_settings')
    .set({ last_digest_on: date })
    .where('board_id', '=', boardId)
    .where((eb) => eb.or([eb('last_digest_on', 'is', null), eb('last_digest_on', '<', sql<string>`${date}::date`)]))
    .returning(['dashboard_url'])
    .executeTakeFirst();
}

export async function usersInRoles(db: DB, boardId: string, roles: Role[]) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'all_schools'])
    .where('board_id', '=', boardId)
    .where('role', 'in', roles)
    .execute();
}

export async function userSchoolIds(db: DB, userId: string): Promise<string[]> {
  return (await db.selectFrom('user_schools').select('school_id').where('user_id', '=', userId).execute()).map(
    (r) => r.school_id,
  );
}

// The board's open cases with their school's name and the types of their prompts.
export async function openCasesWithActionTypes(db: DB, boardId: string) {
  return db
    .selectFrom('cases as c')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .select([
      'c.id',
      'c.school_id',
      's.name',
      'c.due_at',
      'c.created_at',
      sql<string[]>`(select coalesce(array_agg(a.type), '{}') from case_actions a where a.case_id = c.id)`.as('types'),
    ])
    .where('c.board_id', '=', boardId)
    .where('c.state', 'in', ['nieuw', 'in_behandeling'])
    .execute();
}

// Takes up to `limit` due mails and holds them until `leaseUntil` (one attempt more each), SKIP
// LOCKED so two workers never send the same mail; a worker that dies leaves them to another.
export async function leaseDueNotifications(db: DB, limit: number, now: Date, leaseUntil: Date) {
  return db
    .updateTable('notifications')
    .set((eb) => ({ send_after: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where('state', '=', 'pending')
        .where('send_after', '<=', now)
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

export async function markNotificationSent(db: DB, id: string, at: Date) {
  await db
    .updateTable('notifications')
    // the report's PDF is not kept once it is out
    .set({ state: 'sent', sent_at: at, last_error: null, attachment: null, attachment_name: null })
    .where('id', '=', id)
    .execute();
}

export async function recordSendFailure(
  db: DB,
  id: string,
  f: { state: NotificationState; lastError: string; sendAfter: Date },
) {
  await db
    .updateTable('notifications')
    .set({ state: f.state, last_error: f.lastError, send_after: f.sendAfter })
    .where('id', '=', id)
    .execute();
}
