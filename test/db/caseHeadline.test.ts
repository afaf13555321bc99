import { sql } from 'kysely';
import pg from 'pg';
import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { caseListQueries } from '../../server/db/caseList.ts';
import { insertMentions } from '../../server/db/ingest.ts';
import { dropExpiredMonths, ensureMentionPartitions } from '../../server/db/partitions.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// Issue 18: a case is named after its first post by publication (sql/0046). The database keeps which
// post that is as posts join the case and leave it, and the list reads those posts by id afterwards.
const { db, conn, seed, source, meander } = await eduLeyFixture();
const board = seed.boards['edu-ley'];
const now = new Date('2032-03-15T12:00:00Z');
const app = buildApp(db, { now: () => now });
await ensureMentionPartitions(db, new Date('2031-01-01T00:00:00Z'), 12);

const at = (d: string) => new Date(`${d}T09:00:00Z`);
// collected when published, so each post lands in its publication's month
const store = async (externalId: string, published: string) =>
  (
    await insertMentions(db, [
      {
        board_id: board,
        source_id: source.id,
        external_id: externalId,
        url: `https://forum.example.nl/${externalId}`,
        title: '',
        body: `Bericht ${externalId} over De Meander en het schoolplein.`,
        published_at: at(published),
        created_at: at(published),
        media: [],
        engagement: {},
      },
    ])
  )[0].id;
const ids = {
  jan: await store('jan', '2031-01-10'),
  feb: await store('feb', '2031-02-10'),
  aug1: await store('aug1', '2031-08-01'),
  aug5: await store('aug5', '2031-08-05'),
  sep: await store('sep', '2031-09-01'),
};
const newCase = async () =>
  (
    await db
      .insertInto('cases')
      .values({
        board_id: board,
        school_id: meander,
        kind: 'concern',
        severity: 'medium',
        due_at: at('2031-08-10'),
        last_mention_at: at('2031-08-05'),
        policy: 'edu-ley',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const kase = await newCase();
const link = (...posts: (keyof typeof ids)[]) =>
  db
    .insertInto('case_mentions')
    .values(posts.map((p) => ({ case_id: kase, mention_id: ids[p] })))
    .execute();
const stored = async (id = kase) =>
  (await db.selectFrom('cases').select('headline_mention_id').where('id', '=', id).executeTakeFirstOrThrow())
    .headline_mention_id;
const req = await loginAs(app, 'all@edu-ley.nl');
const shown = async () => {
  const list = await (await req('/api/cases?state=all')).json();
  const detail = await (await req(`/api/cases/${kase}`)).json();
  const listed = list.cases.find((c: { id: string }) => c.id === kase);
  expect(listed.headline).toBe(detail.headline);
  return { headline: detail.headline as string, overdue: listed.overdue as boolean, detail };
};

test('the first post by publication names the case, also when it joins after later ones', async () => {
  expect(await stored()).toBeNull();
  expect((await shown()).headline).toBe('');
  await link('aug5');
  expect(await stored()).toBe(ids.aug5);
  // published earlier, collected and filed later: it takes the name; posts in one statement alike
  await link('aug1', 'feb', 'jan');
  expect(await stored()).toBe(ids.jan);
  const s = await shown();
  expect(s.headline).toBe('Bericht jan over De Meander en het schoolplein.');
  // the app's clock, not the machine's, says the case is late (due 2031-08-10, app clock 2032-03-15)
  expect(s.overdue).toBe(true);
  expect(s.detail.overdue).toBe(true);
  // a later post does not
  await link('sep');
  expect(await stored()).toBe(ids.jan);
});

test('when the first post goes, by a deleted row or a dropped month, the next one names the case', async () => {
  await db.updateTable('cases').set({ state: 'afgerond', closed_at: now }).where('id', '=', kase).execute();
  // a post removed row by row (retention's purge of a month that stays, a school's removal)
  await db.deleteFrom('mentions').where('id', '=', ids.jan).execute();
  expect(await stored()).toBe(ids.feb);
  expect((await shown()).headline).toBe('Bericht feb over De Meander en het schoolplein.');
  // a month dropped as a whole (sql/0040): its posts leave the case in one statement
  const dropped = await dropExpiredMonths(db, now);
  expect(dropped).toEqual(expect.arrayContaining(['mentions_2031_01', 'mentions_2031_02']));
  expect(dropped).not.toContain('mentions_2031_08');
  expect(await stored()).toBe(ids.aug1);
  expect((await shown()).headline).toBe('Bericht aug1 over De Meander en het schoolplein.');
  // the case leaving a post that is not its first keeps its name
  await db.deleteFrom('case_mentions').where('case_id', '=', kase).where('mention_id', '=', ids.aug5).execute();
  expect(await stored()).toBe(ids.aug1);
  await db.deleteFrom('mentions').where('id', '=', ids.aug1).execute();
  expect(await stored()).toBe(ids.sep);
  await db.deleteFrom('mentions').where('id', '=', ids.sep).execute();
  expect(await stored()).toBeNull();
  expect((await shown()).headline).toBe('');
});

test("the board's case list reads no posts; its headlines come by id afterwards", async () => {
  const viewer = {
    id: '0',
    email: 'x@edu-ley.nl',
    name: 'x',
    role: 'communicatie' as const,
    boardId: board,
    allSchools: true,
    schoolIds: [meander],
  };
  for (const q of ['open', 'closed', 'all'].flatMap((state) =>
    caseListQueries(db, viewer, { state: state as 'open' }, now).map((l) => l.compile()),
  )) {
    const plan = await db.executeQuery<{ 'QUERY PLAN': unknown }>({
      ...q,
      sql: `explain (format json) ${q.sql}`,
    });
    const relations = [...JSON.stringify(plan.rows[0]['QUERY PLAN']).matchAll(/"Relation Name":"(\w+)"/g)].map(
      (m) => m[1],
    );
    expect(relations).toContain('cases');
    expect(relations.filter((r) => r.startsWith('mentions'))).toEqual([]);
  }
  // and the stored name agrees with the posts the case still has, for every case
  const off = await sql<{ n: number }>`select count(*)::int as n from cases c left join lateral (
      select m.id from case_mentions cm join mentions m on m.id = cm.mention_id
      where cm.case_id = c.id order by m.published_at, m.id limit 1) f on true
    where f.id is distinct from c.headline_mention_id`.execute(db);
  expect(off.rows[0].n).toBe(0);
});

test("two transactions changing one case's posts at once leave it named after its first post", async () => {
  const session = async () => {
    const c = new pg.Client({ connectionString: conn.url });
    await c.connect();
    const pid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    return { c, pid };
  };
  // until that session waits for a lock another holds
  const waiting = async (pid: number) => {
    for (let i = 0; i < 500; i++) {
      const r = await sql<{
        w: string | null;
      }>`select wait_event_type as w from pg_stat_activity where pid = ${pid}`.execute(db);
      if (r.rows[0]?.w === 'Lock') return;
      await new Promise((ok) => setTimeout(ok, 10));
    }
    throw new Error(`session ${pid} never waited`);
  };
  // the months of the posts below again (the test before dropped the expired empty ones)
  await ensureMentionPartitions(db, new Date('2031-10-01T00:00:00Z'), 3);
  const [a, b] = [await session(), await session()];
  const add = (s: { c: pg.Client }, caseId: string, post: string) =>
    s.c.query('insert into case_mentions (case_id, mention_id) values ($1, $2)', [caseId, post]);
  const drop = (s: { c: pg.Client }, post: string) => s.c.query('delete from mentions where id = $1', [post]);
  const caseWith = async (posts: string[]) => {
    const c = await newCase();
    await db
      .insertInto('case_mentions')
      .values(posts.map((m) => ({ case_id: c, mention_id: m })))
      .execute();
    return c;
  };
  // one session adds a post and holds it; the other removes the case's first post meanwhile
  const joinWhileFirstGoes = async (joining: string, first: string, last: string) => {
    const c = await caseWith([first, last]);
    await b.c.query('begin');
    await add(b, c, joining);
    await a.c.query('begin');
    const gone = drop(a, first);
    await waiting(a.pid);
    await b.c.query('commit');
    await gone;
    await a.c.query('commit');
    return stored(c);
  };
  try {
    // a later post joins while the first one goes: the next first is the post that joined
    const [r1, r2, r3] = [
      await store('r1', '2031-10-01'),
      await store('r2', '2031-10-05'),
      await store('r3', '2031-10-09'),
    ];
    expect(await joinWhileFirstGoes(r2, r1, r3)).toBe(r2);
    // an earlier post joins while the first one goes
    const [r4, r5, r6] = [
      await store('r4', '2031-11-01'),
      await store('r5', '2031-11-05'),
      await store('r6', '2031-11-09'),
    ];
    expect(await joinWhileFirstGoes(r4, r5, r6)).toBe(r4);

    // the first and the second post go at once
    const posts = [await store('r7', '2031-12-01'), await store('r8', '2031-12-05'), await store('r9', '2031-12-09')];
    const c = await caseWith(posts);
    await a.c.query('begin');
    await drop(a, posts[0]);
    await b.c.query('begin');
    const gone = drop(b, posts[1]);
    await waiting(b.pid);
    await a.c.query('commit');
    await gone;
    await b.c.query('commit');
    expect(await stored(c)).toBe(posts[2]);
  } finally {
    await a.c.end();
    await b.c.end();
  }
});
