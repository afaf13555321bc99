import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { dutchClock } from '../../workers/time.ts';
import type { DB } from '../db/index.ts';
import type { Origin } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import {
  insertReport,
  insertThrottle,
  linkMentionToSchool,
  manualSource,
  meldpuntRows,
  mentionIdByExternalId,
  reportsInLastHour,
  reportsToSchoolInLastHour,
  type MeldpuntRow,
} from '../db/reports.ts';
import { processItems } from '../../workers/pipeline.ts';
import { clip } from '../../workers/normalise.ts';
import { canonicalUrl } from '../../workers/urls.ts';

// People bring in what no collector can reach: the public meldpunt per school, and staff pasting
// a link or a text. Both go through the same pipeline as collected posts (classification, story
// linking), tied to the school they were given for instead of being matched by name.

// perHour: from one address range (IPv4 /24, IPv6 /64: one household or one attacker's block);
// perSchoolPerHour: to one school from anywhere, past which reports are still taken but held back
// (many addresses are cheap, and a real reporter must not be shut out by a flood);
// ceilingPerSchoolPerHour: past this the school's page asks to come back later or call the school.
export const REPORT_LIMITS = {
  text: 5000,
  link: 2000,
  screenshot: 2000,
  contact: 200,
  perHour: 5,
  perSchoolPerHour: 30,
  ceilingPerSchoolPerHour: 300,
};
export const SEEN_ON = [
  'whatsapp',
  'snapchat',
  'instagram',
  'tiktok',
  'facebook',
  'x',
  'youtube',
  'website',
  'elders',
] as const;
export type SeenOn = (typeof SEEN_ON)[number];
export const SEEN_ON_LABEL: Record<SeenOn, string> = {
  whatsapp: 'WhatsApp',
  snapchat: 'Snapchat',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  facebook: 'Facebook',
  x: 'X (Twitter)',
  youtube: 'YouTube',
  website: 'een website',
  elders: 'elders',
};

export type MeldpuntSchool = MeldpuntRow;

// /meld/<school> when the slug is unique across boards, /meld/<board>/<school> always.
export async function findMeldpunt(
  db: DB,
  schoolSlug: string,
  boardSlug?: string,
): Promise<MeldpuntSchool | undefined | 'ambiguous'> {
  const rows = await meldpuntRows(db, schoolSlug, boardSlug);
  const schools = new Set(rows.map((r) => r.schoolId));
  if (schools.size > 1) return 'ambiguous';
  return rows.find((r) => r.open) ?? rows[0];
}

// The rate limit counts keyed hashes of the address, kept for a day: enough to stop a flood, not
// enough to tell who reported what. The key is random, lives only in this process's memory and is
// mixed with the day, so nobody with the database (or a backup) can recompute an address's code.
const THROTTLE_SECRET = randomBytes(32);
const throttleKey = (ip: string, now = new Date()) =>
  createHmac('sha256', THROTTLE_SECRET)
    .update(`${dutchClock(now).date}|${ip}`)
    .digest('base64url')
    .slice(0, 22);

// The block an address belongs to: IPv4 /24, IPv6 /64 (what one connection usually gets), so
// hopping between neighbouring addresses does not buy more reports.
export function addressRange(ip: string): string {
  const bare = ip.replace(/%.*$/, '').toLowerCase();
  const v4 = bare.replace(/^::ffff:/, '');
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(bare)) return bare;
  // An embedded IPv4 tail is two groups.
  const hex = bare.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(':'),
  );
  const [head, tail] = hex.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

// accept: as usual; hold: store it held back (the school is flooded); range: this address range
// sent its share this hour; full: the school's absolute ceiling is reached.
export type Admission = 'accept' | 'hold' | 'range' | 'full';

export async function admitReport(db: DB, ip: string, schoolId: string): Promise<Admission> {
  if ((await reportsInLastHour(db, throttleKey(addressRange(ip)))) >= REPORT_LIMITS.perHour) return 'range';
  const toSchool = await reportsToSchoolInLastHour(db, schoolId);
  if (toSchool >= REPORT_LIMITS.ceilingPerSchoolPerHour) return 'full';
  return toSchool >= REPORT_LIMITS.perSchoolPerHour ? 'hold' : 'accept';
}

export type ReportInput = { text: string; link?: string; seenOn?: SeenOn; screenshot?: string; contact?: string };

// A held report is stored and shown to staff, marked as held, but files no case and sends no alert.
export async function submitReport(
  db: DB,
  school: MeldpuntSchool,
  input: ReportInput,
  ip: string,
  opts: { held?: boolean; now?: Date } = {},
): Promise<string> {
  const held = opts.held ?? false;
  const now = opts.now ?? new Date();
  await insertThrottle(db, throttleKey(addressRange(ip)));
  const where = input.seenOn ? SEEN_ON_LABEL[input.seenOn] : undefined;
  const text = [input.text.trim(), input.screenshot?.trim() ? `Schermafbeelding: ${input.screenshot.trim()}` : '']
    .filter(Boolean)
    .join('\n\n');
  const { ids } = await processItems(
    db,
    { id: school.sourceId, board_id: school.boardId, school_id: school.schoolId },
    [
      {
        externalId: `report:${randomUUID()}`,
        url: input.link ? canonicalUrl(input.link) : null,
        title: where ? `Melding: gezien op ${where}` : 'Melding via het meldpunt',
        text: clip(text),
        author: null,
        publishedAt: now,
      },
    ],
    {
      now,
      schoolIds: [school.schoolId],
      origin: 'reported',
      fileCases: !held,
      withMention: (trx, mentionId) =>
        insertReport(trx, {
          mentionId,
          schoolId: school.schoolId,
          contact: input.contact?.trim() || null,
          screenshotDescription: input.screenshot?.trim() || null,
          held,
        }),
    },
  );
  const mentionId = ids[0];
  await audit(db, {
    boardId: school.boardId,
    actor: 'meldpunt',
    action: 'report.received',
    targetType: 'mention',
    targetId: mentionId,
    details: { school: school.schoolId, seenOn: input.seenOn ?? null, ...(held ? { held: true } : {}) },
  });
  return mentionId;
}

export type ManualInput = {
  schoolId: string;
  url: string | null;
  title: string;
  text: string;
  author: string | null;
  publishedAt: Date | null;
};

export async function addManualMention(
  db: DB,
  boardId: string,
  input: ManualInput,
  actor: { id: string; email: string },
  origin: Origin = 'manual',
  now?: Date,
): Promise<{ id: string; duplicateOf?: string }> {
  const sourceId = await manualSource(db, boardId);
  const url = input.url ? canonicalUrl(input.url) : null;
  // A link is stored once per school: another school's copy (with what that school wrote and
  // reported) is never attached to this one, so adding a link reveals nothing of it.
  const externalId = url ? `${url}#school-${input.schoolId}` : `manual:${randomUUID()}`;
  const { ids } = await processItems(
    db,
    { id: sourceId, board_id: boardId, school_id: null },
    [{ externalId, url, title: input.title, text: input.text, author: input.author, publishedAt: input.publishedAt }],
    { schoolIds: [input.schoolId], origin, now },
  );
  if (!ids.length) {
    // This school added the same link by hand before.
    const prior = await mentionIdByExternalId(db, sourceId, externalId);
    await linkMentionToSchool(db, prior, input.schoolId);
    return { id: prior, duplicateOf: prior };
  }
  await audit(db, {
    boardId,
    userId: actor.id,
    actor: actor.email,
    action: 'mention.add',
    targetType: 'mention',
    targetId: ids[0],
    details: { school: input.schoolId, url },
  });
  return { id: ids[0] };
}
