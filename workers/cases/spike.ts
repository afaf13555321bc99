import { sql } from 'kysely';
import type { DB } from '../../server/db/index.ts';
import { CLASSIFIER } from '../classify/index.ts';
import { queueAlert } from '../mail/outbox.ts';
import { endOfDutchDay } from '../time.ts';
import { policyPreset } from '../../server/db/policy.ts';
import { guidanceText } from '../policy/types.ts';

// "Online communicatie dreigt te ontsporen" (Edu-Ley B.2 and its siblings): a school's negative
// mentions of the last 24 hours against its own baseline of the 28 days before, or one discussion
// that suddenly gathers many posts, raise an `escalate` prompt. Holidays are left out of the
// baseline (quiet days would make every school day look loud); in test and report weeks, when
// more is said anyway, the bar is higher.

export const BASELINE_DAYS = 28;
export const MIN_SPIKE = 5; // never fewer negative posts in a day than this: three unrelated complaints are three cases, not a discussion getting out of hand
export const BUSY_FACTOR = 2; // toetsweek, rapportweek, evenement
export const PACE_POSTS = 5; // posts in one discussion within PACE_HOURS
export const PACE_HOURS = 6;

// Pure: is today's count well above the baseline days? mean + 3 standard deviations, and at least
// three times the mean and MIN_SPIKE.
export function spikeThreshold(baseline: number[], factor = 1): number {
  const n = baseline.length || 1;
  const mean = baseline.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return Math.max(MIN_SPIKE, Math.ceil((mean + 3 * sd) * factor), Math.ceil(3 * mean * factor));
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const within = (day: string, e: { starts_on: string; ends_on: string }) => e.starts_on <= day && day <= e.ends_on;

type Found = { schoolId: string; caseId: string; reason: 'volume' | 'pace' };

export async function detectSpikes(db: DB, now = new Date()): Promise<Found[]> {
  const found: Found[] = [];
  const schools = await db.selectFrom('schools as s').innerJoin('boards as b', 'b.id', 's.board_id').select(['s.id', 's.board_id', 's.region', 'b.policy', 'b.policy_version']).execute();
  const since = new Date(now.getTime() - (BASELINE_DAYS + 1) * 86_400_000);
  // Negative or risky mentions per school and 24-hour window back from now (0 = the last 24 hours).
  const counts = await db
    .selectFrom('mention_schools as ms')
    .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
    .innerJoin('classifications as c', (j) => j.onRef('c.mention_id', '=', 'm.id').on('c.classifier', '=', CLASSIFIER))
    .select(['ms.school_id', sql<number>`floor(extract(epoch from (${now}::timestamptz - m.published_at)) / 86400)::int`.as('w'), sql<number>`count(*)::int`.as('n')])
    .where('ms.active', '=', true)
    .where('m.story_id', 'is', null)
    .where('m.published_at', '>', since)
    .where('m.published_at', '<=', now)
    .where((eb) => eb.or([eb('c.sentiment', '=', 'negative'), sql<boolean>`jsonb_array_length(c.risks) > 0`]))
    .groupBy(['ms.school_id', 'w'])
    .execute();
  const dates = [sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on')] as const;
  const calendar = await db.selectFrom('school_calendar').select(['school_id', 'kind', ...dates]).where('ends_on', '>=', sql<string>`${iso(since)}::date`).execute();
  // The board's holiday schedule, for all its schools or for the schools of one region.
  const boardCalendar = await db.selectFrom('board_calendar').select(['board_id', 'region', 'kind', ...dates]).where('ends_on', '>=', sql<string>`${iso(since)}::date`).execute();
  for (const s of schools) {
    const mine = counts.filter((c) => c.school_id === s.id);
    const today = mine.find((c) => c.w === 0)?.n ?? 0;
    if (today < MIN_SPIKE) continue;
    const cal = [...calendar.filter((e) => e.school_id === s.id), ...boardCalendar.filter((e) => e.board_id === s.board_id && (e.region === null || e.region === s.region))];
    const baseline: number[] = [];
    for (let w = 1; w <= BASELINE_DAYS; w++) {
      const day = iso(new Date(now.getTime() - w * 86_400_000));
      if (cal.some((e) => e.kind === 'vakantie' && within(day, e))) continue;
      baseline.push(mine.find((c) => c.w === w)?.n ?? 0);
    }
    const busy = cal.some((e) => e.kind !== 'vakantie' && within(iso(now), e));
    if (today < spikeThreshold(baseline, busy ? BUSY_FACTOR : 1)) continue;
    const caseId = await db.transaction().execute((trx) => raiseSpike(trx, s, now, { today, baseline: baseline.length ? baseline.reduce((a, b) => a + b, 0) / baseline.length : 0, busy }));
    if (caseId) found.push({ schoolId: s.id, caseId, reason: 'volume' });
  }
  for (const p of await fastDiscussions(db, now)) found.push(p);
  return found;
}

// One open spike case per school at a time; the last 24 hours' negative posts are its discussion.
async function raiseSpike(db: DB, s: { id: string; board_id: string; policy: string; policy_version: number | null }, now: Date, figures: { today: number; baseline: number; busy: boolean }) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`case|${s.id}`}, 0))`.execute(db);
  const key = `spike:${s.id}`;
  const open = await db.selectFrom('cases').select('id').where('school_id', '=', s.id).where('state', 'in', ['nieuw', 'in_behandeling']).where(sql<boolean>`${key} = any(thread_keys)`).executeTakeFirst();
  if (open) return undefined;
  const rule = (await policyPreset(db, s.board_id, s.policy, s.policy_version)).spike;
  const due = new Date(endOfDutchDay(now).getTime() + rule.dueDays * 86_400_000);
  const c = await db
    .insertInto('cases')
    .values({ board_id: s.board_id, school_id: s.id, kind: 'concern', severity: 'high', policy: s.policy, policy_version: s.policy_version, due_at: due, last_mention_at: now, thread_keys: [key], created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('case_actions').values({ case_id: c.id, type: 'escalate', article: rule.article ?? '', basis: rule.basis, rule: 'spike', roles: rule.roles, guidance: guidanceText(rule.guidance), parts: JSON.stringify(rule.guidance), points: '[]', facts: '[]', due_at: due }).execute();
  await db
    .insertInto('case_mentions')
    .columns(['case_id', 'mention_id'])
    .expression((eb) =>
      eb
        .selectFrom('mention_schools as ms')
        .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
        .innerJoin('classifications as cl', (j) => j.onRef('cl.mention_id', '=', 'm.id').on('cl.classifier', '=', CLASSIFIER))
        .select([sql<string>`${c.id}::bigint`.as('case_id'), 'm.id'])
        .where('ms.school_id', '=', s.id)
        .where('m.published_at', '>', new Date(now.getTime() - 86_400_000))
        .where('m.published_at', '<=', now)
        .where((eb2) => eb2.or([eb2('cl.sentiment', '=', 'negative'), sql<boolean>`jsonb_array_length(cl.risks) > 0`])),
    )
    .execute();
  await db.insertInto('case_events').values({ case_id: c.id, actor: 'klankbord', kind: 'spike', details: JSON.stringify({ reason: 'volume', today: figures.today, baseline: Math.round(figures.baseline * 10) / 10, busy: figures.busy }), created_at: now }).execute();
  await db.insertInto('audit_log').values({ board_id: s.board_id, actor: 'klankbord', action: 'case.create', target_type: 'case', target_id: c.id, details: JSON.stringify({ reason: 'spike', today: figures.today }) }).execute();
  await queueAlert(db, { boardId: s.board_id, caseId: c.id, schoolId: s.id, newActions: ['escalate'] }, now);
  return c.id;
}

// A discussion that gathers PACE_POSTS posts within PACE_HOURS gets the escalate prompt too.
async function fastDiscussions(db: DB, now: Date): Promise<Found[]> {
  const rows = await db
    .selectFrom('case_mentions as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select(['c.id', 'c.school_id', 'c.board_id', 'c.policy', 'c.policy_version'])
    .where('c.kind', '=', 'concern')
    .where('c.state', 'in', ['nieuw', 'in_behandeling'])
    .where('m.published_at', '>', new Date(now.getTime() - PACE_HOURS * 3_600_000))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('case_actions as a').select(sql`1`.as('one')).whereRef('a.case_id', '=', 'c.id').where('a.type', '=', 'escalate'))))
    .groupBy(['c.id', 'c.school_id', 'c.board_id', 'c.policy', 'c.policy_version'])
    .having(sql<number>`count(*)`, '>=', PACE_POSTS)
    .execute();
  const out: Found[] = [];
  for (const r of rows) {
    await db.transaction().execute(async (trx) => {
      const rule = (await policyPreset(trx, r.board_id, r.policy, r.policy_version)).spike;
      const due = new Date(endOfDutchDay(now).getTime() + rule.dueDays * 86_400_000);
      const added = await trx
        .insertInto('case_actions')
        .values({ case_id: r.id, type: 'escalate', article: rule.article ?? '', basis: rule.basis, rule: 'spike', roles: rule.roles, guidance: guidanceText(rule.guidance), parts: JSON.stringify(rule.guidance), points: '[]', facts: '[]', due_at: due })
        .onConflict((oc) => oc.columns(['case_id', 'type']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!added) return;
      await trx.updateTable('cases').set({ severity: 'high', due_at: sql<Date>`least(due_at, ${due})`, updated_at: now }).where('id', '=', r.id).execute();
      await trx.insertInto('case_events').values({ case_id: r.id, actor: 'klankbord', kind: 'spike', details: JSON.stringify({ reason: 'pace', hours: PACE_HOURS }), created_at: now }).execute();
      await queueAlert(trx, { boardId: r.board_id, caseId: r.id, schoolId: r.school_id, newActions: ['escalate'] }, now);
      out.push({ schoolId: r.school_id, caseId: r.id, reason: 'pace' });
    });
  }
  return out;
}
