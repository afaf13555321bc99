import { sql } from 'kysely';
import type { DB } from './index.ts';

// What people bring in by hand: meldpunt reports (with the address-hash rate limit) and the board's
// "Handmatig toegevoegd" source. The pipeline stores the posts themselves.

export type MeldpuntRow = {
  schoolId: string;
  boardId: string;
  schoolName: string;
  boardName: string;
  sourceId: string;
  open: boolean;
};

// Every school with this slug (on this board, when given) and its report sources, oldest source first.
// An archived school has no meldpunt.
export async function meldpuntRows(db: DB, schoolSlug: string, boardSlug?: string): Promise<MeldpuntRow[]> {
  let q = db
    .selectFrom('schools as sc')
    .innerJoin('boards as b', 'b.id', 'sc.board_id')
    .innerJoin('sources as s', (j) => j.onRef('s.school_id', '=', 'sc.id').on('s.kind', '=', 'report'))
    .select([
      'sc.id as schoolId',
      'b.id as boardId',
      'sc.name as schoolName',
      'b.name as boardName',
      's.id as sourceId',
      's.enabled as open',
    ])
    .where('sc.slug', '=', schoolSlug)
    .where('sc.archived_at', 'is', null);
  if (boardSlug) q = q.where('b.slug', '=', boardSlug);
  return q.orderBy('s.id').execute();
}

// Forgets throttle entries older than a day, then counts this key's entries of the last hour.
export async function reportsInLastHour(db: DB, key: string): Promise<number> {
  await db
    .deleteFrom('report_throttle')
    .where('at', '<', sql<Date>`now() - interval '1 day'`)
    .execute();
  const row = await db
    .selectFrom('report_throttle')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('key', '=', key)
    .where('at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertThrottle(db: DB, key: string) {
  await db.insertInto('report_throttle').values({ key }).execute();
}

export async function insertReport(
  db: DB,
  r: {
    mentionId: string;
    schoolId: string;
    contact: string | null;
    screenshotDescription: string | null;
    held: boolean;
  },
) {
  await db
    .insertInto('reports')
    .values({
      mention_id: r.mentionId,
      school_id: r.schoolId,
      contact: r.contact,
      screenshot_description: r.screenshotDescription,
      held: r.held,
    })
    .execute();
}

// For queries over `mentions as m`: the mention is no report held back in a flood (those start no
// case, alert or spike; staff read them in the inbox, marked as held).
export const notHeldReport = sql<boolean>`not exists (select 1 from reports hr where hr.mention_id = m.id and hr.held)`;

// The reporter's contact details of a reported mention, if they left any.
export async function reportContact(db: DB, mentionId: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('reports').select('contact').where('mention_id', '=', mentionId).executeTakeFirst();
  return row?.contact;
}

// The board's "Handmatig toegevoegd" source, made on first use.
export async function manualSource(db: DB, boardId: string): Promise<string> {
  const existing = await db
    .selectFrom('sources')
    .select('id')
    .where('board_id', '=', boardId)
    .where('kind', '=', 'manual')
    .orderBy('id')
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('sources')
    .values({ board_id: boardId, kind: 'manual', name: 'Handmatig toegevoegd', interval_seconds: 86_400 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function mentionIdByExternalId(db: DB, sourceId: string, externalId: string): Promise<string> {
  const row = await db
    .selectFrom('mention_keys')
    .select('mention_id')
    .where('source_id', '=', sourceId)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.mention_id;
}

// Ties a mention to one more school (no-op when it already is).
export async function linkMentionToSchool(db: DB, mentionId: string, schoolId: string) {
  await db
    .insertInto('mention_schools')
    .values({ mention_id: mentionId, school_id: schoolId, matched: [] })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

// Reports a school received in the last hour, from any address, held back or not.
export async function reportsToSchoolInLastHour(db: DB, schoolId: string): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('school_id', '=', schoolId)
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
