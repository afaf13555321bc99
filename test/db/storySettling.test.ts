import { sql, type RawBuilder } from 'kysely';
import { expect, test } from 'vitest';
import { inTransaction } from '../../server/db/index.ts';
import { insertMentions, type MentionRow } from '../../server/db/ingest.ts';
import { dropExpiredMonths, ensureMentionPartitions } from '../../server/db/partitions.ts';
import type { CollectedItem } from '../../workers/collectors/types.ts';
import { processItems } from '../../workers/pipeline.ts';
import { eduLeyFixture, openCase, secondSource, storedRow } from '../support/seed.ts';

// Issue 18, sql/0054: a stored batch settles its stories (which post leads) at its end, under its story
// locks, and queues the rollups' pairs itself then; until that last step it holds nothing another batch
// writes, so a batch with the same story does not wait for it.
const { db, seed, source: omroep } = await eduLeyFixture();
const meander = seed.school('edu-ley', 'meander');
const jozef = seed.school('edu-ley', 'jozef');
const google = await secondSource(db, seed.boards['edu-ley']);
const NOW = new Date('2026-11-20T10:00:00Z');
await ensureMentionPartitions(db, NOW, 1);
const item = (id: string, url: string, publishedAt: Date): CollectedItem => ({
  externalId: id,
  url,
  title: '',
  text: 'De Meander en de Jozefschool krijgen samen een nieuwe gymzaal, meldt de gemeente vandaag',
  author: null,
  publishedAt,
});
const row = (externalId: string, at: Date, extra: Partial<MentionRow> = {}) =>
  storedRow(seed.boards['edu-ley'], omroep.id, externalId, at, extra);
const pairs = async () =>
  (
    await sql<{ pair: string }>`select school_id || ' ' || day as pair from stats_dirty order by 1`.execute(db)
  ).rows.map((r) => r.pair);

test('a batch that has stored its posts but not yet settled its stories holds up no other batch with the same story', async () => {
  await sql`delete from stats_dirty`.execute(db);
  let paused!: () => void;
  const isPaused = new Promise<void>((resolve) => (paused = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  // A stores its post about De Meander and waits (as a slow batch would) before it settles.
  const a = processItems(
    db,
    omroep,
    [item('settle-a', 'https://krant.example/gymzaal', new Date('2026-11-18T10:00:00Z'))],
    {
      now: NOW,
      schoolIds: [meander],
      withMention: async () => {
        paused();
        await gate;
      },
    },
  );
  let pausedYet = false;
  void isPaused.then(() => (pausedYet = true));
  await Promise.race([isPaused, a]);
  expect(pausedYet, 'A stored nothing: its post was not new').toBe(true);
  try {
    // B has the same story, about the Jozefschool: it stores and settles while A's transaction is open.
    // (When the story locks were taken first, B waited here for A's commit: this never returned.)
    // (a deadline, so that a B that waits fails the test instead of leaving A paused)
    let timer: NodeJS.Timeout | undefined;
    const b = await Promise.race([
      processItems(
        db,
        google,
        [item('settle-b', 'https://krant.example/gymzaal?utm_source=google', new Date('2026-11-19T10:00:00Z'))],
        { now: NOW, schoolIds: [jozef] },
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('B waited for A')), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(b.inserted).toBe(1);
    // Nor does A hold a rollup pair yet: queueing De Meander's day of A's post does not wait for A.
    await inTransaction(db, async (trx) => {
      await sql`set local lock_timeout = '2s'`.execute(trx);
      await sql`insert into stats_dirty (school_id, day) values (${meander}, '2026-11-18') on conflict do nothing`.execute(
        trx,
      );
    });
    await sql`delete from stats_dirty`.execute(db);
  } finally {
    // (also when B failed: A is not left paused with its transaction open)
    release();
  }
  expect((await a).inserted).toBe(1);

  const rows = await db
    .selectFrom('mentions')
    .select(['id', 'external_id', 'story_id'])
    .where('external_id', 'in', ['settle-a', 'settle-b'])
    .execute();
  const byId = Object.fromEntries(rows.map((r) => [r.external_id, r]));
  // B settled first, so B's post leads and A's, stored earlier, follows it
  expect(byId['settle-b'].story_id).toBeNull();
  expect(byId['settle-a'].story_id).toBe(byId['settle-b'].id);
  const links = await db
    .selectFrom('mention_schools')
    .select('school_id')
    .where('mention_id', '=', byId['settle-b'].id)
    .orderBy('school_id')
    .execute();
  expect(links.map((l) => l.school_id).sort()).toEqual([meander, jozef].sort());
  const heads = await db
    .selectFrom('story_heads')
    .select('mention_id')
    .where('url', '=', 'https://krant.example/gymzaal')
    .execute();
  expect(heads.map((h) => h.mention_id)).toEqual([byId['settle-b'].id]);
  const copies = await db
    .selectFrom('story_copies')
    .selectAll()
    .where('leader_id', '=', byId['settle-b'].id)
    .executeTakeFirst();
  expect(copies?.copies).toBe(1);
  // A queued the pairs of its own link and of the leader's new link (the leader's day, De Meander)
  expect(await pairs()).toEqual([`${meander} 2026-11-18`, `${meander} 2026-11-19`].sort());
});

test("a batch's own transaction, named by its id, makes the rollups' and copy counts' triggers skip; nothing else does", async () => {
  const post = async (externalId: string) =>
    db
      .selectFrom('mentions')
      .select(['id', 'story_id'])
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
  const [leader, copy] = [await post('settle-b'), await post('settle-a')];
  expect(copy.story_id).toBe(leader.id);
  // a link of the leader changes, and its copy stops being one (taken back: this only looks at the triggers)
  const change = async (value: RawBuilder<unknown>) => {
    await sql`delete from stats_dirty`.execute(db);
    let copies: number | undefined;
    let queued: string[] = [];
    await expect(
      inTransaction(db, async (trx) => {
        await sql`select set_config('klankbord.batch_settles', ${value}, true)`.execute(trx);
        await sql`update mention_schools set matched = matched
          where mention_id = ${leader.id} and school_id = ${jozef}`.execute(trx);
        await sql`update mentions set story_id = null where id = ${copy.id}`.execute(trx);
        copies = (
          await trx.selectFrom('story_copies').select('copies').where('leader_id', '=', leader.id).executeTakeFirst()
        )?.copies;
        queued = (
          await sql<{ pair: string }>`select school_id || ' ' || day as pair from stats_dirty order by 1`.execute(trx)
        ).rows.map((r) => r.pair);
        throw new Error('taken back');
      }),
    ).rejects.toThrow('taken back');
    return { copies, queued };
  };
  expect(await change(sql`pg_current_xact_id()::text`)).toEqual({ copies: 1, queued: [] });
  // a value that is not this transaction's id (a session's, a role's) skips nothing
  expect(await change(sql`'1'`)).toEqual({
    copies: 0,
    queued: [`${jozef} 2026-11-19`, `${meander} 2026-11-18`].sort(),
  });
});

test('a post that followed a leader when stored follows the story’s leader as it is when the batch settles; copies stay counted exactly', async () => {
  const at = new Date('2026-11-19T12:00:00Z');
  const words = 'Het zwembad bij De Meander gaat na de zomer dicht, zegt de wethouder in de gemeenteraad';
  const post = (id: string, url: string, text: string): CollectedItem => ({ ...item(id, url, at), text });
  // L1 (this link, other words) and L2 (another link, these words); P has L1's link and L2's words
  await processItems(db, omroep, [post('l1', 'https://krant.example/zwembad', 'Zwembad De Meander dicht')], {
    now: NOW,
    schoolIds: [meander],
  });
  await processItems(db, omroep, [post('l2', 'https://elders.example/zwembad', words)], {
    now: NOW,
    schoolIds: [meander],
  });
  const idOf = async (externalId: string) =>
    (await db.selectFrom('mentions').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
  const [l1, l2] = [await idOf('l1'), await idOf('l2')];
  let paused!: () => void;
  const isPaused = new Promise<void>((resolve) => (paused = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const p = processItems(db, google, [post('p', 'https://krant.example/zwembad', words)], {
    now: NOW,
    schoolIds: [jozef],
    withMention: async (trx, id) => {
      // stored as L1's copy, the first of its story's leaders
      const stored = await trx.selectFrom('mentions').select('story_id').where('id', '=', id).executeTakeFirst();
      expect(stored?.story_id).toBe(l1);
      paused();
      await gate;
    },
  });
  await Promise.race([isPaused, p]);
  try {
    // meanwhile L1 becomes a copy of L2 (as when copies are re-pointed), which does not wait for P's batch
    await db.updateTable('mentions').set({ story_id: l2 }).where('id', '=', l1).execute();
  } finally {
    release();
  }
  expect((await p).inserted).toBe(1);
  const mine = await db
    .selectFrom('mentions')
    .select(['id', 'story_id'])
    .where('external_id', '=', 'p')
    .executeTakeFirstOrThrow();
  expect(mine.story_id).toBe(l2);
  const leaderSchools = await db
    .selectFrom('mention_schools')
    .select('school_id')
    .where('mention_id', '=', l2)
    .execute();
  expect(leaderSchools.map((s) => s.school_id).sort()).toEqual([meander, jozef].sort());
  const counts = Object.fromEntries(
    (await db.selectFrom('story_copies').selectAll().where('leader_id', 'in', [l1, l2]).execute()).map((c) => [
      c.leader_id,
      c.copies,
    ]),
  );
  const recount = async (leader: string) =>
    Number(
      (
        await db
          .selectFrom('mentions')
          .select(db.fn.countAll<string>().as('n'))
          .where('story_id', '=', leader)
          .executeTakeFirstOrThrow()
      ).n,
    );
  expect({ l1: counts[l1] ?? 0, l2: counts[l2] ?? 0 }).toEqual({ l1: await recount(l1), l2: await recount(l2) });
  expect(counts[l2]).toBe(2);
});

test("a month dropped with copies of another month's leader counts them out of its copies", async () => {
  const now = new Date('2032-12-15T12:00:00Z');
  for (const month of ['2029-12-01', '2030-01-01', '2032-05-01'])
    await ensureMentionPartitions(db, new Date(`${month}T00:00:00Z`), 1);
  // a leader of a later month (two batches on either side of a month's first second), and one of an
  // earlier month that an open case keeps
  const [later] = await insertMentions(db, [row('lead-later', new Date('2032-05-20T00:00:00Z'))]);
  const [earlier] = await insertMentions(db, [row('lead-earlier', new Date('2029-12-20T00:00:00Z'))]);
  const kaseId = await openCase(db, seed.boards['edu-ley'], meander, now);
  await db.insertInto('case_mentions').values({ case_id: kaseId, mention_id: earlier.id }).execute();
  await insertMentions(db, [
    row('copy-of-later', new Date('2030-01-20T00:00:00Z'), { story_id: later.id }),
    row('copy-of-earlier', new Date('2030-01-21T00:00:00Z'), { story_id: earlier.id }),
    row('copy-kept', new Date('2032-05-21T00:00:00Z'), { story_id: later.id }),
  ]);
  const copies = async () =>
    Object.fromEntries(
      (
        await db
          .selectFrom('story_copies')
          .select(['leader_id', 'copies'])
          .where('leader_id', 'in', [later.id, earlier.id])
          .execute()
      ).map((c) => [c.leader_id === later.id ? 'later' : 'earlier', c.copies]),
    );
  expect(await copies()).toEqual({ later: 2, earlier: 1 });
  const dropped = await dropExpiredMonths(db, now);
  expect(dropped).toContain('mentions_2030_01');
  expect(dropped).not.toContain('mentions_2029_12');
  expect(await copies()).toEqual({ later: 1, earlier: 0 });
});
