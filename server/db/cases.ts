import { sql } from 'kysely';
import type { Viewer } from '../access.ts';
import type { DB } from './index.ts';
import { relatedCases } from './corrections.ts';
import { allPersonalData, maskText } from '../../workers/classify/personalData.ts';
import { loadPreset } from '../../workers/policy/presets.ts';
import { policyLabel } from './policy.ts';
import { ACTION_TYPES, SERIOUSNESS, type ActionType } from '../../workers/policy/types.ts';
import { listMentions } from './mentions.ts';
import { caseRow, headlinesOf, toSummary } from './caseSummary.ts';
import type { CaseDetail } from './caseTypes.ts';

// One case of the "Acties" board (caseList.ts: the board's list): what the protocol asks about a
// discussion, who has it, by when, and what came of it. Only cases of schools the viewer may see.

export async function getCase(db: DB, v: Viewer, id: string, now = new Date()): Promise<CaseDetail | undefined> {
  const r = await caseRow(db, v, id);
  if (!r) return undefined;
  const [heads, related, actions, contacts, mentionIds, events, draft, points, users] = await Promise.all([
    headlinesOf(db, [r]),
    relatedCases(db, id, v.schoolIds),
    db.selectFrom('case_actions').selectAll().where('case_id', '=', id).execute(),
    db
      .selectFrom('school_contacts')
      .select(['role', 'name', 'email', 'phone'])
      .where('school_id', '=', r.school_id)
      .orderBy('id')
      .execute(),
    db.selectFrom('case_mentions').select('mention_id').where('case_id', '=', id).execute(),
    db
      .selectFrom('case_events')
      .select(['id', 'actor', 'kind', 'details', 'created_at'])
      .where('case_id', '=', id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('correction_drafts as d')
      .leftJoin('mentions as m', 'm.id', 'd.mention_id')
      // who decided and who posted, by name (the draft keeps their e-mail address)
      .leftJoin('users as du', (j) => j.onRef('du.email', '=', 'd.decided_by').on('du.board_id', '=', v.boardId))
      .leftJoin('users as pu', (j) => j.onRef('pu.email', '=', 'd.posted_by').on('pu.board_id', '=', v.boardId))
      .select([
        'du.name as decided_by_name',
        'pu.name as posted_by_name',
        'd.text',
        'd.state',
        'd.drafted_by',
        'd.decided_by',
        'd.decided_at',
        'd.reason',
        'd.posted_by',
        'd.posted_at',
        'm.url',
      ])
      .where('d.case_id', '=', id)
      .executeTakeFirst(),
    db
      .selectFrom('school_points')
      .select(['id', 'kind', 'text', 'created_by', 'created_at'])
      .where('case_id', '=', id)
      .orderBy('id')
      .execute(),
    assignable(db, v.boardId, r.school_id),
  ]);
  const items = (
    await listMentions(db, {
      boardId: v.boardId,
      schoolIds: v.schoolIds,
      ids: mentionIds.map((m) => m.mention_id),
      limit: 200,
    })
  ).items;
  actions.sort((a, b) => SERIOUSNESS.indexOf(a.type as ActionType) - SERIOUSNESS.indexOf(b.type as ActionType));
  const preset = loadPreset(r.policy);
  return {
    ...toSummary(r, now, heads),
    policy: {
      id: preset.id,
      name: policyLabel(preset.name, r.policy_version),
      ...(preset.stance ? { stance: preset.stance } : {}),
    },
    outcomeKind: r.outcome_kind,
    outcome: r.outcome,
    actions: actions.map((a) => ({
      type: a.type as ActionType,
      article: a.article,
      basis: a.basis,
      roles: a.roles,
      guidance: a.guidance,
      parts: a.parts,
      // a prompt's talking points are sentences of posts: whatever looks like personal data in one is
      // masked as the lists mask it (points stored before the engine skipped masked sentences)
      points: (a.points as string[]).map((p) => maskText(p, allPersonalData(p))),
      facts: a.facts,
      dueAt: a.due_at.toISOString(),
      status: a.status,
      doneBy: a.done_by,
      doneAt: a.done_at?.toISOString() ?? null,
      // Without a leidinggevende on file, the directeur is the leidinggevende (a primary school's usual line).
      people: [
        ...new Set(
          a.roles.flatMap((role) =>
            contacts.filter(
              (c) =>
                c.role === role ||
                (role === 'leidinggevende' &&
                  c.role === 'directie' &&
                  !contacts.some((x) => x.role === 'leidinggevende')),
            ),
          ),
        ),
      ],
    })),
    items: items.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt)),
    events: events.map((e) => ({
      id: e.id,
      actor: e.actor,
      kind: e.kind,
      details: e.details,
      at: e.created_at.toISOString(),
    })),
    draft: draft
      ? {
          text: draft.text,
          state: draft.state,
          draftedBy: draft.drafted_by,
          decidedBy: draft.decided_by_name || draft.decided_by,
          decidedAt: draft.decided_at?.toISOString() ?? null,
          reason: draft.reason,
          postedBy: draft.posted_by_name || draft.posted_by,
          postedAt: draft.posted_at?.toISOString() ?? null,
          link: draft.url,
        }
      : null,
    // the same post in a case of another school: one discussion, at most one online correction
    related: related.map((r) => ({ id: r.id, state: r.state, school: r.school, correction: r.correction })),
    points: points.map((p) => ({
      id: p.id,
      kind: p.kind,
      text: p.text,
      createdBy: p.created_by,
      at: p.created_at.toISOString(),
    })),
    assignable: users,
  };
}

// Who can take a case: the board's users who see its school.
export async function assignable(db: DB, boardId: string, schoolId: string) {
  const rows = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.email', 'u.role'])
    .where('u.board_id', '=', boardId)
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
    .orderBy('u.name')
    .execute();
  return rows.map((u) => ({ id: u.id, name: u.name || u.email, role: u.role }));
}

export const isActionType = (t: string): t is ActionType => (ACTION_TYPES as readonly string[]).includes(t);
