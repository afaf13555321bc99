import { beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { freshDatabase } from '../support/db.ts';
import { loginAs } from '../support/http.ts';
import { seedTwoBoards } from '../support/seed.ts';

const conn = await freshDatabase();
const app = buildApp(conn.db);
let seed: Awaited<ReturnType<typeof seedTwoBoards>> & { sharedId?: string };
beforeAll(async () => {
  seed = await seedTwoBoards(conn.db);
  seed.sharedId = await seed.mention('ab');
});

const ids = async (res: Response) => ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id).sort();

// Every route that reads board data, checked for each kind of user.
describe('GET /api/me', () => {
  test('lists only the schools in the user’s scope', async () => {
    const a = await (await (await loginAs(app, 'a@edu-ley.nl'))('/api/me')).json();
    expect(a.schools.map((s: { slug: string }) => s.slug)).toEqual(['meander']);
    expect(a.board.slug).toBe('edu-ley');
    const all = await (await (await loginAs(app, 'all@edu-ley.nl'))('/api/me')).json();
    expect(all.schools.map((s: { slug: string }) => s.slug).sort()).toEqual(['jozef', 'meander']);
    const other = await (await (await loginAs(app, 'other@ander.nl'))('/api/me')).json();
    expect(other.board.slug).toBe('ander-bestuur');
    expect(other.schools).toHaveLength(1);
  });
  test('refuses without a session', async () => expect((await app.request('/api/me')).status).toBe(401));
});

describe('GET /api/mentions', () => {
  test('a user of school A sees only mentions of school A', async () => {
    const req = await loginAs(app, 'a@edu-ley.nl');
    expect(await ids(await req('/api/mentions'))).toEqual(
      [await seed.mention('a1'), await seed.mention('a2'), await seed.mention('ab')].sort(),
    );
  });

  test('a shared mention shows only the schools in the viewer’s scope', async () => {
    const req = await loginAs(app, 'b@edu-ley.nl');
    const body = await (await req('/api/mentions')).json();
    const shared = body.items.find((i: { id: string }) => i.id === seed.sharedId);
    expect(shared.schools.map((s: { slug: string }) => s.slug)).toEqual(['jozef']);
    for (const item of body.items) expect(item.schools.map((s: { slug: string }) => s.slug)).toEqual(['jozef']);
  });

  test('asking for another school in the same board is refused', async () => {
    const req = await loginAs(app, 'a@edu-ley.nl');
    const res = await req('/api/mentions?school=jozef');
    expect(res.status).toBe(403);
  });

  test('asking for a school slug of another board is refused, even when the slug is the same', async () => {
    const req = await loginAs(app, 'other@ander.nl');
    const body = await (await req('/api/mentions?school=meander')).json();
    expect(body.items.map((i: { text: string }) => i.text)).toEqual(['Meander Oost viert feest met alle ouders']);
    const edu = await loginAs(app, 'all@edu-ley.nl');
    const own = await (await edu('/api/mentions?school=meander')).json();
    expect(own.items.every((i: { text: string }) => !i.text.includes('Oost'))).toBe(true);
  });

  test('a board-wide user sees all the board’s mentions and none of another board', async () => {
    const req = await loginAs(app, 'all@edu-ley.nl');
    const list = await ids(await req('/api/mentions'));
    expect(list).toHaveLength(4);
    expect(list).not.toContain(await seed.mention('o1'));
  });

  test('filters by sentiment and free text, and pages with a cursor', async () => {
    const req = await loginAs(app, 'all@edu-ley.nl');
    const neg = await (await req('/api/mentions?sentiment=negative')).json();
    expect(neg.items.every((i: { sentiment: { label: string } }) => i.sentiment.label === 'negative')).toBe(true);
    expect(neg.items.map((i: { id: string }) => i.id)).toContain(await seed.mention('a2'));
    const q = await (await req('/api/mentions?q=SPORTDAG')).json();
    expect(q.items.map((i: { id: string }) => i.id)).toEqual([await seed.mention('ab')]);
    const pct = await (await req('/api/mentions?q=%25')).json();
    expect(pct.items).toEqual([]);
    const p1 = await (await req('/api/mentions?limit=3')).json();
    expect(p1.items).toHaveLength(3);
    const p2 = await (await req(`/api/mentions?limit=3&cursor=${p1.nextCursor}`)).json();
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.items, ...p2.items].map((i: { id: string }) => i.id)).size).toBe(4);
    const dates = [...p1.items, ...p2.items].map((i: { publishedAt: string }) => i.publishedAt);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  test('answers bad parameters with 400', async () => {
    const req = await loginAs(app, 'all@edu-ley.nl');
    for (const qs of ['sentiment=boos', 'limit=0', 'limit=abc', 'cursor=xyz', 'school=../x', `q=${'x'.repeat(201)}`]) {
      const res = await req(`/api/mentions?${qs}`);
      expect(res.status, qs).toBe(400);
      expect((await res.json()).error).toBeTruthy();
    }
  });

  test('refuses without a session', async () => expect((await app.request('/api/mentions')).status).toBe(401));
});

describe('GET /api/mentions/:id', () => {
  test('shows a mention in scope', async () => {
    const req = await loginAs(app, 'a@edu-ley.nl');
    const res = await req(`/api/mentions/${await seed.mention('a1')}`);
    expect(res.status).toBe(200);
    expect((await res.json()).schools[0].matched).toEqual(['"De Meander"']);
  });
  test('hides a mention of another school as if it did not exist', async () => {
    const req = await loginAs(app, 'a@edu-ley.nl');
    expect((await req(`/api/mentions/${await seed.mention('b1')}`)).status).toBe(404);
  });
  test('hides a mention of another board', async () => {
    const req = await loginAs(app, 'all@edu-ley.nl');
    expect((await req(`/api/mentions/${await seed.mention('o1')}`)).status).toBe(404);
  });
  test('rejects a malformed id', async () => {
    const req = await loginAs(app, 'all@edu-ley.nl');
    expect((await req('/api/mentions/1%20or%201=1')).status).toBe(400);
  });
  test('refuses without a session', async () =>
    expect((await app.request(`/api/mentions/${await seed.mention('a1')}`)).status).toBe(401));
});

describe('the dashboard itself', () => {
  test('is not served by the API app without a build directory, and API 404s are JSON', async () => {
    const res = await app.request('/api/does-not-exist');
    expect(res.status).toBe(401);
    const req = await loginAs(app, 'all@edu-ley.nl');
    const unknown = await req('/api/does-not-exist');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe('Onbekend adres');
  });
});

describe('GET /api/sources', () => {
  test('shows board-wide sources and those of schools in scope, never another board’s', async () => {
    const db = conn.db;
    const jozef = await db
      .selectFrom('schools')
      .select(['id', 'board_id'])
      .where('slug', '=', 'jozef')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('sources')
      .values({
        board_id: jozef.board_id,
        school_id: jozef.id,
        kind: 'rss',
        name: 'Jozef eigen site',
        url: 'https://jozef.example/feed?key=geheim',
      })
      .execute();
    const a = await (await (await loginAs(app, 'a@edu-ley.nl'))('/api/sources')).json();
    expect(a.items.map((s: { name: string }) => s.name)).toEqual(['Regionieuws']);
    expect(a.items[0]).toMatchObject({ kind: 'rss', school: null, mentions7d: 3, lastError: null });
    const b = await (await (await loginAs(app, 'b@edu-ley.nl'))('/api/sources')).json();
    expect(b.items.map((s: { name: string }) => s.name)).toEqual(['Jozef eigen site', 'Regionieuws']);
    expect(b.items[0].url).toBe('jozef.example');
    const other = await (await (await loginAs(app, 'other@ander.nl'))('/api/sources')).json();
    expect(other.items.map((s: { name: string }) => s.name)).toEqual(['Anders']);
  });
  test('refuses without a session', async () => expect((await app.request('/api/sources')).status).toBe(401));
});
