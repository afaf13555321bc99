import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './index.ts';
import type { Database } from './schema.ts';

// What bench/ingest.ts needs from the database besides the app's own functions: a connection that
// counts the statements it sends, and a scratch copy of the mentions table to time a plain
// multi-row INSERT of the same rows against.

export type CountingConnection = {
  db: DB;
  statements: () => number;
  // milliseconds spent waiting for statements, summed (one caller at a time: the database's share)
  statementMs: () => number;
  close: () => Promise<void>;
};

// Every statement, BEGIN and COMMIT included, is counted (pg_stat_statements is not available).
export function countingConnection(url: string, max = 10): CountingConnection {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  let n = 0;
  let ms = 0;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      n++;
      ms += e.queryDurationMillis;
    },
  });
  return { db, statements: () => n, statementMs: () => ms, close: () => db.destroy() };
}

// As the owner: an empty table shaped like mentions (columns, defaults, identity, checks, indexes).
export async function createScratchMentions(owner: DB) {
  await sql`create table bench_mentions (like mentions including all)`.execute(owner);
}

export const rssSources = (db: DB) =>
  db.selectFrom('sources').selectAll().where('kind', '=', 'rss').orderBy('id').execute();

export async function caseCount(db: DB): Promise<number> {
  const r = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// The board's stored mentions as they were inserted (all columns but the id).
export async function storedMentionRows(db: DB, boardId: string) {
  return db.selectFrom('mentions').selectAll().where('board_id', '=', boardId).orderBy('id').execute();
}

type Row = Awaited<ReturnType<typeof storedMentionRows>>[number];

// One multi-row INSERT of these rows into the scratch table; nothing else. The stored search vector is
// the database's to compute (a generated column), as it is for the pipeline's inserts.
export async function insertScratchMentions(db: DB, rows: Row[]) {
  const values = rows.map(({ id: _id, created_at: _c, search_tsv: _v, ...r }) => ({
    ...r,
    media: JSON.stringify(r.media),
    engagement: JSON.stringify(r.engagement),
  }));
  await db
    .insertInto('bench_mentions' as 'mentions')
    .values(values)
    .execute();
}

// What several worker processes storing the same stories at once must leave behind (bench/ingest.ts,
// whose posts are all collected and none is deleted; a purged leader can leave several copies leading):
// one leader per link and per text key of a board, no copy of a copy, every copy's schools on its
// leader, and copy counts equal to the copies. Each figure is a number of violations.
export async function storyViolations(db: DB) {
  const n = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(db)).rows[0]!.n;
  return {
    linksWithTwoLeaders: await n(sql`select count(*)::int as n from (select board_id, url from mentions
      where story_id is null and origin = 'collected' and url is not null group by 1, 2 having count(*) > 1) x`),
    keysWithTwoLeaders: await n(sql`select count(*)::int as n from (select board_id, story_key from mentions
      where story_id is null and origin = 'collected' and story_key is not null group by 1, 2 having count(*) > 1) x`),
    copiesOfCopies: await n(sql`select count(*)::int as n from mentions c join mentions l on l.id = c.story_id
      where l.story_id is not null`),
    schoolsMissingOnLeader: await n(sql`select count(*)::int as n from mentions c
      join mention_schools cs on cs.mention_id = c.id
      where c.story_id is not null and not exists (select 1 from mention_schools ls
        where ls.mention_id = c.story_id and ls.school_id = cs.school_id)`),
    copyCountsOff: await n(sql`select count(*)::int as n from (select story_id, count(*) as c,
          count(*) filter (where origin = 'reported') as r from mentions where story_id is not null group by story_id) x
      full join (select leader_id, copies, reported from story_copies where copies <> 0 or reported <> 0) k
        on k.leader_id = x.story_id
      where x.c is distinct from k.copies or x.r is distinct from k.reported`),
  };
}
