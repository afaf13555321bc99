import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import { listMentions } from '../../server/db/mentions.ts';
import { getMention } from '../../server/db/mentionDetail.ts';
import type { CollectedItem } from '../../workers/collectors/types.ts';
import { processItems } from '../../workers/pipeline.ts';
import { freshDatabase } from '../support/db.ts';

const conn = await freshDatabase();
const db = conn.db;
await importBoard(
  db,
  parseBoardFile(`board: { slug: edu-ley, name: Edu-Ley }
schools:
  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }
  - { slug: jozef, name: St. Jozefschool, aliases: ["Jozefschool"] }
sources:
  - { kind: rss, url: "https://omroep.example/rss", name: Omroep }
  - { kind: google_news, query: Meander, name: Google }
  - { kind: rss, url: "https://jozef.example/rss", name: Jozef, school: jozef }
`),
  'test',
);
const sources = await db.selectFrom('sources').selectAll().orderBy('id').execute();
const [omroep, google, jozef] = sources;
const board = omroep.board_id;
const schools = await db.selectFrom('schools').select(['id', 'slug']).orderBy('id').execute();
const all = schools.map((s) => s.id);
const item = (
  id: string,
  text: string,
  url: string | null = null,
  extra: Partial<CollectedItem> = {},
): CollectedItem => ({
  externalId: id,
  url,
  title: '',
  text,
  author: null,
  publishedAt: new Date('2026-11-20T09:00:00Z'),
  ...extra,
});

test('the same link from two sources is one story, listed and counted once', async () => {
  await processItems(db, omroep, [
    item('a', 'De Meander opent een nieuw schoolplein', 'https://omroep.example/nieuws/1?utm_source=rss'),
  ]);
  await processItems(db, google, [
    item('g1', 'Nieuw plein voor De Meander (Omroep)', 'https://omroep.example/nieuws/1'),
  ]);
  const list = await listMentions(db, { boardId: board, schoolIds: all, limit: 25 });
  expect(list.items).toHaveLength(1);
  expect(list.items[0]).toMatchObject({
    text: 'De Meander opent een nieuw schoolplein',
    copies: 1,
    url: 'https://omroep.example/nieuws/1',
  });
  const detail = await getMention(db, { boardId: board, schoolIds: all }, list.items[0].id);
  expect(detail?.alsoVia).toEqual([
    expect.objectContaining({
      source: { kind: 'google_news', name: 'Google' },
      url: 'https://omroep.example/nieuws/1',
    }),
  ]);
});

test('the same words without a shared link are one story too; short texts are not', async () => {
  const words = 'Morgen is De Meander gesloten vanwege de studiedag van het hele team, zegt de directie';
  await processItems(db, omroep, [item('b', words, 'https://omroep.example/b'), item('c', 'De Meander!')]);
  await processItems(db, google, [
    item('g2', words.toUpperCase().replace(/,/g, ' ,'), 'https://elders.example/x'),
    item('g3', 'De Meander!'),
  ]);
  const list = await listMentions(db, { boardId: board, schoolIds: all, limit: 25 });
  expect(list.items.map((i) => [i.text.slice(0, 12), i.copies])).toEqual(
    expect.arrayContaining([
      ['Morgen is De', 1],
      ['De Meander!', 0],
      ['De Meander!', 0],
    ]),
  );
  expect(list.items).toHaveLength(4);
});

test('a copy that is about another school makes the story visible to that school', async () => {
  await processItems(db, omroep, [item('d', 'Feest op De Meander', 'https://omroep.example/feest')]);
  await processItems(db, jozef, [item('j', 'Ook de Jozefschool viert mee', 'https://omroep.example/feest')]);
  const jozefId = schools.find((s) => s.slug === 'jozef')!.id;
  const list = await listMentions(db, { boardId: board, schoolIds: [jozefId], limit: 25 });
  expect(list.items.map((i) => i.text)).toEqual(['Feest op De Meander']);
});

test('platform details are kept with the mention', async () => {
  await processItems(db, omroep, [
    item('e', 'Foto van De Meander', 'https://social.example/@school/1', {
      handle: '@school@social.example',
      media: [
        { type: 'image', url: 'https://social.example/1.jpg', alt: 'Plein' },
        { type: 'image', url: 'javascript:alert(1)' },
      ],
      replyTo: '0',
      threadId: '0',
      engagement: { likes: 3 },
    }),
  ]);
  const row = await db.selectFrom('mentions').selectAll().where('external_id', '=', 'e').executeTakeFirstOrThrow();
  expect(row).toMatchObject({
    author_handle: '@school@social.example',
    media: [{ type: 'image', url: 'https://social.example/1.jpg', alt: 'Plein' }],
    reply_to: '0',
    thread_id: '0',
    engagement: { likes: 3 },
    origin: 'collected',
    story_id: null,
  });
});

test('copies of one story in one collection follow its first new item, as when stored one by one', async () => {
  const words = 'De Meander krijgt een nieuwe gymzaal, de bouw begint na de zomervakantie van dit jaar';
  const { ids } = await processItems(db, omroep, [
    item('h1', 'Jozefschool en De Meander lopen samen de avondvierdaagse', 'https://omroep.example/vierdaagse'),
    item('h2', words, 'https://omroep.example/gymzaal'),
    item('h3', 'Gymzaal De Meander (herhaald)', 'https://omroep.example/gymzaal?utm_medium=x'),
    item('h2', 'the same item twice in one collection is stored once'),
    item('h4', words, 'https://elders.example/gym'),
  ]);
  expect(ids).toHaveLength(4);
  const rows = await db
    .selectFrom('mentions')
    .select(['id', 'external_id', 'story_id'])
    .where('external_id', 'in', ['h1', 'h2', 'h3', 'h4'])
    .orderBy('id')
    .execute();
  expect(rows.map((r) => r.external_id)).toEqual(['h1', 'h2', 'h3', 'h4']);
  expect(ids).toEqual(rows.map((r) => r.id));
  const lead = rows[1].id;
  expect(rows.map((r) => r.story_id)).toEqual([null, null, lead, lead]);
  // a copy from another source, later, joins the same leader
  await processItems(db, google, [item('g9', words.toLowerCase(), null)]);
  const g9 = await db.selectFrom('mentions').select('story_id').where('external_id', '=', 'g9').executeTakeFirst();
  expect(g9?.story_id).toBe(lead);
});

test('two workers storing the same stories at once, in opposite orders, agree on every leader and case', async () => {
  const at = new Date(Date.now() - 3_600_000);
  const stories = Array.from({ length: 40 }, (_, n) => n);
  const text = (n: number) =>
    `Weer lesuitval bij De Meander en de Jozefschool, slecht geregeld en ik ben het echt zat (${n})`;
  const collect = (source: typeof omroep, prefix: string, order: number[]) =>
    processItems(
      db,
      source,
      order.map((n) => item(`${prefix}${n}`, text(n), `https://krant.example/lesuitval/${n}`, { publishedAt: at })),
    );
  // The two batches' transactions overlap: without the story locks both copies of a story would lead.
  const [a, b] = await Promise.all([collect(omroep, 'po', stories), collect(google, 'pg', [...stories].reverse())]);
  expect(a.inserted + b.inserted).toBe(80);
  const rows = await db
    .selectFrom('mentions')
    .select(['id', 'url', 'story_id'])
    .where('url', 'like', 'https://krant.example/lesuitval/%')
    .orderBy('id')
    .execute();
  // one batch settles all its stories before the other (each takes all its story locks in one go): every
  // leader is of the same source, the other batch's posts all follow them
  const leaderSources = new Set(
    (
      await db
        .selectFrom('mentions')
        .select('source_id')
        .where('url', 'like', 'https://krant.example/lesuitval/%')
        .where('story_id', 'is', null)
        .execute()
    ).map((r) => r.source_id),
  );
  expect(leaderSources.size).toBe(1);
  for (const n of stories) {
    const copies = rows.filter((r) => r.url === `https://krant.example/lesuitval/${n}`);
    expect(copies).toHaveLength(2);
    // the first to settle leads (the batches settle under their story locks, whichever stored first);
    // the other follows it
    const leaders = copies.filter((r) => r.story_id === null);
    expect(leaders).toHaveLength(1);
    expect(copies.find((r) => r !== leaders[0])!.story_id).toBe(leaders[0].id);
  }
  // each story is one case per school, however the two batches interleaved
  const filed = await db
    .selectFrom('case_mentions as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select(['m.url', 'c.school_id', 'c.id'])
    .where('m.url', 'like', 'https://krant.example/lesuitval/%')
    .execute();
  expect(filed.length).toBeGreaterThan(0);
  for (const n of stories)
    for (const s of all) {
      const cases = new Set(
        filed.filter((f) => f.url === `https://krant.example/lesuitval/${n}` && f.school_id === s).map((f) => f.id),
      );
      expect(cases.size).toBeLessThanOrEqual(1);
    }
  expect(new Set(filed.map((f) => `${f.url}|${f.school_id}`)).size).toBe(filed.length / 2);
});

test('the copies per story are kept by the database and follow every store, re-pointing and removal', async () => {
  const recount = async () =>
    Object.fromEntries(
      (
        await db
          .selectFrom('mentions')
          .select(['story_id', db.fn.countAll<string>().as('n')])
          .select(sql<string>`count(*) filter (where origin = 'reported')`.as('r'))
          .where('story_id', 'is not', null)
          .groupBy('story_id')
          .execute()
      ).map((x) => [x.story_id!, [Number(x.n), Number(x.r)]]),
    );
  const kept = async () =>
    Object.fromEntries(
      (await db.selectFrom('story_copies').selectAll().where('copies', '<>', 0).execute()).map((x) => [
        x.leader_id,
        [x.copies, x.reported],
      ]),
    );
  const before = await recount();
  expect(Object.keys(before).length).toBeGreaterThan(1);
  expect(await kept()).toEqual(before);
  const [a, b] = Object.keys(before);
  const copy = await db.selectFrom('mentions').select('id').where('story_id', '=', a).executeTakeFirstOrThrow();
  await db.updateTable('mentions').set({ story_id: b }).where('id', '=', copy.id).execute();
  await db.updateTable('mentions').set({ origin: 'reported' }).where('story_id', '=', b).execute();
  expect(await kept()).toEqual(await recount());
  await db.deleteFrom('mentions').where('story_id', '=', b).execute();
  expect(await kept()).toEqual(await recount());
  // and the inbox shows them
  const list = await listMentions(db, { boardId: board, schoolIds: all, limit: 200 });
  for (const item of list.items) expect(item.copies, item.id).toBe((await recount())[item.id]?.[0] ?? 0);
});
