import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { ensureMentionPartitions } from '../../server/db/partitions.ts';
import type { CollectedItem } from '../../workers/collectors/types.ts';
import { processItems } from '../../workers/pipeline.ts';
import { eduLeyFixture, forumItem, secondSource } from '../support/seed.ts';

// Issue 18, sql/0052: the posts that may lead a story (collected, no copy, with a link or a text key) are
// kept in story_heads, without months, by triggers on mentions; a batch finds its stories' leaders there.
const { conn, db, seed, source: omroep } = await eduLeyFixture();
const google = await secondSource(db, seed.boards['edu-ley']);
const NOW = new Date('2026-11-20T10:00:00Z');
const item = (id: string, text: string, url: string | null): CollectedItem => ({
  ...forumItem(id, text, new Date(NOW.getTime() - 3_600_000)),
  url,
});
// the month of the test's clock, as the partitions job makes the current one
await ensureMentionPartitions(db, NOW, 1);
// stories with a link, with words only, copies from another source, and a post too short for a text key
await processItems(
  db,
  omroep,
  [
    item('a', 'De Meander opent een nieuw schoolplein voor alle kinderen uit de wijk', 'https://omroep.example/a'),
    item('b', 'De Meander zoekt nieuwe overblijfouders voor het komende schooljaar, meld je aan', null),
    item('c', 'De Meander!', 'https://omroep.example/c'),
    item('d', 'Ouders van De Meander blij met de nieuwe gymzaal die na de zomer opengaat', 'https://omroep.example/d'),
    item(
      'e',
      'Studiedag op De Meander: alle leerlingen zijn vrijdag vrij, meldt de directie',
      'https://omroep.example/e',
    ),
  ],
  { now: NOW },
);
await processItems(
  db,
  google,
  [
    item('g-a', 'Nieuw schoolplein voor De Meander (Omroep)', 'https://omroep.example/a'),
    item(
      'g-b',
      'De Meander zoekt nieuwe overblijfouders voor het komende schooljaar, meld je aan',
      'https://elders.example/b',
    ),
    item(
      'g-f',
      'De Meander viert feest: de school bestaat vijftig jaar en dat wordt gevierd',
      'https://elders.example/f',
    ),
  ],
  { now: NOW },
);

test('the posts that may lead a story are kept apart from the months and follow every change (sql/0052)', async () => {
  // what storyLeaderCandidates reads, against what mentions itself says
  const recount = async () =>
    (
      await db
        .selectFrom('mentions')
        .select(['id', 'board_id', 'url', 'story_key'])
        .where('story_id', 'is', null)
        .where('origin', '=', 'collected')
        .where((eb) => eb.or([eb('url', 'is not', null), eb('story_key', 'is not', null)]))
        .orderBy('id')
        .execute()
    ).map((m) => [m.id, m.board_id, m.url, m.story_key]);
  const kept = async () =>
    (await db.selectFrom('story_heads').selectAll().orderBy('mention_id').execute()).map((h) => [
      h.mention_id,
      h.board_id,
      h.url,
      h.story_key,
    ]);
  const before = await recount();
  expect(before.length).toBeGreaterThanOrEqual(6);
  // the two copies lead nothing; a post too short for a text key leads by its link
  const copies = await db
    .selectFrom('mentions')
    .select('external_id')
    .where('story_id', 'is not', null)
    .where('external_id', 'in', ['g-a', 'g-b', 'g-f', 'c'])
    .orderBy('external_id')
    .execute();
  expect(copies.map((c) => c.external_id)).toEqual(['g-a', 'g-b']);
  expect(await kept()).toEqual(before);
  // a leader that becomes a copy, a copy that leads again, a post that turns into a report, a new link
  const [lead, other] = before;
  await db.updateTable('mentions').set({ story_id: lead[0] }).where('id', '=', other[0]!).execute();
  const copy = await db
    .selectFrom('mentions')
    .select('id')
    .where('story_id', 'is not', null)
    .where('origin', '=', 'collected')
    .where('id', '<>', other[0]!)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('mentions').set({ story_id: null }).where('id', '=', copy.id).execute();
  await db.updateTable('mentions').set({ origin: 'reported' }).where('id', '=', before[2][0]!).execute();
  await db
    .updateTable('mentions')
    .set({ url: 'https://elders.example/verplaatst' })
    .where('id', '=', before[3][0]!)
    .execute();
  // the shown labels' update of every stored batch does not touch it (no row deleted and written again)
  await db.transaction().execute(async (trx) => {
    // why a difference: the counters of earlier transactions not yet reported show here too
    const touched = async () =>
      (
        await sql<{ n: number }>`select (n_tup_ins + n_tup_del)::int as n from pg_stat_xact_user_tables
          where relname = 'story_heads'`.execute(trx)
      ).rows[0]?.n ?? 0;
    const before = await touched();
    await trx.updateTable('mentions').set({ corrected: false }).execute();
    expect(await touched()).toBe(before);
  });
  expect(await kept()).toEqual(await recount());
  expect((await kept()).map((h) => h[0])).not.toContain(other[0]);
  expect((await kept()).map((h) => h[0])).toContain(copy.id);
  // a deleted leader: its copies lead their story now (on delete set null), and its row goes
  await db.deleteFrom('mentions').where('id', '=', lead[0]!).execute();
  expect(await kept()).toEqual(await recount());
  expect((await kept()).map((h) => h[0])).toContain(other[0]);
  // and a new copy of that story follows the post that leads it now
  const words = await db
    .selectFrom('mentions')
    .select(['url', 'body'])
    .where('id', '=', other[0]!)
    .executeTakeFirstOrThrow();
  await processItems(db, google, [item('heads-copy', words.body, words.url)], { now: NOW });
  const later = await db
    .selectFrom('mentions')
    .select('story_id')
    .where('external_id', '=', 'heads-copy')
    .executeTakeFirst();
  expect(later?.story_id).toBe(other[0]);
});

test('a leader whose post went without its story head (a month dropped meanwhile) is not followed', async () => {
  const url = 'https://omroep.example/weg';
  await processItems(db, omroep, [item('gone', 'Open dag op De Meander', url)], { now: NOW });
  const gone = await db.selectFrom('mentions').select('id').where('external_id', '=', 'gone').executeTakeFirstOrThrow();
  // as a month's drop removes its posts: no delete trigger runs, the head row is left for a moment
  // (only the owner may switch a trigger off)
  const owner = connect(conn.adminUrl, 1);
  try {
    await owner.db.transaction().execute(async (trx) => {
      await sql`alter table mentions disable trigger mentions_story_heads_delete`.execute(trx);
      await trx.deleteFrom('mentions').where('id', '=', gone.id).execute();
      await sql`alter table mentions enable trigger mentions_story_heads_delete`.execute(trx);
    });
  } finally {
    await owner.close();
  }
  expect(
    await db.selectFrom('story_heads').select('mention_id').where('mention_id', '=', gone.id).execute(),
  ).toHaveLength(1);
  // a copy stored now leads its story itself instead of pointing at a post that is gone
  await processItems(db, google, [item('after-gone', 'Open dag op De Meander (Google)', url)], { now: NOW });
  const after = await db
    .selectFrom('mentions')
    .select('story_id')
    .where('external_id', '=', 'after-gone')
    .executeTakeFirstOrThrow();
  expect(after.story_id).toBeNull();
  await db.deleteFrom('story_heads').where('mention_id', '=', gone.id).execute();
});
