import { seal } from '../auth/secretBox.ts';
import type { DB } from './index.ts';
import type { MailSecurity } from './schema.ts';

// The board's own SMTP settings, and what was sent with them.

export type MailSettingsInput = {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  from_address: string;
  dashboard_url: string;
  digest_hour: number;
  updated_at: Date;
};

// `password` undefined keeps the stored one; null removes it.
export async function saveMailSettings(
  db: DB,
  boardId: string,
  values: MailSettingsInput,
  password: string | null | undefined,
) {
  const set = password === undefined ? values : { ...values, password: password === null ? null : seal(password) };
  await db
    .insertInto('mail_settings')
    .values({ board_id: boardId, ...set })
    .onConflict((oc) => oc.column('board_id').doUpdateSet(set))
    .execute();
}

export async function deleteMailSettings(db: DB, boardId: string) {
  await db.deleteFrom('mail_settings').where('board_id', '=', boardId).execute();
}

export async function recentNotifications(db: DB, boardId: string, limit = 20) {
  return db
    .selectFrom('notifications')
    .select(['id', 'kind', 'subject', 'recipients', 'state', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('board_id', '=', boardId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
