import { can } from '../access.ts';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import {
  addMentionsToCase,
  addNote,
  addPoint,
  removePoint,
  setActionStatus,
  setBreach,
  updateCase,
} from '../actions/cases.ts';
import { createDraft, decideDraft, editDraft, markPosted } from '../actions/corrections.ts';
import { CASE_STATES, OUTCOME_KINDS } from '../db/schema.ts';
import { dossierHtml } from '../views/dossier.ts';
import { getBoard } from '../db/boards.ts';
import { getCase } from '../db/cases.ts';
import { caseRow } from '../db/caseSummary.ts';
import { listCases } from '../db/caseList.ts';
import { schoolBySlug } from '../db/schools.ts';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { ID_PATTERN, idParam } from './params.ts';
import { ACTION_TYPES } from '../../workers/policy/types.ts';
import { dutchTime } from '../../workers/time.ts';

// The "Acties" board and the case view: thin routes over server/db/cases.ts (reading) and
// caseWork.ts / correctionDrafts.ts (changing). Every case is of a school the viewer may see.

const listSchema = z.object({
  state: z.enum(['open', 'closed', 'all', ...CASE_STATES], { message: 'onbekende status' }).optional(),
  school: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/, 'onbekende school')
    .optional(),
  type: z.enum(ACTION_TYPES, { message: 'onbekend actietype' }).optional(),
  mine: z.enum(['1']).optional(),
  overdue: z.enum(['1']).optional(),
});

const patchSchema = z
  .object({
    state: z.enum(CASE_STATES, { message: 'kies nieuw, in_behandeling, afgerond of geen_actie' }).optional(),
    assigneeId: z.string().regex(ID_PATTERN, 'onbekende persoon').nullable().optional(),
    dueAt: z.iso
      .datetime({ offset: true, message: 'geef een datum en tijd (ISO 8601)' })
      .or(z.iso.date({ message: 'geef een datum (JJJJ-MM-DD)' }))
      .optional(),
    outcomeKind: z.enum(OUTCOME_KINDS, { message: 'onbekende uitkomst' }).optional(),
    outcome: z.string().max(4000, 'uitkomst te lang (max. 4000 tekens)').optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'Niets te wijzigen');

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} is leeg`).max(max, `${what} te lang (max. ${max} tekens)`);

async function caseOf(c: Context<Env>) {
  const r = await caseRow(c.var.db, c.var.viewer, idParam(c));
  if (!r) return undefined;
  return { id: r.id, school_id: r.school_id, school_name: r.school_name, state: r.state, types: r.types };
}

const notFound = (c: Context<Env>) => c.json({ error: 'Zaak niet gevonden' }, 404);
// A case as the dashboard shows it, with what this viewer may do in it (from the permissions table,
// so the dashboard keeps no role lists of its own).
const fresh = async (c: Context<Env>, r: { id: string; school_id: string }) => {
  const v = c.var.viewer;
  const detail = (await getCase(c.var.db, v, r.id, c.var.now()))!;
  const may = {
    draftCorrection: can(v, 'correction.draft', r.school_id),
    decideCorrection: can(v, 'correction.decide', r.school_id),
    decideBreach: can(v, 'case.decide_breach', r.school_id),
  };
  return c.json({ ...detail, may });
};

export const caseRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const p = parseOrThrow(listSchema, c.req.query());
    const v = c.var.viewer;
    let schoolId: string | undefined;
    if (p.school) {
      const school = await schoolBySlug(c.var.db, v.boardId, p.school);
      if (!school || !v.schoolIds.includes(school.id)) return c.json({ error: 'Geen toegang tot deze school' }, 403);
      schoolId = school.id;
    }
    return c.json(
      await listCases(
        c.var.db,
        v,
        { state: p.state, schoolId, type: p.type, mine: !!p.mine, overdue: !!p.overdue },
        c.var.now(),
      ),
    );
  })
  .get('/:id', async (c) => {
    const r = await caseOf(c);
    return r ? fresh(c, r) : notFound(c);
  })
  .patch('/:id', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(patchSchema, await jsonBody(c));
    await updateCase(
      c.var.db,
      c.var.viewer,
      r,
      { ...p, dueAt: p.dueAt ? (p.dueAt.length === 10 ? dutchTime(p.dueAt, '17:00') : new Date(p.dueAt)) : undefined },
      c.var.now(),
      clientIp(c),
    );
    return fresh(c, r);
  })
  .post('/:id/notes', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(z.object({ text: text(4000, 'notitie') }), await jsonBody(c));
    await addNote(c.var.db, c.var.viewer, r, p.text, c.var.now(), clientIp(c));
    return fresh(c, r);
  })
  .put('/:id/actions/:type', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(
      z.object({ status: z.enum(['open', 'gedaan', 'niet_nodig'], { message: 'kies open, gedaan of niet_nodig' }) }),
      await jsonBody(c),
    );
    await setActionStatus(c.var.db, c.var.viewer, r, c.req.param('type'), p.status, c.var.now(), clientIp(c));
    return fresh(c, r);
  })
  .post('/:id/mentions', async (c) => {
    // posts chosen in the inbox, put into this discussion
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(
      z.object({
        ids: z
          .array(z.string().regex(ID_PATTERN, 'onbekend bericht'))
          .min(1, 'kies minstens één bericht')
          .max(200, 'hoogstens 200 berichten tegelijk'),
      }),
      await jsonBody(c),
    );
    const added = await addMentionsToCase(c.var.db, c.var.viewer, r, p.ids, c.var.now(), clientIp(c));
    if (!added.length) return c.json({ error: 'Geen van deze berichten hoort bij de school van deze zaak' }, 409);
    return fresh(c, r);
  })
  .post('/:id/points', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(
      z.object({ kind: z.enum(['sterk', 'verbeter'], { message: 'kies sterk of verbeter' }), text: text(500, 'punt') }),
      await jsonBody(c),
    );
    await addPoint(c.var.db, c.var.viewer, r, p.kind, p.text, c.var.now(), clientIp(c));
    return fresh(c, r);
  })
  .delete('/:id/points/:point', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    await removePoint(c.var.db, c.var.viewer, r, idParam(c, 'point'), c.var.now(), clientIp(c));
    return fresh(c, r);
  })
  .put('/:id/breach', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(
      z.object({
        status: z.enum(['mogelijk', 'gemeld', 'geen_datalek'], { message: 'kies mogelijk, gemeld of geen_datalek' }),
        reportedAt: z.iso.datetime({ offset: true }).optional(),
      }),
      await jsonBody(c),
    );
    await setBreach(
      c.var.db,
      c.var.viewer,
      r,
      p.status,
      p.reportedAt ? new Date(p.reportedAt) : undefined,
      c.var.now(),
      clientIp(c),
    );
    return fresh(c, r);
  })
  .post('/:id/correction', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    await createDraft(c.var.db, c.var.viewer, r, clientIp(c));
    return fresh(c, r);
  })
  .put('/:id/correction', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(z.object({ text: text(2000, 'correctie') }), await jsonBody(c));
    await editDraft(c.var.db, c.var.viewer, r, p.text, clientIp(c));
    return fresh(c, r);
  })
  .post('/:id/correction/decision', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const p = parseOrThrow(
      z.object({
        decision: z.enum(['goedkeuren', 'afwijzen'], { message: 'kies goedkeuren of afwijzen' }),
        text: z.string().max(2000, 'correctie te lang').optional(),
        reason: z.string().max(1000, 'reden te lang').optional(),
      }),
      await jsonBody(c),
    );
    await decideDraft(c.var.db, c.var.viewer, r, p.decision, p, clientIp(c));
    return fresh(c, r);
  })
  .post('/:id/correction/posted', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    await markPosted(c.var.db, c.var.viewer, r, clientIp(c));
    return fresh(c, r);
  })
  .get('/:id/dossier', async (c) => {
    const r = await caseOf(c);
    if (!r) return notFound(c);
    const v = c.var.viewer;
    const detail = (await getCase(c.var.db, v, r.id, c.var.now()))!;
    const board = await getBoard(c.var.db, v.boardId);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'case.dossier_export',
      targetType: 'case',
      targetId: r.id,
      ip: clientIp(c),
    });
    return c.html(dossierHtml(detail, board.name, v.name || v.email));
  });
