import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import type { Viewer } from '../../server/access.ts';
import { BENCH_NOW, benchBoard, generateMentions } from '../../server/db/benchData.ts';
import { listCases } from '../../server/db/caseList.ts';
import { connect } from '../../server/db/index.ts';
import { MAX_PREPARED, prepared } from '../../server/db/prepared.ts';
import { decodeCursor, listMentions } from '../../server/db/mentions.ts';
import { searchHits } from '../../server/db/search.ts';
import { freshDatabase } from '../support/db.ts';

// Issue 18: a search's hits are asked of every month's text indexes, whose planning cost twice the
// search; that statement is prepared once per connection and PostgreSQL keeps its plan.
const { url, adminUrl } = await freshDatabase();
const owner = connect(adminUrl, 1);
// one connection, so every statement below meets the same session's prepared statements
const one = connect(url, 1);
afterAll(async () => {
  await one.close();
  await owner.close();
});
const { board, schools, sources } = await benchBoard(owner.db);
await generateMentions(owner.db, board, schools, sources, 0, 2000);

// the statements a connection keeps (by default the file's one connection)
const statements = async (on = one) =>
  (
    await sql<{
      statement: string;
      runs: number;
    }>`select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements`.execute(on.db)
  ).rows;
// the same search spelled out, unprepared
const truth = async (word: string) =>
  (
    await one.db
      .selectFrom('mentions')
      .select('id')
      .where('board_id', '=', board)
      .where('story_id', 'is', null)
      .where('search_text', 'like', `%${word}%`)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);

test("a search's hits run as one prepared statement per connection, each with its own words", async () => {
  expect(await statements()).toEqual([]);
  const words = ['4242', '123', '77', '1999', '5'];
  for (const w of words) {
    const hits = await searchHits(one.db, board, w);
    expect(hits, w).not.toBeNull();
    const ids = hits!.map((h) => h.id).sort((a, b) => Number(BigInt(a) - BigInt(b)));
    expect(ids, w).toEqual(await truth(w));
  }
  expect((await truth('123')).length).toBeGreaterThan(0);
  // every search of one word is the same statement with other values, run as often as searched
  const kept = await statements();
  expect(kept).toHaveLength(1);
  expect(kept[0].statement).toMatch(/^\/\* prepared \*\/ select "m"\."id", "m"\."published_at" from "mentions"/);
  expect(kept[0].runs).toBe(words.length);
  // two words is another statement
  await searchHits(one.db, board, 'bericht 42');
  expect(await statements()).toHaveLength(2);
  // an unmarked statement is not kept
  await one.db.selectFrom('mentions').select('id').where('board_id', '=', board).limit(1).execute();
  expect(await statements()).toHaveLength(2);
});

test('past the most a connection keeps, marked statements run unnamed with the same answers', async () => {
  const before = (await statements()).length;
  for (let i = 0; i < MAX_PREPARED + 5; i++) {
    const q = sql<{ n: number }>`select ${sql.raw(String(i))} + ${i}::int as n`.compile(one.db);
    expect((await one.db.executeQuery(prepared(q))).rows).toEqual([{ n: 2 * i }]);
  }
  expect(await statements()).toHaveLength(MAX_PREPARED);
  expect(before).toBeLessThan(MAX_PREPARED);
  // one kept earlier still runs as itself
  expect((await searchHits(one.db, board, '4242'))!.length).toBe((await truth('4242')).length);
});

test('a statement whose columns a migration changed runs again, unnamed, with the new columns', async () => {
  await sql`create table prepared_probe (a int)`.execute(owner.db);
  await sql`insert into prepared_probe values (1)`.execute(owner.db);
  await sql`grant select on prepared_probe to public`.execute(owner.db);
  // a connection of its own, with room for named statements
  const other = connect(url, 1);
  try {
    const q = prepared(sql<Record<string, number>>`select * from prepared_probe`.compile(other.db));
    expect((await other.db.executeQuery(q)).rows).toEqual([{ a: 1 }]);
    const kept = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(other.db);
    expect(kept.rows[0].n).toBe(1);
    await sql`alter table prepared_probe add column b int default 2`.execute(owner.db);
    expect((await other.db.executeQuery(q)).rows).toEqual([{ a: 1, b: 2 }]);
    expect((await other.db.executeQuery(q)).rows).toEqual([{ a: 1, b: 2 }]);
    // a statement that fails otherwise still fails, and the connection goes on
    const bad = prepared(sql`select 1 / ${0}::int as n`.compile(other.db));
    await expect(other.db.executeQuery(bad)).rejects.toThrow(/division by zero/);
    expect((await searchHits(other.db, board, '4242'))!.length).toBe((await truth('4242')).length);
  } finally {
    await other.close();
  }
});

test('the inbox and the case list keep their statements prepared, one per shape, whatever the page length', async () => {
  // a connection of its own: the tests above count this file's named statements
  const own = connect(url, 1);
  try {
    const kept = () => statements(own);
    const f = { boardId: board, schoolIds: schools, now: BENCH_NOW };
    const pages = [50, 3, 17, 50];
    const lists = [];
    for (const limit of pages) lists.push(await listMentions(own.db, { ...f, limit }));
    expect(lists.map((l) => l.items.length)).toEqual(pages);
    // the shorter pages are the first posts of the longer one
    expect(lists[1].items.map((i) => i.id)).toEqual(lists[0].items.slice(0, 3).map((i) => i.id));
    expect(lists[3]).toEqual(lists[0]);
    expect(lists[0].items.every((i) => i.schools.length > 0)).toBe(true);
    const after = await kept();
    // the page, its posts' schools and its stories' counts: three statements, each run for every page
    expect(after).toHaveLength(3);
    expect(after.map((k) => k.runs)).toEqual([4, 4, 4]);
    expect(after.find((k) => k.statement.startsWith('/* prepared */ select "ms"."mention_id"'))!.statement).toMatch(
      /= any\(\$1::bigint\[\]\)/,
    );

    // a search's pages from its hits: their ids and bounds are parameters, so a kept statement is not one
    // search's alone (its months' bounds may be constants: a month's statements are shared)
    const hits = new Set(await truth('123'));
    const pagesOf123 = [await listMentions(own.db, { ...f, limit: 5, q: '123' })];
    for (let p = 1; p < 3; p++) {
      const cursor = decodeCursor(pagesOf123[p - 1].nextCursor!);
      pagesOf123.push(await listMentions(own.db, { ...f, limit: 5, q: '123', cursor }));
    }
    const found = pagesOf123.flatMap((p) => p.items.map((i) => i.id));
    expect(hits.size).toBeGreaterThan(10); // three pages' worth, the last one short
    expect(found).toHaveLength(Math.min(15, hits.size));
    expect(new Set(found).size).toBe(found.length);
    expect(found.every((id) => hits.has(id))).toBe(true);
    const searchStatements = (await kept()).filter((k) => k.statement.includes('unnest('));
    expect(searchStatements.length).toBeGreaterThan(0);
    for (const k of searchStatements) expect(k.statement).not.toMatch(/m\.id between \d/);
    const listed = new Set((await kept()).map((k) => k.statement));

    const viewer: Viewer = {
      id: '0',
      email: 'kb@example.nl',
      name: 'kb',
      role: 'communicatie',
      boardId: board,
      allSchools: true,
      schoolIds: schools,
    };
    const all = await listCases(own.db, viewer, { state: 'all' }, BENCH_NOW);
    expect(all.cases.length).toBeGreaterThan(0);
    expect(await listCases(own.db, viewer, { state: 'all' }, BENCH_NOW)).toEqual(all);
    // the open and the closed list, the counts, the headlines: each kept once, run twice
    const cases = (await kept()).filter((k) => !listed.has(k.statement));
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(cases.every((k) => k.runs === 2)).toBe(true);
    expect(cases.some((k) => k.statement.includes('case_counts'))).toBe(true);
  } finally {
    await own.close();
  }
});
