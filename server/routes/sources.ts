import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { can, canDeleteSource, canEditSource } from '../access.ts';
import { badRequest, jsonBody, parseOrThrow, type Env } from './http.ts';
import { listSourceHealth, openCasesOfSource, sourceOfBoard } from '../db/sources.ts';
import { schoolBySlug } from '../db/schools.ts';
import { idParam, ID_PATTERN } from './params.ts';
import { createSource, deleteSource, undeleteSource, testSource, updateSource } from '../actions/sources.ts';
import { publicSettings, resolveDraft, SourceInputError } from '../actions/sourceSettings.ts';
import { collectorFor, collectors } from '../../workers/collectors/registry.ts';
import type { Source } from '../db/schema.ts';

const slugOrNull = z
  .string()
  .regex(/^[a-z0-9-]{1,63}$/, 'onbekende school')
  .nullable();
const settings = z.record(z.string(), z.union([z.string().max(2000), z.number(), z.null()]));
const createSchema = z.object({
  kind: z.string().max(40),
  school: slugOrNull.default(null),
  name: z.string().max(200).optional(),
  url: z.string().max(2000).nullish(),
  settings: settings.default({}),
  intervalMinutes: z
    .number()
    .int()
    .min(1, 'minstens 1 minuut')
    .max(7 * 24 * 60)
    .optional(),
});
const updateSchema = z.object({
  name: z.string().max(200).optional(),
  url: z.string().max(2000).nullish(),
  settings: settings.optional(),
  intervalMinutes: z
    .number()
    .int()
    .min(1, 'minstens 1 minuut')
    .max(7 * 24 * 60)
    .optional(),
  enabled: z.boolean().optional(),
});
const testSchema = z.object({
  kind: z.string().max(40).optional(),
  sourceId: z.string().regex(ID_PATTERN).optional(),
  school: slugOrNull.optional(),
  url: z.string().max(2000).nullish(),
  settings: settings.optional(),
});

const kindOrThrow = (kind: string) => {
  if (!collectors.has(kind)) badRequest(`Onbekende bronsoort "${kind}"`);
  return collectorFor(kind);
};

function inputError(err: unknown): never {
  if (err instanceof SourceInputError) badRequest(err.message);
  throw err;
}

export const sourceRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const v = c.var.viewer;
    const items = await listSourceHealth(c.var.db, v.boardId, v.schoolIds);
    return c.json({
      items: items.map((s) => {
        const canEdit = canEditSource(v, s.school?.id ?? null);
        return {
          ...s,
          address: canEdit ? s.address : null,
          settings: canEdit ? publicSettings(s.kind, s.settings) : {},
          canEdit,
          canDelete: canDeleteSource(v, s.school?.id ?? null),
        };
      }),
      canAdd: can(v, 'source.edit'),
    });
  })
  .get('/kinds', (c) =>
    c.json({
      items: [...collectors.values()]
        .filter((k) => k.addable !== false)
        .map((k) => ({ kind: k.kind, label: k.label, help: k.help, fields: k.fields, needsSchool: !!k.needsSchool })),
    }),
  )
  .post('/', async (c) => {
    const v = c.var.viewer;
    const p = parseOrThrow(createSchema, await jsonBody(c));
    kindOrThrow(p.kind);
    const schoolId = await schoolIdOf(c, p.school);
    if (!canEditSource(v, schoolId))
      return c.json(
        {
          error: schoolId
            ? 'U mag geen bronnen beheren voor deze school'
            : 'Alleen wie het hele bestuur ziet, mag bestuursbrede bronnen beheren',
        },
        403,
      );
    const id = await createSource(c.var.db, v, { ...p, schoolId }).catch(inputError);
    return c.json({ id }, 201);
  })
  .post('/test', async (c) => {
    const v = c.var.viewer;
    const p = parseOrThrow(testSchema, await jsonBody(c));
    let kind = p.kind;
    let stored: Record<string, unknown> = {};
    let storedUrl: string | null = null;
    let schoolId: string | null = p.school === undefined ? null : await schoolIdOf(c, p.school);
    if (p.sourceId) {
      const s = await ownSource(c, p.sourceId);
      if (!s) return c.json({ error: 'Bron niet gevonden' }, 404);
      kind = s.kind;
      stored = s.settings;
      storedUrl = s.url;
      schoolId = s.school_id;
      if (p.url === undefined) p.url = s.url;
      if (p.settings === undefined) p.settings = {};
    }
    if (!kind) badRequest('Kies een bronsoort');
    const collector = kindOrThrow(kind);
    if (!canEditSource(v, schoolId)) return c.json({ error: 'U mag geen bronnen beheren voor deze school' }, 403);
    const draft: { url: string | null; settings: Record<string, unknown> } = (() => {
      try {
        return resolveDraft(collector, { kind, url: p.url, settings: p.settings ?? {} }, stored, storedUrl);
      } catch (err) {
        return inputError(err);
      }
    })();
    return c.json(
      await testSource(c.var.db, v, collector, { ...draft, schoolId }, c.var.fetchOptions, c.var.endpoints),
    );
  })
  .patch('/:id', async (c) => {
    const v = c.var.viewer;
    const s = await ownSource(c, idParam(c));
    if (!s) return c.json({ error: 'Bron niet gevonden' }, 404);
    if (!canEditSource(v, s.school_id)) return c.json({ error: 'U mag deze bron niet wijzigen' }, 403);
    const p = parseOrThrow(updateSchema, await jsonBody(c));
    await updateSource(c.var.db, v, s, p).catch(inputError);
    return c.json({ ok: true });
  })
  .delete('/:id', async (c) => {
    const v = c.var.viewer;
    const s = await ownSource(c, idParam(c));
    if (!s) return c.json({ error: 'Bron niet gevonden' }, 404);
    if (!canDeleteSource(v, s.school_id))
      return c.json({ error: 'Alleen beheer verwijdert een bron (met al haar berichten); pauzeer haar anders' }, 403);
    if (s.kind === 'manual')
      return c.json({ error: 'Deze bron hoort bij het systeem en kan niet verwijderd worden' }, 400);
    const open = await openCasesOfSource(c.var.db, s.id);
    if (open)
      return c.json(
        {
          error: `Berichten van deze bron horen bij ${open} open zaak/zaken (bijvoorbeeld een aangifte); rond die eerst af of pauzeer de bron`,
        },
        409,
      );
    const removed = await deleteSource(c.var.db, v, s);
    return c.json({ ok: true, mentions: removed.mentions, undoUntil: removed.undoUntil.toISOString() });
  })
  // Undo a delete within 30 days; the source stays paused until someone resumes it.
  .post('/:id/restore', async (c) => {
    const v = c.var.viewer;
    const s = await ownSource(c, idParam(c));
    if (!s || !s.deleted_at) return c.json({ error: 'Geen verwijderde bron gevonden' }, 404);
    if (!canDeleteSource(v, s.school_id)) return c.json({ error: 'Alleen beheer herstelt een bron' }, 403);
    await undeleteSource(c.var.db, v, s);
    return c.json({ ok: true });
  });

type Ctx = Context<Env>;

// A source of this board that the viewer can see (board-wide, or of one of their schools). The id
// is already checked (idParam, or the test form's schema).
async function ownSource(c: Ctx, id: string): Promise<Source | undefined> {
  const v = c.var.viewer;
  const s = await sourceOfBoard(c.var.db, v.boardId, id);
  if (!s || (s.school_id && !v.schoolIds.includes(s.school_id))) return undefined;
  return s;
}

async function schoolIdOf(c: Ctx, slug: string | null): Promise<string | null> {
  if (slug === null) return null;
  const v = c.var.viewer;
  const school = await schoolBySlug(c.var.db, v.boardId, slug);
  if (!school || !v.schoolIds.includes(school.id)) badRequest('Onbekende school');
  return school.id;
}
