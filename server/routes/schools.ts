import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { can, type Viewer } from '../access.ts';
import { badRequest, clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { canEditFacts, saveFacts } from '../actions/schoolFacts.ts';
import { REGIONS } from '../db/schema.ts';
import { describeQuery, saveSchoolQuery, schoolForQuery } from '../actions/schoolQueries.ts';
import { previewSchoolQuery } from '../actions/schoolQueryPreview.ts';
import { QueryError } from '../../workers/match/query.ts';
import { SCHOOL_ROLES } from '../../workers/policy/types.ts';
import { saveCalendar, saveContacts, saveRegion } from '../actions/schoolContacts.ts';
import { boardExclusions } from '../db/boards.ts';
import { boardCalendarOf, calendarOf, contactsOf } from '../db/schoolContacts.ts';
import { archivedSchoolsOfBoard, schoolBySlug, schoolPoints, schoolsOfBoard, SCHOOL_UNDO_DAYS } from '../db/schools.ts';
import { schoolDetailFields, slug as slugSchema } from '../actions/boardFile.ts';
import { archive, createSchool, rename, restore, SchoolRefused, updateSchool } from '../actions/schoolAdmin.ts';
import { getBoard } from '../db/boards.ts';

// Which posts are about a school: each school's query, the board's exclusions, a live preview
// and saving (which re-applies). Who may change a query is who may change that school's sources.

export const querySchema = z.object({
  query: z.string().max(5000, 'zoekopdracht te lang (max. 5000 tekens)').nullable(),
});

export function queryError(err: unknown): never {
  if (err instanceof QueryError) badRequest(err.message);
  throw err;
}

const contactsSchema = z.object({
  contacts: z
    .array(
      z.object({
        role: z.enum(SCHOOL_ROLES, { message: 'onbekende rol' }),
        name: z.string().trim().min(1, 'naam ontbreekt').max(200, 'naam te lang'),
        email: z
          .email({ message: 'ongeldig e-mailadres' })
          .max(320)
          .nullable()
          .or(z.literal('').transform(() => null)),
        phone: z
          .string()
          .trim()
          .max(40, 'telefoonnummer te lang')
          .regex(/^[0-9 +()-]*$/, 'telefoonnummer: alleen cijfers, spaties, + ( ) -')
          .nullable()
          .transform((p) => p || null),
      }),
    )
    .max(50, 'hoogstens 50 contactpersonen per school'),
});

export const period = z.object({
  kind: z.enum(['vakantie', 'toetsweek', 'rapportweek', 'evenement'], {
    message: 'kies vakantie, toetsweek, rapportweek of evenement',
  }),
  label: z.string().trim().min(1, 'omschrijving ontbreekt').max(200),
  startsOn: z.iso.date({ message: 'begindatum: JJJJ-MM-DD' }),
  endsOn: z.iso.date({ message: 'einddatum: JJJJ-MM-DD' }),
});
export const ordered = (e: { startsOn: string; endsOn: string }) => e.endsOn >= e.startsOn;
const calendarSchema = z.object({
  entries: z
    .array(period.refine(ordered, 'de einddatum ligt voor de begindatum'))
    .max(100, 'hoogstens 100 perioden per school'),
});
export const region = z.enum(REGIONS, { message: 'regio: noord, midden of zuid' }).nullable();
const regionSchema = z.object({ region });

const factsSchema = z.object({
  facts: z
    .array(z.string().max(1000, 'een feit mag hoogstens 1000 tekens zijn'), {
      message: 'facts moet een lijst met zinnen zijn',
    })
    .max(200, 'hoogstens 200 feiten per school'),
});

// A school of the viewer's board that the viewer sees, by its slug in the path; 404 otherwise, so
// another board's schools are not even confirmed to exist.
async function visibleSchool(c: Context<Env>) {
  const v = c.var.viewer;
  const school = await schoolBySlug(c.var.db, v.boardId, c.req.param('slug') ?? '');
  if (!school || !v.schoolIds.includes(school.id)) throw new HTTPException(404, { message: 'School niet gevonden' });
  return school;
}

// The board's holiday schedule is kept by who keeps the schools' information, across all schools.
export const canEditBoardCalendar = (v: Viewer) => can(v, 'board.edit_calendar');

// Adding, editing and archiving schools (beheer over the whole board); the slug is fixed once made,
// since the meldpunt's address and the board file use it.
const schoolForm = z.strictObject(schoolDetailFields);
const newSchoolForm = schoolForm.extend({ slug: slugSchema.optional() });
const details = (p: z.infer<typeof schoolForm>) => ({
  name: p.name,
  aliases: p.aliases,
  place: p.place ?? null,
  region: p.region ?? null,
});

function manager(c: Context<Env>) {
  if (!can(c.var.viewer, 'schools.manage'))
    throw new HTTPException(403, {
      message: 'Alleen beheer van het hele bestuur voegt scholen toe, wijzigt of archiveert ze',
    });
  return c.var.viewer;
}

// A school of the viewer's board by slug, archived or not; 404 for anything else.
async function boardSchool(c: Context<Env>) {
  const school = await schoolBySlug(c.var.db, c.var.viewer.boardId, c.req.param('slug') ?? '');
  if (!school) throw new HTTPException(404, { message: 'School niet gevonden' });
  return school;
}

function refused(err: unknown): never {
  if (err instanceof SchoolRefused) throw new HTTPException(err.status, { message: err.message });
  throw err;
}

const removeAfter = (at: Date) => new Date(at.getTime() + SCHOOL_UNDO_DAYS * 86_400_000).toISOString();

// The school's own information (fact sheet, contacts, calendar) is kept by communicatie, directie and beheer.
async function editableSchool(c: Context<Env>, what: string) {
  const school = await visibleSchool(c);
  if (!canEditFacts(c.var.viewer, school.id))
    throw new HTTPException(403, { message: `Alleen communicatie, directie en beheer mogen ${what} wijzigen` });
  return school;
}

export const schoolRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const v = c.var.viewer;
    const rows = await schoolsOfBoard(c.var.db, v.boardId);
    const exclusions = await boardExclusions(c.var.db, v.boardId);
    const visible = rows.filter((s) => v.schoolIds.includes(s.id));
    const contacts = await Promise.all(visible.map((s) => contactsOf(c.var.db, s.id)));
    const calendars = await Promise.all(visible.map((s) => calendarOf(c.var.db, s.id)));
    const manage = can(v, 'schools.manage');
    const archived = manage ? await archivedSchoolsOfBoard(c.var.db, v.boardId) : [];
    const board = await getBoard(c.var.db, v.boardId);
    return c.json({
      board: { name: board.name, canRename: can(v, 'board.rename') },
      canManage: manage,
      archived: archived.map((s) => ({
        slug: s.slug,
        name: s.name,
        archivedAt: s.archived_at!.toISOString(),
        archivedBy: s.archivedByName || s.archivedByEmail,
        removeAfter: removeAfter(s.archived_at!),
        openCases: s.openCases,
      })),
      schools: visible.map((s, i) => ({
        slug: s.slug,
        name: s.name,
        aliases: s.aliases,
        place: s.place,
        ...describeQuery(s),
        canEdit: can(v, 'school.edit_query', s.id),
        facts: s.facts,
        canEditFacts: canEditFacts(v, s.id),
        contacts: contacts[i]!,
        calendar: calendars[i]!,
        region: s.region,
      })),
      exclusions: { query: exclusions, canEdit: can(v, 'board.edit_exclusions') },
      boardCalendar: { entries: await boardCalendarOf(c.var.db, v.boardId), canEdit: canEditBoardCalendar(v) },
    });
  })
  .post('/', async (c) => {
    const v = manager(c);
    const p = parseOrThrow(newSchoolForm, await jsonBody(c));
    const made = await createSchool(c.var.db, v, { ...details(p), slug: p.slug }, clientIp(c)).catch(refused);
    return c.json({ ok: true, slug: made.slug }, 201);
  })
  .patch('/:slug', async (c) => {
    const v = manager(c);
    const school = await boardSchool(c);
    if (school.archived_at)
      return c.json({ error: 'Herstel de school eerst; een gearchiveerde school wijzigt niet' }, 409);
    const p = parseOrThrow(schoolForm, await jsonBody(c));
    const r = await updateSchool(c.var.db, v, school, details(p), clientIp(c)).catch(refused);
    return c.json({ ok: true, changed: r.changed });
  })
  // Archiving is a soft delete: restorable for 30 days, then the retention job removes the school.
  .delete('/:slug', async (c) => {
    const v = manager(c);
    const school = await boardSchool(c);
    if (school.archived_at) return c.json({ error: 'Deze school is al gearchiveerd' }, 409);
    const r = await archive(c.var.db, v, school, new Date(), clientIp(c)).catch(refused);
    return c.json({ ok: true, undoUntil: r.undoUntil.toISOString() });
  })
  .post('/:slug/restore', async (c) => {
    const v = manager(c);
    const school = await boardSchool(c);
    if (!school.archived_at) return c.json({ error: 'Deze school is niet gearchiveerd' }, 409);
    await restore(c.var.db, v, { ...school, archived_at: school.archived_at }, new Date(), clientIp(c)).catch(refused);
    return c.json({ ok: true });
  })
  .post('/:slug/query/preview', async (c) => {
    const school = await schoolForQuery(c.var.db, c.var.viewer, c.req.param('slug'));
    if (!school) return c.json({ error: 'School niet gevonden' }, 404);
    const p = parseOrThrow(querySchema, await jsonBody(c));
    return c.json(await previewSchoolQuery(c.var.db, c.var.viewer, school, p.query, clientIp(c)));
  })
  .put('/:slug/query', async (c) => {
    const v = c.var.viewer;
    const school = await schoolForQuery(c.var.db, v, c.req.param('slug'));
    if (!school) return c.json({ error: 'School niet gevonden' }, 404);
    if (!can(v, 'school.edit_query', school.id))
      return c.json({ error: 'U mag de zoekopdracht van deze school niet wijzigen' }, 403);
    const p = parseOrThrow(querySchema, await jsonBody(c));
    const result = await saveSchoolQuery(c.var.db, v, school, p.query).catch(queryError);
    return c.json({ ok: true, ...result });
  })
  .put('/:slug/facts', async (c) => {
    const v = c.var.viewer;
    const school = await editableSchool(c, 'het feitenblad');
    const p = parseOrThrow(factsSchema, await jsonBody(c));
    return c.json({ ok: true, ...(await saveFacts(c.var.db, v, school, p.facts, clientIp(c))) });
  })
  .put('/:slug/contacts', async (c) => {
    const v = c.var.viewer;
    const school = await editableSchool(c, 'de contactpersonen');
    const p = parseOrThrow(contactsSchema, await jsonBody(c));
    return c.json({ ok: true, contacts: await saveContacts(c.var.db, v, school, p.contacts, clientIp(c)) });
  })
  .put('/:slug/calendar', async (c) => {
    const v = c.var.viewer;
    const school = await editableSchool(c, 'de schoolkalender');
    const p = parseOrThrow(calendarSchema, await jsonBody(c));
    return c.json({ ok: true, calendar: await saveCalendar(c.var.db, v, school, p.entries, clientIp(c)) });
  })
  .put('/:slug/region', async (c) => {
    const school = await editableSchool(c, 'de vakantieregio');
    const p = parseOrThrow(regionSchema, await jsonBody(c));
    await saveRegion(c.var.db, c.var.viewer, school, p.region, clientIp(c));
    return c.json({ ok: true, region: p.region });
  })
  .get('/:slug/points', async (c) => {
    // What goes well and what could be better, from the school's discussions: the director's report.
    const school = await visibleSchool(c);
    const rows = await schoolPoints(c.var.db, school.id);
    return c.json({
      points: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        text: r.text,
        caseId: r.case_id,
        createdBy: r.created_by,
        at: r.created_at.toISOString(),
      })),
    });
  });
