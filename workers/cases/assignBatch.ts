import type { DB } from '../../server/db/index.ts';
import { auditMany, type AuditEntry } from '../../server/db/audit.ts';
import {
  addCaseKeys,
  insertCase,
  insertFilingEvents,
  linkCaseMentions,
  lockManySchoolCases,
  recentCasesOfSchools,
  schoolNamesAndAliases,
  updateFiledCases,
  type FilingEvent,
} from '../../server/db/caseFiling.ts';
import { mergeManyCaseActions, type FiledAction } from '../../server/db/casePrompts.ts';
import type { ActionType } from '../policy/types.ts';
import { queueAlert } from '../mail/outbox.ts';
import {
  filedActions,
  appendNew,
  openCaseFor,
  OPEN_STATES,
  RECENT_DAYS,
  type CaseChange,
  type CaseInput,
  type OpenCase,
} from './assign.ts';
import { caseKind, maxSeverity, severityOf, threadKeys, topicWords } from './discussion.ts';

// assignCases for the mentions one pipeline batch has just stored, in their order and with the same
// outcome as filing them one by one, in far fewer statements: each school's case lock is taken once
// for the batch, the schools' open cases are read once and followed in memory as posts join them,
// and the links, events, audit entries and case updates are written at the end. No case holds these
// mentions yet (they are new), and a collected post never reopens a closed case.
export async function assignNewMentions(db: DB, inputs: Omit<CaseInput, 'by'>[]): Promise<CaseChange[]> {
  const todo = inputs.flatMap((input) => {
    const kind = caseKind(input.actions);
    const now = input.now ?? new Date();
    if (!kind || !input.schoolIds.length) return [];
    if (input.at.getTime() < now.getTime() - RECENT_DAYS * 86_400_000) return [];
    return [{ input, kind, now }];
  });
  if (!todo.length) return [];
  const keysOf = todo.map(({ input }) =>
    threadKeys({
      id: input.mentionId,
      externalId: input.externalId,
      threadId: input.threadId,
      replyTo: input.replyTo,
      storyId: input.storyId,
    }),
  );
  const schools = await schoolNamesAndAliases(db, [...new Set(todo.flatMap((t) => t.input.schoolIds))]);
  const schoolIds = schools.map((s) => s.id);
  await lockManySchoolCases(db, schoolIds);
  // Each school's open cases per kind, most recently active first, as recentCases would read them,
  // each with those of the batch's thread keys it holds.
  const open = new Map<string, OpenCase[]>();
  const kinds = [...new Set(todo.map((t) => t.kind))];
  const batchKeys = [...new Set(keysOf.flat())];
  for (const c of await recentCasesOfSchools(db, schoolIds, kinds, OPEN_STATES, batchKeys)) {
    const list = open.get(`${c.school_id}|${c.kind}`) ?? [];
    list.push(c);
    open.set(`${c.school_id}|${c.kind}`, list);
  }
  const touched = new Map<string, { c: OpenCase; now: Date }>();
  const links: { caseId: string; mentionId: string }[] = [];
  const events: FilingEvent[] = [];
  const audits: AuditEntry[] = [];
  const out: CaseChange[] = [];
  const filed: { boardId: string; mentionId: string; created: boolean; now: Date }[] = [];
  const newKeys: { caseId: string; key: string }[] = [];
  const prompts = new Map<string, { caseId: string; action: FiledAction; repeated: boolean; first: number }>();
  for (const [t, { input, kind, now }] of todo.entries()) {
    const actions = input.actions.filter((a) => a.type !== 'monitor');
    const severity = kind === 'good_news' ? 'low' : severityOf(input.risks, actions);
    const keys = keysOf[t]!;
    for (const school of schools) {
      if (!input.schoolIds.includes(school.id)) continue;
      const words = topicWords(input.text, [school.name, ...school.aliases], input.risks);
      const list = open.get(`${school.id}|${kind}`) ?? [];
      open.set(`${school.id}|${kind}`, list);
      let c = openCaseFor(list.slice(0, 50), { kind, keys, words, at: input.at, now });
      const created = !c;
      if (!c) {
        const id = await insertCase(db, {
          board_id: input.boardId,
          school_id: school.id,
          kind,
          severity,
          policy: input.policy.id,
          policy_version: input.policy.version,
          due_at: now,
          last_mention_at: input.at,
          topic_words: words,
          created_at: now,
          updated_at: now,
        });
        c = {
          id,
          state: 'nieuw',
          severity,
          // copies: later posts of the batch append to these
          topic_words: [...words],
          thread_keys: [...keys],
          last_mention_at: input.at,
          created_at: now,
        };
        list.push(c);
        for (const key of keys) newKeys.push({ caseId: id, key });
        audits.push({
          boardId: input.boardId,
          userId: null,
          actor: 'klankbord',
          action: 'case.create',
          targetType: 'case',
          targetId: id,
          details: { mentionId: input.mentionId, kind, severity },
          at: now,
        });
      } else {
        // what updateFiledCase does to the row, so the next post of the batch sees it
        c.severity = maxSeverity(c.severity, severity);
        if (input.at > c.last_mention_at) c.last_mention_at = input.at;
        appendNew(c.topic_words, words);
        for (const key of appendNew(c.thread_keys, keys)) newKeys.push({ caseId: c.id, key });
      }
      list.sort((a, b) => b.last_mention_at.getTime() - a.last_mention_at.getTime());
      touched.set(c.id, { c, now });
      links.push({ caseId: c.id, mentionId: input.mentionId });
      const brought = filedActions(actions, now);
      for (const a of brought) {
        const same = prompts.get(`${c.id}|${a.type}`);
        // A later post can bring a contradicted fact or talking point the first did not have.
        if (same) {
          same.action.facts = [...same.action.facts, ...a.facts];
          same.action.points = [...same.action.points, ...a.points];
          same.repeated = true;
        } else prompts.set(`${c.id}|${a.type}`, { caseId: c.id, action: { ...a }, repeated: false, first: out.length });
      }
      out.push({ caseId: c.id, schoolId: school.id, created, reopened: false, newActions: [], severity: c.severity });
      filed.push({ boardId: input.boardId, mentionId: input.mentionId, created, now });
    }
  }
  // Each prompt is new for the first post that brought it, as when the posts were filed one by one.
  const merged = await mergeManyCaseActions(db, [...prompts.values()]);
  for (const m of merged)
    if (m.inserted) out[prompts.get(`${m.case_id}|${m.type}`)!.first].newActions.push(m.type as ActionType);
  for (const [i, change] of out.entries()) {
    const { boardId, mentionId, created, now } = filed[i];
    events.push({
      caseId: change.caseId,
      userId: null,
      actor: 'klankbord',
      kind: created ? 'created' : 'mention_added',
      details: { mentionId, actions: change.newActions },
      at: now,
    });
    // Urgent prompts alert the responsible people now (queued in this transaction).
    if (change.newActions.length)
      await queueAlert(
        db,
        { boardId, caseId: change.caseId, schoolId: change.schoolId, newActions: change.newActions },
        now,
      );
  }
  await linkCaseMentions(db, links);
  await insertFilingEvents(db, events);
  await auditMany(db, audits);
  await updateFiledCases(
    db,
    [...touched.values()].map(({ c, now }) => ({
      caseId: c.id,
      severity: c.severity,
      mentionAt: c.last_mention_at,
      words: c.topic_words,
      now,
    })),
  );
  await addCaseKeys(db, newKeys);
  return out;
}
