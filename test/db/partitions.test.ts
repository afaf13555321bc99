import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { connect, type DB } from '../../server/db/index.ts';
import { insertMentions, type MentionRow } from '../../server/db/ingest.ts';
import { migrate, migrationFiles, readMigration } from '../../server/db/migrate.ts';
import { dropExpiredMonths, mentionPartitions } from '../../server/db/partitions.ts';
import { JOBS } from '../../workers/jobs.ts';
import { rollupStats } from '../../workers/stats/rollup.ts';
import { eduLeyFixture, openCase, storedRow } from '../support/seed.ts';

// Issue 18: mentions are partitioned by the month they were collected in (sql/0040); retention drops
// a month whose every post may go instead of deleting its rows.
const { conn, db, seed, source, meander } = await eduLeyFixture();
const board = seed.boards['edu-ley'];
const partitionsJob = JOBS.find((j) => j.name === 'partitions')!;

const row = (externalId: string, at: Date, extra: Partial<MentionRow> = {}) =>
  storedRow(board, source.id, externalId, at, extra);
const partitionOf = async (id: string) =>
  (await sql<{ p: string }>`select tableoid::regclass::text as p from mentions where id = ${id}`.execute(db)).rows[0]
    ?.p;
const partitionNames = async () => (await mentionPartitions(db)).map((p) => p.part);

test('a database migrated with posts in it keeps them, in the legacy partition, with their keys', async () => {
  // A database migrated up to just before 0040, given posts the way the app stored them then.
  const admin = connect(conn.adminUrl, 1);
  const name = `t_legacy_${crypto.randomBytes(4).toString('hex')}`;
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(conn.adminUrl);
  url.pathname = `/${name}`;
  const old = connect(url.toString(), 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-0039-'));
  try {
    for (const f of migrationFiles().filter((f) => f < '0040')) fs.writeFileSync(path.join(dir, f), readMigration(f));
    await migrate(old.db, dir);
    const b = (
      await sql<{ id: string }>`insert into boards (slug, name) values ('oud', 'Oud') returning id`.execute(old.db)
    ).rows[0].id;
    const s = (
      await sql<{
        id: string;
      }>`insert into sources (board_id, kind, name) values (${b}, 'rss', 'Feed') returning id`.execute(old.db)
    ).rows[0].id;
    const ids = (
      await sql<{ id: string }>`insert into mentions (board_id, source_id, external_id, url, published_at, created_at)
        values (${b}, ${s}, 'a', 'https://oud.example/a', '2026-01-05', '2026-01-05'),
          (${b}, ${s}, 'b', 'https://oud.example/a', '2026-02-05', '2026-02-05')
        returning id`.execute(old.db)
    ).rows.map((r) => r.id);
    await sql`update mentions set story_id = ${ids[0]} where id = ${ids[1]}`.execute(old.db);

    await migrate(old.db);
    const kept = await sql<{ id: string; external_id: string; story_id: string | null; part: string }>`
      select id, external_id, story_id, tableoid::regclass::text as part from mentions order by id`.execute(old.db);
    expect(kept.rows.map((r) => [r.id, r.external_id, r.story_id])).toEqual([
      [ids[0], 'a', null],
      [ids[1], 'b', ids[0]],
    ]);
    expect(kept.rows.every((r) => /^mentions_before_\d{4}_\d{2}$/.test(r.part))).toBe(true);
    const keys = await sql<{ external_id: string; mention_id: string }>`
      select external_id, mention_id from mention_keys order by external_id`.execute(old.db);
    expect(keys.rows).toEqual([
      { external_id: 'a', mention_id: ids[0] },
      { external_id: 'b', mention_id: ids[1] },
    ]);
    // the post that leads the story is found by its link (sql/0052), its copy is not
    const heads = await sql<{ mention_id: string; url: string }>`
      select mention_id, url from story_heads order by mention_id`.execute(old.db);
    expect(heads.rows).toEqual([{ mention_id: ids[0], url: 'https://oud.example/a' }]);
    // the legacy table's indexes became the parent's, none was built twice
    const indexes = await sql<{ n: number; attached: number }>`
      select count(*)::int as n, count(*) filter (where exists (select 1 from pg_inherits i where i.inhrelid = x.indexrelid))::int as attached
      from pg_index x where x.indrelid = ${kept.rows[0].part}::regclass`.execute(old.db);
    expect(indexes.rows[0].n).toBeGreaterThan(15);
    expect(indexes.rows[0].attached).toBe(indexes.rows[0].n);
  } finally {
    await old.close();
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the job makes this month and the next three, once', async () => {
  const now = new Date('2031-05-15T12:00:00Z');
  expect(await partitionsJob.run(db, now)).toEqual({ made: 4 });
  expect(await partitionsJob.run(db, now)).toBeUndefined();
  expect(await partitionNames()).toEqual(
    expect.arrayContaining(['mentions_2031_05', 'mentions_2031_06', 'mentions_2031_07', 'mentions_2031_08']),
  );
  expect(await partitionNames()).not.toContain('mentions_2031_09');
  // two workers at once make each month once
  const next = new Date('2031-09-15T12:00:00Z');
  const made = await Promise.all([partitionsJob.run(db, next), partitionsJob.run(db, next)]);
  expect(made.map((m) => (m as { made?: number } | undefined)?.made ?? 0).sort()).toEqual([0, 4]);
  // made by the app role, through the owner's function: the months belong to the owner
  const owners = await sql<{ owner: string }>`select distinct pg_get_userbyid(c.relowner) as owner
    from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'mentions'::regclass`.execute(db);
  expect(owners.rows.map((r) => r.owner)).not.toContain('klankbord_app');
  // and the app role may use a new month directly as it may use mentions
  const rights = await sql<{ ok: boolean }>`select bool_and(has_table_privilege('klankbord_app', 'mentions_2031_06', p))
    as ok from unnest(array['select', 'insert', 'update', 'delete']) p`.execute(db);
  expect(rights.rows[0].ok).toBe(true);
});

test('a new post lands in the partition of the month it was collected in', async () => {
  await partitionsJob.run(db, new Date('2031-01-10T00:00:00Z'));
  const [a] = await insertMentions(db, [row('jan', new Date('2031-01-31T23:30:00Z'))]);
  expect(await partitionOf(a.id)).toBe('mentions_2031_01');
  const [b] = await insertMentions(db, [row('feb', new Date('2031-02-01T00:30:00Z'))]);
  expect(await partitionOf(b.id)).toBe('mentions_2031_02');
  // without its own created_at a post is stored now, in this month's partition
  const [c] = await insertMentions(db, [{ ...row('now', new Date()), created_at: undefined }]);
  const month = new Date().toISOString().slice(0, 7).replace('-', '_');
  expect(await partitionOf(c.id)).toBe(`mentions_${month}`);
  expect(Number(a.id)).toBeLessThan(Number.MAX_SAFE_INTEGER);
});

test('what points at a post points at its key, and deleting a post deletes it all', async () => {
  const [m] = await insertMentions(db, [row('refs', new Date('2031-01-12T10:00:00Z'))]);
  await db.insertInto('mention_schools').values({ mention_id: m.id, school_id: meander, matched: [] }).execute();
  await db
    .insertInto('classifications')
    .values({
      mention_id: m.id,
      classifier: 'test',
      language: 'nl',
      sentiment: 'neutral',
      sentiment_score: 0.5,
      risks: '[]',
      actions: '[]',
    })
    .execute();
  // the link queued it for filing (sql/0030)
  expect(
    await db.selectFrom('filing_queue').select('mention_id').where('mention_id', '=', m.id).execute(),
  ).toHaveLength(1);
  // a link to an id no post has is refused, as before
  await expect(
    db.insertInto('mention_schools').values({ mention_id: '999999999999', school_id: meander, matched: [] }).execute(),
  ).rejects.toThrow(/foreign key/);
  await db.deleteFrom('mentions').where('id', '=', m.id).execute();
  const left = await sql<{ n: number }>`select
      (select count(*) from mention_keys where mention_id = ${m.id})
      + (select count(*) from mention_schools where mention_id = ${m.id})
      + (select count(*) from classifications where mention_id = ${m.id})
      + (select count(*) from filing_queue where mention_id = ${m.id}) as n`.execute(db);
  expect(Number(left.rows[0].n)).toBe(0);
});

test('storing the same item of a source again returns nothing and stores nothing', async () => {
  const at = new Date('2031-03-03T10:00:00Z');
  const count = async () =>
    (
      await db
        .selectFrom('mentions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const first = await insertMentions(db, [row('dup', at), row('dup', at, { title: 'tweede' })]);
  expect(first).toHaveLength(1);
  const before = await count();
  expect(await insertMentions(db, [row('dup', at, { title: 'nog eens' })])).toEqual([]);
  expect(await count()).toBe(before);
  const stored = await db
    .selectFrom('mentions')
    .select('title')
    .where('id', '=', first[0].id)
    .executeTakeFirstOrThrow();
  expect(stored.title).toBe('');
  // two writers at once: one of them stores it
  const both = await Promise.all([
    insertMentions(db, [row('race', at)]),
    db.transaction().execute((trx) => insertMentions(trx, [row('race', at)])),
  ]);
  expect(both.flat()).toHaveLength(1);
});

async function withChildren(db: DB, id: string) {
  await db.insertInto('mention_schools').values({ mention_id: id, school_id: meander, matched: [] }).execute();
  await db
    .insertInto('classifications')
    .values({
      mention_id: id,
      classifier: 'test',
      language: 'nl',
      sentiment: 'negative',
      sentiment_score: 0.5,
      risks: '[]',
      actions: '[]',
    })
    .execute();
}

test('retention drops a month none of whose posts is kept, and keeps a month an open case needs', async () => {
  const now = new Date('2032-12-15T12:00:00Z');
  await partitionsJob.run(db, new Date('2031-10-01T00:00:00Z'));
  await partitionsJob.run(db, new Date('2032-05-01T00:00:00Z'));
  // October 2031: expired, with its school link, label and key; a later copy of it in May 2032
  const [old] = await insertMentions(db, [row('old', new Date('2031-10-10T00:00:00Z'))]);
  await withChildren(db, old.id);
  const [copy] = await insertMentions(db, [row('copy', new Date('2032-05-10T00:00:00Z'), { story_id: old.id })]);
  // November 2031: just as old, but its post is in an open case
  const [held] = await insertMentions(db, [row('held', new Date('2031-11-10T00:00:00Z'))]);
  await withChildren(db, held.id);
  const kaseId = await openCase(db, board, meander, now);
  await db.insertInto('case_mentions').values({ case_id: kaseId, mention_id: held.id }).execute();

  // the directors' figures of October 2031, counted before the month goes
  const counted = async () =>
    Number(
      (
        await sql<{ n: string }>`select coalesce(sum(mentions), 0) as n from stats_daily
          where school_id = ${meander} and day = '2031-10-10'`.execute(db)
      ).rows[0]!.n,
    );
  while ((await rollupStats(db)).days);
  expect(await counted()).toBe(1);
  const copiesOf = (id: string) => db.selectFrom('story_copies').select('copies').where('leader_id', '=', id).execute();
  expect(await copiesOf(old.id)).toEqual([{ copies: 1 }]);
  const heads = async () =>
    (
      await db.selectFrom('story_heads').select('mention_id').where('mention_id', 'in', [old.id, copy.id]).execute()
    ).map((h) => h.mention_id);
  expect(await heads()).toEqual([old.id]);
  const dropped = await dropExpiredMonths(db, now);
  expect(dropped).toContain('mentions_2031_10');
  // its anonymous figures stay, as the row purge leaves them (sql/0049)
  while ((await rollupStats(db)).days);
  expect(await counted()).toBe(1);
  // the month's stories' counts went with it (sql/0042)
  expect(await copiesOf(old.id)).toEqual([]);
  expect(dropped).not.toContain('mentions_2031_11');
  const names = await partitionNames();
  expect(names).not.toContain('mentions_2031_10');
  expect(names).toEqual(expect.arrayContaining(['mentions_2031_11', 'mentions_2032_05']));
  const inherits = await sql<{ n: number }>`select count(*)::int as n from pg_inherits
    where inhparent = 'mentions'::regclass and inhrelid::regclass::text = 'mentions_2031_10'`.execute(db);
  expect(inherits.rows[0].n).toBe(0);
  expect(await db.selectFrom('mentions').select('id').where('id', '=', old.id).execute()).toEqual([]);
  expect(await db.selectFrom('mention_schools').select('school_id').where('mention_id', '=', old.id).execute()).toEqual(
    [],
  );
  expect(await db.selectFrom('classifications').select('id').where('mention_id', '=', old.id).execute()).toEqual([]);
  expect(await db.selectFrom('mention_keys').select('external_id').where('mention_id', '=', old.id).execute()).toEqual(
    [],
  );
  const later = await db.selectFrom('mentions').select('story_id').where('id', '=', copy.id).executeTakeFirstOrThrow();
  expect(later.story_id).toBeNull();
  // the month's story head went with it, and the later copy now leads its story itself (sql/0052)
  expect(await heads()).toEqual([copy.id]);
  // the held post and what hangs off it stay
  expect(await partitionOf(held.id)).toBe('mentions_2031_11');
  expect(
    await db.selectFrom('mention_schools').select('school_id').where('mention_id', '=', held.id).execute(),
  ).toHaveLength(1);

  // once the case is closed its month goes on the next pass
  await db.updateTable('cases').set({ state: 'afgerond', closed_at: now }).where('id', '=', kaseId).execute();
  expect(await dropExpiredMonths(db, now)).toEqual(['mentions_2031_11']);
  expect(await dropExpiredMonths(db, now)).toEqual([]);
});

test('a board with a longer term keeps its month; the current month is never dropped', async () => {
  const now = new Date('2034-03-15T12:00:00Z');
  await partitionsJob.run(db, new Date('2033-01-01T00:00:00Z'));
  await insertMentions(db, [row('long', new Date('2033-01-10T00:00:00Z'))]);
  await db.insertInto('retention').values({ board_id: board, mentions_months: 24 }).execute();
  expect(await dropExpiredMonths(db, now)).not.toContain('mentions_2033_01');
  expect(await partitionNames()).toContain('mentions_2033_01');
  await db.updateTable('retention').set({ mentions_months: 12 }).where('board_id', '=', board).execute();
  expect(await dropExpiredMonths(db, now)).toContain('mentions_2033_01');

  await partitionsJob.run(db, now);
  await expect(
    sql`select drop_expired_mention_partition('mentions_2034_03'::regclass, ${now}::timestamptz, 12, 12)`.execute(db),
  ).rejects.toThrow(/current month or later/);
});
