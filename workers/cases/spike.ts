import { inTransaction, type DB } from '../../server/db/index.ts';
import { audit } from '../../server/db/audit.ts';
import { addCaseKeys, insertCase, insertFilingEvent, lockSchoolCases } from '../../server/db/caseFiling.ts';
import { addCaseActionIfMissing, insertCaseAction, type FiledAction } from '../../server/db/casePrompts.ts';
import {
  busyConcernCases,
  calendarsSince,
  escalateCase,
  linkNegativeMentions,
  negativeCountsPerDay,
  openCaseWithKey,
  schoolsWithPolicy,
} from '../../server/db/spikes.ts';
import { CLASSIFIER } from '../classify/index.ts';
import { queueAlert } from '../mail/outbox.ts';
import { endOfDutchDay } from '../time.ts';
import { policyPreset } from '../../server/db/policy.ts';
import { guidanceText, type SpikeRule } from '../policy/types.ts';

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
  const schools = await schoolsWithPolicy(db);
  const since = new Date(now.getTime() - (BASELINE_DAYS + 1) * 86_400_000);
  // Negative or risky mentions per school and 24-hour window back from now (0 = the last 24 hours).
  const counts = await negativeCountsPerDay(db, { classifier: CLASSIFIER, now, since });
  // The board's holiday schedule applies to all its schools or to the schools of one region.
  const { school: calendar, board: boardCalendar } = await calendarsSince(db, iso(since));
  for (const s of schools) {
    const mine = counts.filter((c) => c.school_id === s.id);
    const today = mine.find((c) => c.w === 0)?.n ?? 0;
    if (today < MIN_SPIKE) continue;
    const cal = [
      ...calendar.filter((e) => e.school_id === s.id),
      ...boardCalendar.filter((e) => e.board_id === s.board_id && (e.region === null || e.region === s.region)),
    ];
    const baseline: number[] = [];
    for (let w = 1; w <= BASELINE_DAYS; w++) {
      const day = iso(new Date(now.getTime() - w * 86_400_000));
      if (cal.some((e) => e.kind === 'vakantie' && within(day, e))) continue;
      baseline.push(mine.find((c) => c.w === w)?.n ?? 0);
    }
    const busy = cal.some((e) => e.kind !== 'vakantie' && within(iso(now), e));
    if (today < spikeThreshold(baseline, busy ? BUSY_FACTOR : 1)) continue;
    const caseId = await inTransaction(db, (trx) =>
      raiseSpike(trx, s, now, {
        today,
        baseline: baseline.length ? baseline.reduce((a, b) => a + b, 0) / baseline.length : 0,
        busy,
      }),
    );
    if (caseId) found.push({ schoolId: s.id, caseId, reason: 'volume' });
  }
  for (const p of await fastDiscussions(db, now)) found.push(p);
  return found;
}

// One open spike case per school at a time; the last 24 hours' negative posts are its discussion.
async function raiseSpike(
  db: DB,
  s: { id: string; board_id: string; policy: string; policy_version: number | null },
  now: Date,
  figures: { today: number; baseline: number; busy: boolean },
) {
  await lockSchoolCases(db, s.id);
  const key = `spike:${s.id}`;
  if (await openCaseWithKey(db, s.id, key)) return undefined;
  const rule = (await policyPreset(db, s.board_id, s.policy, s.policy_version)).spike;
  const due = new Date(endOfDutchDay(now).getTime() + rule.dueDays * 86_400_000);
  const caseId = await insertCase(db, {
    board_id: s.board_id,
    school_id: s.id,
    kind: 'concern',
    severity: 'high',
    policy: s.policy,
    policy_version: s.policy_version,
    due_at: due,
    last_mention_at: now,
    created_at: now,
    updated_at: now,
  });
  await addCaseKeys(db, [{ caseId, key }]);
  await insertCaseAction(db, caseId, escalateAction(rule, due));
  await linkNegativeMentions(db, {
    caseId,
    schoolId: s.id,
    classifier: CLASSIFIER,
    from: new Date(now.getTime() - 86_400_000),
    to: now,
  });
  await insertFilingEvent(db, {
    caseId,
    actor: 'klankbord',
    kind: 'spike',
    details: {
      reason: 'volume',
      today: figures.today,
      baseline: Math.round(figures.baseline * 10) / 10,
      busy: figures.busy,
    },
    at: now,
  });
  await audit(db, {
    boardId: s.board_id,
    actor: 'klankbord',
    action: 'case.create',
    targetType: 'case',
    targetId: caseId,
    details: { reason: 'spike', today: figures.today },
    at: now,
  });
  await queueAlert(db, { boardId: s.board_id, caseId, schoolId: s.id, newActions: ['escalate'] }, now);
  return caseId;
}

const escalateAction = (rule: SpikeRule, due: Date): FiledAction => ({
  type: 'escalate',
  article: rule.article ?? '',
  basis: rule.basis,
  rule: 'spike',
  roles: rule.roles,
  guidance: guidanceText(rule.guidance),
  parts: rule.guidance,
  points: [],
  facts: [],
  dueAt: due,
});

// A discussion that gathers PACE_POSTS posts within PACE_HOURS gets the escalate prompt too.
async function fastDiscussions(db: DB, now: Date): Promise<Found[]> {
  const rows = await busyConcernCases(db, {
    since: new Date(now.getTime() - PACE_HOURS * 3_600_000),
    minPosts: PACE_POSTS,
  });
  const out: Found[] = [];
  for (const r of rows) {
    await inTransaction(db, async (trx) => {
      const rule = (await policyPreset(trx, r.board_id, r.policy, r.policy_version)).spike;
      const due = new Date(endOfDutchDay(now).getTime() + rule.dueDays * 86_400_000);
      if (!(await addCaseActionIfMissing(trx, r.id, escalateAction(rule, due)))) return;
      await escalateCase(trx, r.id, { severity: 'high', dueBy: due, now });
      await insertFilingEvent(trx, {
        caseId: r.id,
        actor: 'klankbord',
        kind: 'spike',
        details: { reason: 'pace', hours: PACE_HOURS },
        at: now,
      });
      await queueAlert(
        trx,
        { boardId: r.board_id, caseId: r.id, schoolId: r.school_id, newActions: ['escalate'] },
        now,
      );
      out.push({ schoolId: r.school_id, caseId: r.id, reason: 'pace' });
    });
  }
  return out;
}
