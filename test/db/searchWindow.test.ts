import { afterAll, expect, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { benchBoard, generateMentions } from '../../server/db/benchData.ts';
import type { MentionFilters } from '../../server/db/mentions.ts';
import { newestTried, SEARCH_WINDOW } from '../../server/db/search.ts';
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

test('a rare word with more hits than a page tries first lists them all, for the board and for one school', async () => {
  // a page of 5 tries the newest 8 hits first; for a school with none of the newest, those hold fewer
  // than a page, and the hits of every month are asked instead
  expect(newestTried(5)).toBe(8);
  const want = await expected(['99'], schools);
  expect(want.length).toBeGreaterThan(3 * 8);
  expect(await pages({ boardId: board, schoolIds: schools, q: '99', limit: 5 })).toEqual(want);
  // schools with a few of the hits: one with none of the newest three (what a page of 1 tries first),
  // one with exactly one of them (a page of 1 needs 2 rows to know there is more)
  const links = await db
    .selectFrom('mention_schools')
    .select(['mention_id', 'school_id'])
    .where('mention_id', 'in', want)
    .execute();
  const among = (id: string, ids: string[]) =>
    links.filter((l) => l.school_id === id && ids.includes(l.mention_id)).length;
  for (const inNewest of [0, 1]) {
    const school = schools.find((id) => among(id, want.slice(0, newestTried(1))) === inNewest && among(id, want) >= 2);
    expect(school, `a school with ${inNewest} of the newest hits`).toBeTruthy();
    const theirs = await expected(['99'], [school!]);
    expect(await pages({ boardId: board, schoolIds: [school!], q: '99', limit: 1 })).toEqual(theirs);
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
