import { afterAll, expect, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { benchBoard, generateMentions } from '../../server/db/benchData.ts';
import type { MentionFilters } from '../../server/db/mentions.ts';
import { SEARCH_WINDOW } from '../../server/db/search.ts';
import { freshDatabase } from '../support/db.ts';
import { allPages } from '../support/paging.ts';

// Issue 18: a search first walks the newest SEARCH_WINDOW posts in date order (a common word has its
// page there) and only then asks the text indexes. Paged all the way down, every search must still
// list exactly its hits, newest first, each once.
const { db, adminUrl } = await freshDatabase();
const owner = connect(adminUrl, 1);
afterAll(() => owner.close());
const { board, schools, sources } = await benchBoard(owner.db);
const POSTS = SEARCH_WINDOW + 1200;
await generateMentions(owner.db, board, schools, sources, 0, POSTS);

// The same search, spelled out: every word a substring of the stored search text.
async function expected(words: string[], schoolIds: string[]) {
  let q = db
    .selectFrom('mentions as m')
    .select('m.id')
    .where('m.board_id', '=', board)
    .where('m.story_id', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('mention_schools as ms')
          .select('ms.mention_id')
          .whereRef('ms.mention_id', '=', 'm.id')
          .where('ms.active', '=', true)
          .where('ms.school_id', 'in', schoolIds),
      ),
    );
  for (const w of words) q = q.where('m.search_text', 'like', `%${w}%`);
  return (await q.orderBy('m.published_at', 'desc').orderBy('m.id', 'desc').execute()).map((r) => r.id);
}

const pages = (f: MentionFilters) => allPages(db, f);

test('a common word, a rare one and one in between list exactly their hits, page after page', async () => {
  for (const [q, words] of [
    ['lesuitval', ['lesuitval']],
    ['bericht 4123', ['bericht', '4123']],
    ['bericht 41', ['bericht', '41']],
    ['zwembadfeest', ['zwembadfeest']],
  ] as const) {
    const want = await expected([...words], schools);
    const got = await pages({ boardId: board, schoolIds: schools, q, limit: 20 });
    expect(got, q).toEqual(want);
    if (q === 'lesuitval') expect(want.length).toBeGreaterThan(100);
  }
});

test('the same for one school and for a few, and from a cursor deep in the list', async () => {
  const one = [schools[4]];
  expect(await pages({ boardId: board, schoolIds: one, q: 'lesuitval', limit: 15 })).toEqual(
    await expected(['lesuitval'], one),
  );
  const few = schools.slice(10, 13);
  const want = await expected(['school'], few);
  const deep = want[Math.floor(want.length / 2)];
  const at = await db.selectFrom('mentions').select('published_at').where('id', '=', deep).executeTakeFirstOrThrow();
  const rest = await pages({
    boardId: board,
    schoolIds: few,
    q: 'school',
    limit: 25,
    cursor: { publishedAt: at.published_at, id: deep },
  });
  expect(rest).toEqual(want.slice(want.indexOf(deep) + 1));
});
