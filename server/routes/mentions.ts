import { can } from '../access.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import { badRequest, clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { idParam } from './params.ts';
import { addManualMention } from '../actions/reports.ts';
import { fetchPageInfo } from '../../workers/feeds/fetchPage.ts';
import { labelledTsv } from '../actions/labelledExport.ts';
import { refileMention } from '../actions/cases.ts';
import { MAX_TRIAGE, triage } from '../actions/triage.ts';
import { openCount } from '../db/triage.ts';
import { correctLabel } from '../db/labels.ts';
import { decodeCursor, listMentions } from '../db/mentions.ts';
import { getMention } from '../db/mentionDetail.ts';
import { reportContact } from '../db/reports.ts';
import { schoolBySlug } from '../db/schools.ts';
import { RISK_TYPES, type RiskType } from '../../workers/classify/types.ts';
import { dutchTime } from '../../workers/time.ts';
import { explainFetchError } from '../../workers/http/explain.ts';

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const listSchema = z.object({
  school: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/, 'onbekende school')
    .optional(),
  sentiment: z.enum(['positive', 'neutral', 'negative'], { message: 'kies positive, neutral of negative' }).optional(),
  risk: z.enum(RISK_TYPES as [RiskType, ...RiskType[]], { message: `kies ${RISK_TYPES.join(', ')}` }).optional(),
  q: z.string().max(200, 'zoekterm te lang (max. 200 tekens)').optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  // a period of Dutch calendar days, both included (a bar of the Overzicht opens exactly its posts)
  from: z.iso.date({ message: 'geef een datum (JJJJ-MM-DD)' }).optional(),
  to: z.iso.date({ message: 'geef een datum (JJJJ-MM-DD)' }).optional(),
  // the inbox opens on what is not handled yet
  state: z.enum(['open', 'handled', 'all'], { message: 'kies open, handled of all' }).default('open'),
  sort: z.enum(['newest', 'risk'], { message: 'sorteer op newest of risk' }).default('newest'),
});

const triageSchema = z.object({
  ids: z
    .array(z.string().regex(/^\d{1,18}$/, 'onbekend bericht'))
    .min(1, 'kies minstens één bericht')
    .max(MAX_TRIAGE, `hoogstens ${MAX_TRIAGE} berichten tegelijk`),
  state: z.enum(['seen', 'handled', 'irrelevant', 'open'], { message: 'kies seen, handled, irrelevant of open' }),
});
const OPEN_COUNT_DAYS = 30;

const labelSchema = z.union(
  [
    z.object({
      field: z.literal('sentiment'),
      value: z.enum(['positive', 'neutral', 'negative'], { message: 'kies positive, neutral of negative' }),
    }),
    z.object({
      field: z.enum(RISK_TYPES as [RiskType, ...RiskType[]], { message: 'onbekend label' }),
      value: z.enum(['present', 'absent'], { message: 'kies present of absent' }),
    }),
  ],
  { message: 'Geef field (sentiment of een risicotype) en value' },
);

const addSchema = z
  .object({
    school: z.string().regex(/^[a-z0-9-]{1,63}$/, 'onbekende school'),
    url: z
      .string()
      .max(2000, 'link te lang')
      .refine((u) => !u.trim() || /^https?:\/\/\S+$/i.test(u.trim()), 'de link moet met http:// of https:// beginnen')
      .optional(),
    title: z.string().max(1000, 'titel te lang').optional(),
    text: z.string().max(20_000, 'tekst te lang (max. 20.000 tekens)').optional(),
  })
  .refine((p) => p.url?.trim() || p.text?.trim(), 'Plak een link of een tekst');

export const mentionRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const p = parseOrThrow(listSchema, c.req.query());
    const v = c.var.viewer;
    let schoolIds = v.schoolIds;
    if (p.school) {
      const school = await schoolBySlug(c.var.db, v.boardId, p.school);
      if (!school || !v.schoolIds.includes(school.id)) return c.json({ error: 'Geen toegang tot deze school' }, 403);
      schoolIds = [school.id];
    }
    const cursor = p.cursor ? decodeCursor(p.cursor) : undefined;
    if (p.cursor && !cursor) badRequest('Ongeldige cursor');
    const page = await listMentions(c.var.db, {
      boardId: v.boardId,
      schoolIds,
      sentiment: p.sentiment,
      risk: p.risk,
      q: p.q?.trim() || undefined,
      since: p.from ? dutchTime(p.from) : undefined,
      until: p.to ? dutchTime(nextDay(p.to)) : undefined,
      state: p.state === 'all' ? undefined : p.state,
      urgentFirst: p.sort === 'risk',
      cursor,
      limit: p.limit,
      now: c.var.now(),
    });
    return c.json(page);
  })
  // How many posts of the last 30 days the viewer's team has not handled yet (the header's count).
  .get('/count', async (c) => {
    const v = c.var.viewer;
    const since = new Date(c.var.now().getTime() - OPEN_COUNT_DAYS * 86_400_000);
    const open = await openCount(c.var.db, v.boardId, v.schoolIds, since);
    return c.json({ open, days: OPEN_COUNT_DAYS, capped: open >= 1000 });
  })
  // Seen, handled, not relevant, or back to open — one post or a selection.
  .post('/triage', async (c) => {
    const p = parseOrThrow(triageSchema, await jsonBody(c));
    const r = await triage(c.var.db, c.var.viewer, p.ids, p.state, c.var.now(), clientIp(c));
    if (!r.changed && p.state !== 'seen' && !r.ids.length) return c.json({ error: 'Niet gevonden' }, 404);
    return c.json({ changed: r.changed, ids: r.ids });
  })
  .post('/', async (c) => {
    // "Melding toevoegen": staff paste a link, a text, or both, for one of their schools.
    const v = c.var.viewer;
    const p = parseOrThrow(addSchema, await jsonBody(c));
    const school = await schoolBySlug(c.var.db, v.boardId, p.school);
    if (!school || !v.schoolIds.includes(school.id)) return c.json({ error: 'Geen toegang tot deze school' }, 403);
    const url = p.url?.trim() || null;
    let text = p.text?.trim() ?? '';
    let title = p.title?.trim() ?? '';
    let publishedAt: Date | null = null;
    let author: string | null = null;
    if (url && !text) {
      // Only a link: read the page's own title and description, through the guarded client.
      try {
        const info = await fetchPageInfo(url, c.var.fetchOptions);
        title = title || info.title;
        text = info.description;
        publishedAt = info.publishedAt;
        author = info.siteName;
      } catch (err) {
        const why = explainFetchError(err instanceof Error ? err.message : String(err)).text;
        return c.json(
          { error: `De pagina kon niet gelezen worden: ${why} Plak de tekst van het bericht erbij.`, needText: true },
          422,
        );
      }
      // a page with nothing to read (a login wall, an app link) is no post yet: ask for its text
      if (!text && !title)
        return c.json(
          {
            error:
              'Op deze pagina staat geen titel of tekst die Klankbord kan lezen. Plak de tekst van het bericht erbij.',
            needText: true,
          },
          422,
        );
    }
    const r = await addManualMention(
      c.var.db,
      v.boardId,
      { schoolId: school.id, url, title, text, author, publishedAt },
      v,
      'manual',
      c.var.now(),
    );
    return c.json({ id: r.id, duplicate: !!r.duplicateOf }, r.duplicateOf ? 200 : 201);
  })
  // A reveal is written to the audit log, so it is a POST: a link or an image cannot trigger it.
  .post('/:id/report-contact', async (c) => {
    // A reporter's contact details are shown on request only, and every look is in the audit log.
    const id = idParam(c);
    const v = c.var.viewer;
    const item = await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id);
    if (!item) return c.json({ error: 'Niet gevonden' }, 404);
    const contact = await reportContact(c.var.db, id);
    if (!contact) return c.json({ error: 'Geen contactgegevens bij deze melding' }, 404);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'report.contact_viewed',
      targetType: 'mention',
      targetId: id,
      ip: clientIp(c),
    });
    return c.json({ contact });
  })
  .post('/:id/unmasked', async (c) => {
    // The full text with its personal data, for someone who needs it to act; every look is audited.
    const id = idParam(c);
    const v = c.var.viewer;
    const item = await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id, { unmasked: true });
    if (!item) return c.json({ error: 'Niet gevonden' }, 404);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'mention.reveal_personal_data',
      targetType: 'mention',
      targetId: id,
      ip: clientIp(c),
    });
    return c.json({ title: item.title, text: item.text, risks: item.risks });
  })
  .get('/labelled.tsv', async (c) => {
    // Corrected mentions as labelled data; masked unless asked, and every export is audited.
    const v = c.var.viewer;
    const unmasked = c.req.query('unmasked') === '1';
    if (unmasked && !can(v, 'mentions.export_unmasked'))
      return c.json({ error: 'Alleen de privacy officer (FG) en beheer exporteren zonder maskering' }, 403);
    const { tsv, count, ids } = await labelledTsv(c.var.db, v, { unmasked });
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'export.labelled',
      targetType: 'board',
      targetId: v.boardId,
      ip: clientIp(c),
      // which mentions left the server in full, not only how many
      details: { count, unmasked, ...(unmasked ? { mentions: ids } : {}) },
    });
    c.header('content-type', 'text/tab-separated-values; charset=utf-8');
    c.header(
      'content-disposition',
      `attachment; filename="klankbord-labels-${new Date().toISOString().slice(0, 10)}.tsv"`,
    );
    return c.body(tsv);
  })
  .put('/:id/labels', async (c) => {
    // A person corrects a label: the sentiment, or a risk type present/absent.
    const id = idParam(c);
    const v = c.var.viewer;
    const p = parseOrThrow(labelSchema, await jsonBody(c));
    const item = await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id);
    if (!item) return c.json({ error: 'Niet gevonden' }, 404);
    const changed = await correctLabel(c.var.db, id, v, p, {
      sentiment: item.sentiment?.label ?? null,
      risks: item.risks,
      classifier: item.classifier,
    });
    if (!changed) return c.json(item);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'mention.label_corrected',
      targetType: 'mention',
      targetId: id,
      ip: clientIp(c),
      details: { field: p.field, value: p.value },
    });
    const after = (await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id))!;
    await refileMention(c.var.db, v, after, c.var.now());
    return c.json(await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id));
  })
  .get('/:id', async (c) => {
    const id = idParam(c);
    const v = c.var.viewer;
    const item = await getMention(c.var.db, { boardId: v.boardId, schoolIds: v.schoolIds }, id);
    if (!item) return c.json({ error: 'Niet gevonden' }, 404);
    return c.json(item);
  });
