import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from './db/index.ts';
import type { Origin } from './db/schema.ts';
import { audit } from './db/audit.ts';
import { processItems } from '../workers/pipeline.ts';
import { clip } from '../workers/normalise.ts';
import { canonicalUrl } from '../workers/urls.ts';

// People bring in what no collector can reach: the public meldpunt per school, and staff pasting
// a link or a text. Both go through the same pipeline as collected posts (classification, story
// linking), tied to the school they were given for instead of being matched by name.

export const REPORT_LIMITS = { text: 5000, link: 2000, screenshot: 2000, contact: 200, perHour: 5 };
export const SEEN_ON = ['whatsapp', 'snapchat', 'instagram', 'tiktok', 'facebook', 'x', 'youtube', 'website', 'elders'] as const;
export type SeenOn = (typeof SEEN_ON)[number];
export const SEEN_ON_LABEL: Record<SeenOn, string> = {
  whatsapp: 'WhatsApp', snapchat: 'Snapchat', instagram: 'Instagram', tiktok: 'TikTok', facebook: 'Facebook', x: 'X (Twitter)', youtube: 'YouTube', website: 'een website', elders: 'elders',
};

export type MeldpuntSchool = { schoolId: string; boardId: string; schoolName: string; boardName: string; sourceId: string; open: boolean };

// /meld/<school> when the slug is unique across boards, /meld/<board>/<school> always.
export async function findMeldpunt(db: DB, schoolSlug: string, boardSlug?: string): Promise<MeldpuntSchool | undefined | 'ambiguous'> {
  let q = db
    .selectFrom('schools as sc')
    .innerJoin('boards as b', 'b.id', 'sc.board_id')
    .innerJoin('sources as s', (j) => j.onRef('s.school_id', '=', 'sc.id').on('s.kind', '=', 'report'))
    .select(['sc.id as schoolId', 'b.id as boardId', 'sc.name as schoolName', 'b.name as boardName', 's.id as sourceId', 's.enabled as open'])
    .where('sc.slug', '=', schoolSlug);
  if (boardSlug) q = q.where('b.slug', '=', boardSlug);
  const rows = await q.orderBy('s.id').execute();
  const schools = new Set(rows.map((r) => r.schoolId));
  if (schools.size > 1) return 'ambiguous';
  return rows.find((r) => r.open) ?? rows[0];
}

// The rate limit counts salted hashes of the address, kept for a day: enough to stop a flood,
// not enough to tell who reported what.
const throttleKey = (ip: string) => createHash('sha256').update(`klankbord-meldpunt|${ip}`).digest('base64url').slice(0, 22);

export async function reportsAllowed(db: DB, ip: string): Promise<boolean> {
  await db.deleteFrom('report_throttle').where('at', '<', sql<Date>`now() - interval '1 day'`).execute();
  const row = await db
    .selectFrom('report_throttle')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('key', '=', throttleKey(ip))
    .where('at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return Number(row.n) < REPORT_LIMITS.perHour;
}

export type ReportInput = { text: string; link?: string; seenOn?: SeenOn; screenshot?: string; contact?: string };

export async function submitReport(db: DB, school: MeldpuntSchool, input: ReportInput, ip: string): Promise<string> {
  await db.insertInto('report_throttle').values({ key: throttleKey(ip) }).execute();
  const where = input.seenOn ? SEEN_ON_LABEL[input.seenOn] : undefined;
  const text = [input.text.trim(), input.screenshot?.trim() ? `Schermafbeelding: ${input.screenshot.trim()}` : ''].filter(Boolean).join('\n\n');
  const { ids } = await processItems(
    db,
    { id: school.sourceId, board_id: school.boardId, school_id: school.schoolId },
    [{ externalId: `report:${randomUUID()}`, url: input.link ? canonicalUrl(input.link) : null, title: where ? `Melding: gezien op ${where}` : 'Melding via het meldpunt', text: clip(text), author: null, publishedAt: new Date() }],
    { schoolIds: [school.schoolId], origin: 'reported' },
  );
  const mentionId = ids[0];
  await db.insertInto('reports').values({ mention_id: mentionId, school_id: school.schoolId, contact: input.contact?.trim() || null, screenshot_description: input.screenshot?.trim() || null }).execute();
  await audit(db, { boardId: school.boardId, actor: 'meldpunt', action: 'report.received', targetType: 'mention', targetId: mentionId, details: { school: school.schoolId, seenOn: input.seenOn ?? null } });
  return mentionId;
}

// The board's "Handmatig toegevoegd" source, made on first use.
async function manualSource(db: DB, boardId: string): Promise<string> {
  const existing = await db.selectFrom('sources').select('id').where('board_id', '=', boardId).where('kind', '=', 'manual').orderBy('id').executeTakeFirst();
  if (existing) return existing.id;
  const row = await db.insertInto('sources').values({ board_id: boardId, kind: 'manual', name: 'Handmatig toegevoegd', interval_seconds: 86_400 }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type ManualInput = { schoolId: string; url: string | null; title: string; text: string; author: string | null; publishedAt: Date | null };

export async function addManualMention(db: DB, boardId: string, input: ManualInput, actor: { id: string; email: string }, origin: Origin = 'manual'): Promise<{ id: string; duplicateOf?: string }> {
  const sourceId = await manualSource(db, boardId);
  const url = input.url ? canonicalUrl(input.url) : null;
  const { ids } = await processItems(
    db,
    { id: sourceId, board_id: boardId, school_id: null },
    [{ externalId: url ?? `manual:${randomUUID()}`, url, title: input.title, text: input.text, author: input.author, publishedAt: input.publishedAt }],
    { schoolIds: [input.schoolId], origin },
  );
  if (!ids.length) {
    // The same link was added by hand before.
    const prior = await db.selectFrom('mentions').select('id').where('source_id', '=', sourceId).where('external_id', '=', url ?? '').executeTakeFirstOrThrow();
    await db.insertInto('mention_schools').values({ mention_id: prior.id, school_id: input.schoolId, matched: [] }).onConflict((oc) => oc.doNothing()).execute();
    return { id: prior.id, duplicateOf: prior.id };
  }
  await audit(db, { boardId, userId: actor.id, actor: actor.email, action: 'mention.add', targetType: 'mention', targetId: ids[0], details: { school: input.schoolId, url } });
  return { id: ids[0] };
}
