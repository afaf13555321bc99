import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { insertMentions } from '../../server/db/ingest.ts';
import { ensureMentionPartitions } from '../../server/db/partitions.ts';
import { processItems } from '../../workers/pipeline.ts';
import { eduLeyFixture, forumItem, openCase } from '../support/seed.ts';

// Issue 18 (sql/0047): what storing a batch costs the database. A post's key no longer checks its post
// (it is written with it) but still goes with it; the labels' trigger reads a post's newest labels by
// index and only the months of the posts it was given.
const { db, conn, seed, source, meander } = await eduLeyFixture();
const may = new Date('2026-05-12T10:00:00Z');
const july = new Date('2026-07-08T10:00:00Z');
await ensureMentionPartitions(db, may, 4);

// May: a batch of posts through the pipeline; July: many more, stored directly (only their number matters)
const mayPosts = (
  await processItems(
    db,
    source,
    Array.from({ length: 30 }, (_, i) => forumItem(`mei-${i}`, `De musical van De Meander was prachtig (${i}).`, may)),
    { schoolIds: [meander], now: may },
  )
).ids;
const mayPost = mayPosts[0]!;
const [{ id: julyPost }] = await insertMentions(
  db,
  Array.from({ length: 400 }, (_, i) => ({
    board_id: seed.boards['edu-ley'],
    source_id: source.id,
    external_id: `juli-${i}`,
    url: null,
    title: '',
    body: `De Meander sluit de schoolpoort om half negen (${i}).`,
    published_at: july,
    created_at: july,
    media: [],
    engagement: {},
  })),
);
// July's posts have labels too, so the planner's statistics know there are many posts' labels
await sql`insert into classifications (mention_id, classifier, language, sentiment, sentiment_score, risks, actions)
  select id, 'test', 'nl', 'neutral', 0, '[]', '[]' from mentions where external_id like 'juli-%'`.execute(db);

// The owner's session, with every statement's plan (nested ones too) sent back as a notice. Loading
// auto_explain takes a superuser: against a DATABASE_URL whose owner is none, the plan tests are skipped.
const owner = new pg.Client({ connectionString: conn.adminUrl });
await owner.connect();
afterAll(() => owner.end());
await owner.query('analyze');
const superuser: boolean = (await owner.query('select rolsuper from pg_roles where rolname = current_user')).rows[0]
  .rolsuper;
const plans: string[] = [];
owner.on('notice', (n) => plans.push(n.message ?? ''));
for (const s of [
  ...(superuser ? ["load 'auto_explain'"] : []),
  'set auto_explain.log_min_duration = 0',
  'set auto_explain.log_nested_statements = on',
  'set auto_explain.log_analyze = on',
  'set auto_explain.log_timing = off',
  "set auto_explain.log_level = 'notice'",
])
  await owner.query(s);

// What a statement's plans read of mentions: the months whose scans ran.
const monthsRead = (plan: string) =>
  plan
    .split('\n')
    .filter((l) => / on mentions_\w+ m\w*_\d+ /.test(l) && /Scan/.test(l) && !l.includes('never executed'))
    .map((l) => /on (mentions_\w+) /.exec(l)![1]);

test.skipIf(!superuser)('new labels for a batch of posts reach them by index, reading only their month', async () => {
  plans.length = 0;
  // a second classification of each May post in one statement, as re-classification writes them: the
  // trigger shows them on the posts
  await owner.query(
    `insert into classifications (mention_id, classifier, language, sentiment, sentiment_score, risks, actions)
     select id, 'test-v2', 'nl', 'negative', -0.8, '[{"type": "shaming", "score": 0.9}]', '[]'
     from unnest($1::bigint[]) as id`,
    [mayPosts],
  );
  const refresh = plans.find((p) => p.includes('update mentions m set'));
  expect(refresh).toBeDefined();
  // each post's newest labels: one step down the (post, id) index, not a walk through every post's labels
  expect(refresh).toMatch(/Index Scan Backward using classifications_mention_latest_idx/);
  expect(refresh).not.toMatch(/classifications_pkey/);
  // May is read; July's 400 posts (and every month made ahead) are not
  const read = monthsRead(refresh!);
  expect(read.length).toBeGreaterThan(0);
  expect(new Set(read)).toEqual(new Set(['mentions_2026_05']));
  const shown = await db
    .selectFrom('mentions')
    .select(['shown_sentiment', 'shown_risks'])
    .where('id', 'in', mayPosts)
    .execute();
  expect(shown).toHaveLength(30);
  for (const s of shown) expect(s).toEqual({ shown_sentiment: 'negative', shown_risks: ['shaming'] });
});

test.skipIf(!superuser)(
  "a batch's new school links queue their days for the rollups without reading any post (sql/0048)",
  async () => {
    const jozef = seed.school('edu-ley', 'jozef');
    plans.length = 0;
    await owner.query(
      `insert into mention_schools (mention_id, school_id, matched) select id, $2, '{}' from unnest($1::bigint[]) as id`,
      [mayPosts, jozef],
    );
    const queued = plans.find((p) => p.includes('insert into stats_dirty'));
    expect(queued).toBeDefined();
    expect(queued).not.toMatch(/on mentions_/);
    const days = await sql<{
      day: string;
    }>`select day::text as day from stats_dirty where school_id = ${jozef}`.execute(db);
    expect(days.rows.map((d) => d.day)).toContain('2026-05-12');
  },
);

test.skipIf(!superuser)('posts joining cases in one statement are read only in their month (sql/0048)', async () => {
  const kaseId = await openCase(db, seed.boards['edu-ley'], meander, may);
  plans.length = 0;
  await owner.query('insert into case_mentions (case_id, mention_id) select $2, id from unnest($1::bigint[]) as id', [
    mayPosts.slice(0, 20),
    kaseId,
  ]);
  const named = plans.find((p) => p.includes('set headline_mention_id = f.id'));
  expect(named).toBeDefined();
  expect(new Set(monthsRead(named!))).toEqual(new Set(['mentions_2026_05']));
  const c = await db
    .selectFrom('cases')
    .select('headline_mention_id')
    .where('id', '=', kaseId)
    .executeTakeFirstOrThrow();
  expect(mayPosts.slice(0, 20)).toContain(c.headline_mention_id);
});

test("a post's key is not checked against the post, and goes with it, also when its month's table is used directly", async () => {
  const keyed = await sql<{ name: string }>`select conname::text as name from pg_constraint
    where conrelid = 'mention_keys'::regclass and contype = 'f'`.execute(db);
  expect(keyed.rows.map((r) => r.name)).toEqual(['mention_keys_source_id_fkey']);
  const left = async (id: string) =>
    Number(
      (
        await sql<{ n: string }>`select
          (select count(*) from mention_keys where mention_id = ${id})
          + (select count(*) from mention_schools where mention_id = ${id})
          + (select count(*) from classifications where mention_id = ${id}) as n`.execute(db)
      ).rows[0]!.n,
    );
  // a July post stored directly has its key and its labels
  expect(await left(julyPost)).toBe(2);
  // deleting from the month's own table fires the trigger made on it (a statement trigger on the
  // parent would not)
  await owner.query('delete from mentions_2026_07 where id = $1', [julyPost]);
  expect(await left(julyPost)).toBe(0);
  expect(await left(mayPosts[1]!)).toBeGreaterThanOrEqual(3);
  // the May post is untouched
  expect(await left(mayPost)).toBeGreaterThanOrEqual(3);
  await owner.query('delete from mentions where id = $1', [mayPost]);
  expect(await left(mayPost)).toBe(0);
});

test("a post's id is not changed and mentions is not truncated: its key and what hangs off it would be lost (sql/0049)", async () => {
  const before = Number((await owner.query('select count(*) as n from mention_keys')).rows[0].n);
  await expect(owner.query('update mentions set id = id + 1 where id = $1', [mayPosts[2]])).rejects.toThrow(
    /verandert niet/,
  );
  await expect(owner.query('truncate mentions')).rejects.toThrow(/truncate/);
  expect(Number((await owner.query('select count(*) as n from mention_keys')).rows[0].n)).toBe(before);
  // other columns change as before
  await owner.query("update mentions set title = 'Musical' where id = $1", [mayPosts[2]]);
});
