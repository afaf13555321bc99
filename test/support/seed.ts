import { hashPassword } from '../../server/auth/passwords.ts';
import { importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import type { DB } from '../../server/db/index.ts';
import type { MentionRow } from '../../server/db/ingest.ts';
import type { Role } from '../../server/db/schema.ts';
import { processItems } from '../../workers/pipeline.ts';
import { freshDatabase } from './db.ts';

export const PASSWORD = 'correct horse battery';

// Two boards: Edu-Ley with schools A (meander) and B (jozef), and a second board with one school,
// each with mentions, so every route can be checked for cross-school and cross-board leaks.
export async function seedTwoBoards(db: DB) {
  await importBoard(
    db,
    parseBoardFile(`board: { slug: edu-ley, name: Edu-Ley }
schools:
  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }
  - { slug: jozef, name: St. Jozefschool, aliases: ["Jozefschool"] }
sources:
  - { kind: rss, url: "https://news.example.nl/feed.xml", name: Regionieuws }
`),
    'test',
  );
  await importBoard(
    db,
    parseBoardFile(`board: { slug: ander-bestuur, name: Ander Bestuur }
schools:
  - { slug: meander, name: cbs Meander Oost, aliases: ["Meander Oost"] }
sources:
  - { kind: rss, url: "https://other.example.nl/feed.xml", name: Anders }
`),
    'test',
  );
  const boards = Object.fromEntries(
    (await db.selectFrom('boards').select(['id', 'slug']).execute()).map((b) => [b.slug, b.id]),
  );
  const schools = await db.selectFrom('schools').select(['id', 'slug', 'board_id']).execute();
  const school = (board: string, slug: string) =>
    schools.find((s) => s.board_id === boards[board] && s.slug === slug)!.id;
  const sources = await db.selectFrom('sources').select(['id', 'board_id', 'school_id']).execute();
  const src = (board: string) => sources.find((s) => s.board_id === boards[board])!;
  const hash = await hashPassword(PASSWORD);
  const user = async (email: string, board: string, role: Role, only?: string[]) => {
    const u = await db
      .insertInto('users')
      .values({ email, board_id: boards[board], role, password_hash: hash, all_schools: !only })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (only)
      await db
        .insertInto('user_schools')
        .values(only.map((s) => ({ user_id: u.id, school_id: school(board, s) })))
        .execute();
    return u.id;
  };
  await user('all@edu-ley.nl', 'edu-ley', 'communicatie');
  await user('a@edu-ley.nl', 'edu-ley', 'directie', ['meander']);
  await user('b@edu-ley.nl', 'edu-ley', 'communicatie', ['jozef']);
  await user('other@ander.nl', 'ander-bestuur', 'beheer');
  const now = Date.now();
  const item = (id: string, text: string, hoursAgo: number) => ({
    externalId: id,
    url: `https://news.example.nl/${id}`,
    title: '',
    text,
    author: null,
    publishedAt: new Date(now - hoursAgo * 3600_000),
  });
  await processItems(db, src('edu-ley'), [
    item('a1', 'Fantastische schoolreis van De Meander, wat een geweldige dag!', 1),
    item('a2', 'Slechte communicatie op De Meander, veel lesuitval en ik ben boos', 2),
    item('b1', 'Open dag op de Jozefschool volgende week zaterdag', 3),
    item('ab', 'De Meander en de Jozefschool doen samen mee aan de sportdag', 4),
    item('none', 'Het weer wordt morgen zonnig', 5),
  ]);
  await processItems(db, src('ander-bestuur'), [item('o1', 'Meander Oost viert feest met alle ouders', 1)]);
  const mention = async (ext: string) =>
    (await db.selectFrom('mentions').select('id').where('external_id', '=', ext).executeTakeFirstOrThrow()).id;
  return { boards, school, mention };
}

// The common start of a database test: a fresh database with both boards, Edu-Ley's RSS source
// and its De Meander school.
export async function eduLeyFixture() {
  const conn = await freshDatabase();
  const db = conn.db;
  const seed = await seedTwoBoards(db);
  const source = await db
    .selectFrom('sources')
    .selectAll()
    .where('board_id', '=', seed.boards['edu-ley'])
    .executeTakeFirstOrThrow();
  return { conn, db, seed, source, meander: seed.school('edu-ley', 'meander') };
}

// A second feed of the Edu-Ley board (a story's copies come from another source than its leader).
export const secondSource = (db: DB, boardId: string) =>
  db
    .insertInto('sources')
    .values({ board_id: boardId, kind: 'rss', name: 'Google', url: 'https://news.example/rss' })
    .returningAll()
    .executeTakeFirstOrThrow();

// A post as stored directly (not through the pipeline), collected and published at `at`, so it lands in
// that month's partition; `extra` sets any other column (a story_id, an origin).
export const storedRow = (
  boardId: string,
  sourceId: string,
  externalId: string,
  at: Date,
  extra: Partial<MentionRow> = {},
): MentionRow => ({
  board_id: boardId,
  source_id: sourceId,
  external_id: externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  body: `Bericht ${externalId} over De Meander.`,
  published_at: at,
  created_at: at,
  media: [],
  engagement: {},
  ...extra,
});

// An open case of a school, due and last touched at `at`; its id.
export const openCase = async (db: DB, boardId: string, schoolId: string, at: Date) =>
  (
    await db
      .insertInto('cases')
      .values({
        board_id: boardId,
        school_id: schoolId,
        kind: 'concern',
        severity: 'medium',
        due_at: at,
        last_mention_at: at,
        policy: 'edu-ley',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

// A public post about a school, as a forum's feed gives it: untitled, at `publishedAt`.
export const forumItem = (externalId: string, text: string, publishedAt: Date) => ({
  externalId,
  url: `https://forum.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt,
});

// The case a post (by its external id) was filed into, if any.
export const caseOfPost = async (db: DB, externalId: string) =>
  (
    await db
      .selectFrom('case_mentions as cm')
      .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
      .select('cm.case_id')
      .where('m.external_id', '=', externalId)
      .executeTakeFirst()
  )?.case_id;
