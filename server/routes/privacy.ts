import { Hono } from 'hono';
import { z } from 'zod';
import { can } from '../access.ts';
import { audit } from '../db/audit.ts';
import { inTransaction } from '../db/index.ts';
import { eraseNotes, erasePosts, erasePreviewItems, findPersonData, postsNaming } from '../db/personData.ts';
import { badRequest, clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { ID_PATTERN } from './params.ts';

// /api/privacy: access and erasure requests for the privacy officer (FG) and beheer. Every search,
// export and erasure is in the audit log with the request's reference.

const ask = z.object({
  term: z
    .string()
    .trim()
    .min(3, 'zoek op minstens 3 tekens (een naam, e-mailadres, telefoonnummer of handle)')
    .max(200),
  reference: z.string().trim().min(2, 'geef het kenmerk van het verzoek').max(100),
});
const erase = ask.extend({ mentionIds: z.array(z.string().regex(ID_PATTERN)).max(1000) });
const onlyFg = { error: 'Alleen de privacy officer (FG) en beheer behandelen inzage- en verwijderverzoeken' };

export const privacyRoutes = new Hono<Env>()
  .post('/search', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'privacy.requests')) return c.json(onlyFg, 403);
    const p = parseOrThrow(ask, await jsonBody(c));
    const hits = await findPersonData(c.var.db, v.boardId, p.term);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'privacy.search',
      ip: clientIp(c),
      details: { reference: p.reference, hits: hits.length },
    });
    return c.json({ hits });
  })
  // Inzage: everything found, in full, as one JSON document to hand over.
  .post('/export', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'privacy.requests')) return c.json(onlyFg, 403);
    const p = parseOrThrow(ask, await jsonBody(c));
    const hits = await findPersonData(c.var.db, v.boardId, p.term);
    await audit(c.var.db, {
      boardId: v.boardId,
      userId: v.id,
      actor: v.email,
      action: 'privacy.export',
      ip: clientIp(c),
      details: { reference: p.reference, hits: hits.length },
    });
    c.header(
      'content-disposition',
      `attachment; filename="inzageverzoek-${p.reference.replace(/[^\w-]+/g, '_')}.json"`,
    );
    return c.json({ reference: p.reference, searchedFor: p.term, exportedAt: new Date().toISOString(), hits });
  })
  .post('/erase', async (c) => {
    const v = c.var.viewer;
    if (!can(v, 'privacy.requests')) return c.json(onlyFg, 403);
    const p = parseOrThrow(erase, await jsonBody(c));
    const asked = [...new Set(p.mentionIds)];
    const result = await inTransaction(c.var.db, async (trx) => {
      // Only posts of this board that the search for this person finds: any other id (unknown,
      // another board's, or a post that does not name them) refuses the whole request.
      const found = new Set(await postsNaming(trx, v.boardId, p.term, asked));
      const refused = asked.filter((id) => !found.has(id));
      if (refused.length)
        badRequest(
          `Niet verwijderd: ${refused.length === 1 ? 'bericht' : 'berichten'} ${refused.join(', ')} ${refused.length === 1 ? 'hoort' : 'horen'} niet bij dit bestuur of ${refused.length === 1 ? 'noemt' : 'noemen'} "${p.term}" niet. Zoek opnieuw en kies alleen uit de gevonden berichten; er is niets verwijderd.`,
        );
      const cases = await erasePosts(trx, v.boardId, asked, {
        actor: v.email,
        userId: v.id,
        reference: p.reference,
      });
      const notes = await eraseNotes(trx, v.boardId, p.term);
      const previews = await erasePreviewItems(trx, v.boardId, p.term);
      await audit(trx, {
        boardId: v.boardId,
        userId: v.id,
        actor: v.email,
        action: 'privacy.erase',
        ip: clientIp(c),
        details: { reference: p.reference, mentions: asked, notes, cases, previews },
      });
      return { mentions: asked.length, notes: notes.length, cases: cases.length, previews };
    });
    return c.json({ ok: true, ...result });
  });
