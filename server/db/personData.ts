import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from './schema.ts';
import type { DB } from './index.ts';

// Access and erasure requests (AVG art. 15 and 17): every stored place a person's name, e-mail
// address, phone number or handle can be in — posts (title, text, author, handle), meldpunt reports
// (what they wrote about the screenshot, the reporter's contact), case notes, and collected items that
// matched no school yet (the preview window, kept 72 hours) — for one board.

export type PersonHit = {
  mentionId: string | null;
  caseId: string | null;
  where: ('title' | 'text' | 'author' | 'handle' | 'report' | 'contact' | 'note' | 'preview')[];
  title: string;
  text: string;
  author: string | null;
  handle: string | null;
  contact: string | null;
  publishedAt: string | null;
  schools: string[];
};

const like = (term: string) => `%${term.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

// Where a post or its report names the person: the one condition the search and the erasure share.
const names = (
  eb: ExpressionBuilder<Database & { m: Database['mentions']; r: Database['reports'] }, 'm' | 'r'>,
  term: string,
) => {
  const p = like(term);
  return eb.or([
    eb('m.title', 'ilike', p),
    eb('m.body', 'ilike', p),
    eb('m.author', 'ilike', p),
    eb('m.author_handle', 'ilike', p),
    eb('r.contact', 'ilike', p),
    eb('r.screenshot_description', 'ilike', p),
  ]);
};

export async function findPersonData(db: DB, boardId: string, term: string, limit = 500): Promise<PersonHit[]> {
  const p = like(term);
  const rows = await db
    .selectFrom('mentions as m')
    .leftJoin('reports as r', 'r.mention_id', 'm.id')
    .select([
      'm.id',
      'm.title',
      'm.body',
      'm.author',
      'm.author_handle',
      'm.published_at',
      'r.contact',
      'r.screenshot_description',
      sql<
        string[]
      >`(select coalesce(array_agg(s.name order by s.name), '{}') from mention_schools ms join schools s on s.id = ms.school_id where ms.mention_id = m.id)`.as(
        'schools',
      ),
    ])
    .where('m.board_id', '=', boardId)
    .where((eb) => names(eb, term))
    .orderBy('m.id')
    .limit(limit)
    .execute();
  const has = (s: string | null | undefined) => !!s && s.toLowerCase().includes(term.toLowerCase());
  const hits: PersonHit[] = rows.map((r) => ({
    mentionId: r.id,
    caseId: null,
    where: [
      ...(has(r.title) ? (['title'] as const) : []),
      ...(has(r.body) ? (['text'] as const) : []),
      ...(has(r.author) ? (['author'] as const) : []),
      ...(has(r.author_handle) ? (['handle'] as const) : []),
      ...(has(r.screenshot_description) ? (['report'] as const) : []),
      ...(has(r.contact) ? (['contact'] as const) : []),
    ],
    title: r.title,
    text: r.body,
    author: r.author,
    handle: r.author_handle,
    contact: r.contact,
    publishedAt: r.published_at.toISOString(),
    schools: r.schools,
  }));
  const notes = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .select(['e.case_id', 'e.created_at', sql<string>`e.details->>'text'`.as('text'), 's.name'])
    .where('c.board_id', '=', boardId)
    .where('e.kind', '=', 'note')
    .where(sql<string>`e.details->>'text'`, 'ilike', p)
    .limit(limit)
    .execute();
  // items in the preview window (matched no school; deleted after 72 hours), as collected
  const previews = await db
    .selectFrom('preview_items')
    .select(['id', 'item', 'created_at'])
    .where('board_id', '=', boardId)
    .where(sql<string>`concat_ws(' ', item->>'title', item->>'text', item->>'author', item->>'handle')`, 'ilike', p)
    .orderBy('id')
    .limit(limit)
    .execute();
  for (const pv of previews) {
    const it = pv.item as { title?: string; text?: string; author?: string | null; handle?: string | null };
    hits.push({
      mentionId: null,
      caseId: null,
      where: ['preview'],
      title: it.title ?? '',
      text: it.text ?? '',
      author: it.author ?? null,
      handle: it.handle ?? null,
      contact: null,
      publishedAt: pv.created_at.toISOString(),
      schools: [],
    });
  }
  for (const n of notes)
    hits.push({
      mentionId: null,
      caseId: n.case_id,
      where: ['note'],
      title: '',
      text: n.text,
      author: null,
      handle: null,
      contact: null,
      publishedAt: n.created_at.toISOString(),
      schools: [n.name],
    });
  return hits;
}

export const ERASED = '[verwijderd op verzoek van de betrokkene]';

// Of these post ids, the ones of this board that the search for `term` finds: only those may be
// erased for a request about that person.
export async function postsNaming(db: DB, boardId: string, term: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('mentions as m')
    .leftJoin('reports as r', 'r.mention_id', 'm.id')
    .select('m.id')
    .where('m.board_id', '=', boardId)
    .where('m.id', 'in', ids)
    .where((eb) => names(eb, term))
    .forUpdate('m')
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}

// Erase these posts' content (the row stays so cases keep their place and count), their reports and
// labels, and note it in every case that held them. Returns the cases told.
export async function erasePosts(
  trx: DB,
  boardId: string,
  ids: string[],
  note: { actor: string; userId: string; reference: string },
) {
  if (!ids.length) return [];
  const mine = (
    await trx.selectFrom('mentions').select('id').where('board_id', '=', boardId).where('id', 'in', ids).execute()
  ).map((m) => m.id);
  if (!mine.length) return [];
  await trx
    .updateTable('mentions')
    .set({
      title: '',
      body: ERASED,
      author: null,
      author_handle: null,
      url: null,
      media: '[]',
      engagement: '{}',
      // not searchable until the 'search-text' job has masked what is left
      search_text: null,
      search_masked_by: null,
      story_key: null,
      shown_sentiment: null,
      shown_risks: [],
      corrected: false,
    })
    .where('id', 'in', mine)
    .execute();
  await trx.deleteFrom('reports').where('mention_id', 'in', mine).execute();
  await trx.deleteFrom('classifications').where('mention_id', 'in', mine).execute();
  // the erased posts are classified again (what is left of them) by the next idle pass
  await trx.deleteFrom('job_state').where('name', '=', 'reclassify').execute();
  await trx.deleteFrom('label_corrections').where('mention_id', 'in', mine).execute();
  const cases = (
    await trx.selectFrom('case_mentions').select('case_id').distinct().where('mention_id', 'in', mine).execute()
  ).map((c) => c.case_id);
  for (const caseId of cases)
    await trx
      .insertInto('case_events')
      .values({
        case_id: caseId,
        user_id: note.userId,
        actor: note.actor,
        kind: 'data_erased',
        details: JSON.stringify({ reference: note.reference, mentions: mine.length }),
      })
      .execute();
  return cases;
}

// Case notes that name the person: the note's text is replaced, the event stays. Returns the notes'
// event ids.
// Preview items naming the person are deleted outright: they belong to no school and no case.
export async function erasePreviewItems(trx: DB, boardId: string, term: string): Promise<number> {
  const r = await trx
    .deleteFrom('preview_items')
    .where('board_id', '=', boardId)
    .where(
      sql<string>`concat_ws(' ', item->>'title', item->>'text', item->>'author', item->>'handle')`,
      'ilike',
      like(term),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function eraseNotes(trx: DB, boardId: string, term: string): Promise<string[]> {
  const rows = await trx
    .updateTable('case_events')
    .set({ details: JSON.stringify({ text: ERASED }) })
    .where('kind', '=', 'note')
    .where(sql<string>`details->>'text'`, 'ilike', like(term))
    .where('case_id', 'in', trx.selectFrom('cases').select('id').where('board_id', '=', boardId))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
