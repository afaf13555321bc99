import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { benchBoard } from '../../server/db/benchData.ts';
import type { MentionFilters } from '../../server/db/mentions.ts';
import { ensureMentionPartitions } from '../../server/db/partitions.ts';
import { freshDatabase } from '../support/db.ts';
import { allPages } from '../support/paging.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';

// Issue 18: a page of the inbox is first asked of the months its posts were most likely collected in
// (the month is in the id, sql/0040). Posts collected long ago must still be listed where their date
// puts them: a board that collected little lately, and an old post collected only now.
const { db, adminUrl } = await freshDatabase();
const owner = connect(adminUrl, 1);
afterAll(() => owner.close());
const { board, schools, sources } = await benchBoard(owner.db);
const now = Date.now();
const daysAgo = (d: number) => new Date(now - d * 86_400_000);
await ensureMentionPartitions(owner.db, daysAgo(400), 16);

// `collected` days ago, published `published` days ago (never after it was collected)
async function post(n: number, collected: number, published: number) {
  const r = await sql<{ id: string }>`insert into mentions (id, board_id, source_id, external_id, body, published_at,
      created_at, search_text, search_masked_by, shown_sentiment)
    values (mention_id_for(${daysAgo(collected)}::timestamptz), ${board}, ${sources[0]}, ${`m-${n}`}, ${`bericht ${n}`},
      ${daysAgo(published)}, ${daysAgo(collected)}, ${`bericht ${n}`}, null, 'neutral')
    returning id`.execute(owner.db);
  const id = r.rows[0].id;
  await sql`insert into mention_keys (source_id, external_id, mention_id) values (${sources[0]}, ${`m-${n}`}, ${id})`.execute(
    owner.db,
  );
  await sql`insert into mention_schools (mention_id, school_id, matched, active) values (${id}, ${schools[0]}, '{}', true)`.execute(
    owner.db,
  );
  return id;
}

const pages = (f: MentionFilters) => allPages(db, f);

test('posts collected long ago and lately are listed newest first, each once, whatever month holds them', async () => {
  const made: { id: string; published: number }[] = [];
  // a quiet board: 30 posts collected 200 to 300 days ago, 4 lately
  for (let i = 0; i < 30; i++) made.push({ id: await post(i, 200 + i * 3, 200 + i * 3), published: 200 + i * 3 });
  for (let i = 0; i < 4; i++) made.push({ id: await post(100 + i, i, i + 0.5), published: i + 0.5 });
  // an old post (published 250 days ago) collected only now, and one dated a day after its collection
  made.push({ id: await post(200, 0, 250.5), published: 250.5 });
  made.push({ id: await post(201, 120, 119), published: 119 });
  const want = [...made].sort((a, b) => a.published - b.published).map((m) => m.id);
  for (const limit of [1, 5, 20, 50])
    expect(await pages({ boardId: board, schoolIds: schools, limit }), `limit ${limit}`).toEqual(want);
  expect(await pages({ boardId: board, schoolIds: [schools[0]], limit: 7 })).toEqual(want);
  // a period: the posts published since then
  const since = daysAgo(210);
  expect(await pages({ boardId: board, schoolIds: schools, limit: 10, since })).toEqual(
    [...made]
      .filter((m) => m.published <= 210)
      .sort((a, b) => a.published - b.published)
      .map((m) => m.id),
  );
});

test('a search with more hits than the text indexes list pages through every hit once, newest first, old months included', async () => {
  // 1,100 posts with the word collected 170 to 260 days ago (one per ~2 hours), 70 lately, and 60 collected
  // lately that were published 300 days ago (a backlog): they must come after all the others
  const q = 'kwartetavond';
  const r = await sql<{ id: string; published_at: Date }>`
    insert into mentions (id, board_id, source_id, external_id, body, published_at, created_at, search_text,
      search_masked_by, shown_sentiment)
    select mention_id_for(c), ${board}, ${sources[0]}, 'k-' || g, 'kwartetavond ' || g, p, c, 'kwartetavond ' || g,
      ${CLASSIFIER}, 'neutral'
    from generate_series(1, 1230) g,
      lateral (select case when g <= 1100 then ${daysAgo(260)}::timestamptz + g * interval '2 hours'
        when g <= 1170 then ${daysAgo(10)}::timestamptz + (g - 1100) * interval '3 hours'
        else ${daysAgo(300)}::timestamptz + (g - 1170) * interval '1 hour' end as p) x,
      lateral (select case when g <= 1170 then x.p else ${daysAgo(2)}::timestamptz end as c) y
    returning id, published_at`.execute(owner.db);
  await sql`insert into mention_keys (source_id, external_id, mention_id)
    select source_id, external_id, id from mentions where external_id like 'k-%'`.execute(owner.db);
  await sql`insert into mention_schools (mention_id, school_id, matched, active)
    select id, ${schools[1]}, '{}', true from mentions where external_id like 'k-%'`.execute(owner.db);
  const want = [...r.rows]
    .sort((a, b) => b.published_at.getTime() - a.published_at.getTime() || Number(BigInt(b.id) - BigInt(a.id)))
    .map((m) => m.id);
  const got = await pages({ boardId: board, schoolIds: schools, q, limit: 50 });
  expect(got).toHaveLength(1230);
  expect(got).toEqual(want);
});

test("a search asks the recent months' hits first, and takes older months' hits where the page reaches back into them", async () => {
  // `collected` days ago, published `published` days ago, with the word
  const hit = async (n: number, collected: number, published: number, school = schools[2]) => {
    const r = await sql<{ id: string }>`insert into mentions (id, board_id, source_id, external_id, body, published_at,
        created_at, search_text, search_masked_by, shown_sentiment)
      values (mention_id_for(${daysAgo(collected)}::timestamptz), ${board}, ${sources[0]}, ${`z-${n}`},
        ${`zomerkamp ${n}`}, ${daysAgo(published)}, ${daysAgo(collected)}, ${`zomerkamp ${n}`}, ${CLASSIFIER}, 'neutral')
      returning id`.execute(owner.db);
    const id = r.rows[0].id;
    await sql`insert into mention_keys (source_id, external_id, mention_id) values (${sources[0]}, ${`z-${n}`}, ${id})`.execute(
      owner.db,
    );
    await sql`insert into mention_schools (mention_id, school_id, matched, active) values (${id}, ${school}, '{}', true)`.execute(
      owner.db,
    );
    return id;
  };
  // three posts of the last days; four collected yesterday but published 300 days ago and more (a backlog),
  // so the recent months hold more hits than a small page; two collected and published 200 days ago, which
  // come between them
  const recent = [await hit(1, 1, 1), await hit(2, 2, 2), await hit(3, 3, 3)];
  const backlog = [await hit(4, 1, 300), await hit(5, 1, 301), await hit(6, 1, 302), await hit(7, 1, 303)];
  const old = [await hit(8, 200, 200), await hit(9, 201, 201)];
  const want = [...recent, ...old, ...backlog];
  for (const limit of [1, 2, 3, 5, 50])
    expect(await pages({ boardId: board, schoolIds: schools, q: 'zomerkamp', limit }), `limit ${limit}`).toEqual(want);
  expect(await pages({ boardId: board, schoolIds: [schools[2]], q: 'zomerkamp', limit: 4 })).toEqual(want);
  // a page that ends within the recent months: the same answer
  expect(await pages({ boardId: board, schoolIds: schools, q: 'zomerkamp 2', limit: 1 })).toEqual([recent[1]]);
  // the newest recent hits are another school's: the school's list takes the rest of the recent hits
  const elsewhere = [];
  for (let n = 10; n < 14; n++) elsewhere.push(await hit(n, 0.5, 0.25 + n / 100, schools[3]));
  for (const limit of [1, 2, 5])
    expect(await pages({ boardId: board, schoolIds: [schools[2]], q: 'zomerkamp', limit }), `limit ${limit}`).toEqual(
      want,
    );
  expect(await pages({ boardId: board, schoolIds: schools, q: 'zomerkamp', limit: 2 })).toEqual([
    ...elsewhere,
    ...want,
  ]);
});
