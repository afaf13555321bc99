import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { linkMentionToSchool } from '../../server/db/schoolQueries.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';
import { processItems } from '../../workers/pipeline.ts';

// The inbox opens on what the team has not handled yet; posts are marked seen, handled or not
// relevant (out of the inbox and every count), alone or as a selection, and can be taken back.
const { db, seed, source } = await eduLeyFixture();
const app = buildApp(db, { now: () => new Date() });
const post = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const texts = async (req: Awaited<ReturnType<typeof loginAs>>, q = '') =>
  ((await (await req(`/api/mentions?limit=100${q}`)).json()).items as { id: string; text: string }[]).map((m) => m.id);

test('handled posts leave the open inbox and are listed as handled, with who did it', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const a2 = await seed.mention('a2');
  expect(await texts(req)).toContain(a2);
  const before = (await (await req('/api/mentions/count')).json()).open;
  const r = await req('/api/mentions/triage', post('POST', { ids: [a2], state: 'handled' }));
  expect(await r.json()).toEqual({ changed: 1, ids: [a2] });
  expect(await texts(req)).not.toContain(a2);
  const handled = await (await req('/api/mentions?state=handled')).json();
  expect(handled.items.map((m: { id: string }) => m.id)).toEqual([a2]);
  expect(handled.items[0].triage).toMatchObject({ state: 'handled', by: 'all@edu-ley.nl' });
  expect((await (await req('/api/mentions/count')).json()).open).toBe(before - 1);
  // "seen" never undoes a decision; "open" does
  await req('/api/mentions/triage', post('POST', { ids: [a2], state: 'seen' }));
  expect((await (await req('/api/mentions?state=handled')).json()).items).toHaveLength(1);
  await req('/api/mentions/triage', post('POST', { ids: [a2], state: 'open' }));
  expect(await texts(req)).toContain(a2);
  expect(
    await db.selectFrom('audit_log').select('action').where('action', '=', 'mention.triage').execute(),
  ).toHaveLength(2);
});

test('not relevant: out of the inbox at the marker’s schools only, never back through a query, and undone exactly', async () => {
  const ab = await seed.mention('ab');
  const jozefOnly = await loginAs(app, 'b@edu-ley.nl');
  const all = await loginAs(app, 'all@edu-ley.nl');
  await jozefOnly('/api/mentions/triage', post('POST', { ids: [ab], state: 'irrelevant' }));
  expect(await texts(jozefOnly)).not.toContain(ab);
  // the board-wide officer still sees it at De Meander, which nobody marked
  const seenByAll = await (await all('/api/mentions?limit=100&school=meander')).json();
  expect(seenByAll.items.map((m: { id: string }) => m.id)).toContain(ab);
  expect(await texts(all, '&school=jozef')).not.toContain(ab);
  // a query applied again does not bring it back
  await linkMentionToSchool(db, ab, { schoolId: seed.school('edu-ley', 'jozef'), matched: ['Jozefschool'], spans: [] });
  expect(await texts(jozefOnly)).not.toContain(ab);
  // undo switches back exactly the link it switched off
  await jozefOnly('/api/mentions/triage', post('POST', { ids: [ab], state: 'open' }));
  expect(await texts(jozefOnly)).toContain(ab);
  const links = await db
    .selectFrom('mention_schools')
    .select(['school_id', 'active'])
    .where('mention_id', '=', ab)
    .execute();
  expect(links.every((l) => l.active)).toBe(true);
});

test('only posts the viewer sees; a selection has a limit and a clear message', async () => {
  const jozefOnly = await loginAs(app, 'b@edu-ley.nl');
  const a1 = await seed.mention('a1'); // De Meander only
  const r = await jozefOnly('/api/mentions/triage', post('POST', { ids: [a1], state: 'handled' }));
  expect(r.status).toBe(404);
  expect(await db.selectFrom('mention_triage').select('mention_id').where('mention_id', '=', a1).execute()).toEqual([]);
  const none = await jozefOnly('/api/mentions/triage', post('POST', { ids: [], state: 'handled' }));
  expect(none.status).toBe(400);
  expect((await none.json()).error).toContain('kies minstens één bericht');
  const many = await jozefOnly(
    '/api/mentions/triage',
    post('POST', { ids: Array.from({ length: 201 }, (_, i) => String(i + 1)), state: 'handled' }),
  );
  expect(many.status).toBe(400);
});

test('risks first: threats, sexual content, personal data and discrimination lead; every post once across pages', async () => {
  const day = 86_400_000;
  await processItems(db, source, [
    {
      externalId: 'old-threat',
      url: null,
      title: '',
      text: 'Ik maak die juf van De Meander morgen af, let maar op.',
      author: null,
      publishedAt: new Date(Date.now() - 3 * day),
    },
  ]);
  const req = await loginAs(app, 'all@edu-ley.nl');
  const threat = await seed.mention('old-threat');
  const newest = (await (await req('/api/mentions?limit=100&state=all')).json()).items.map((m: { id: string }) => m.id);
  expect(newest[0]).not.toBe(threat);
  const seen: string[] = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const page = await (
      await req(`/api/mentions?limit=2&state=all&sort=risk${cursor ? `&cursor=${cursor}` : ''}`)
    ).json();
    seen.push(...page.items.map((m: { id: string }) => m.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  expect(seen[0]).toBe(threat);
  expect([...seen].sort()).toEqual([...newest].sort());
  expect(seen.slice(1)).toEqual(newest.filter((id: string) => id !== threat));
  expect((await req('/api/mentions?sort=oud')).status).toBe(400);
});

test('a search pages through its hits in the inbox order, the same posts as in one page', async () => {
  const req = await loginAs(app, 'all@edu-ley.nl');
  const all = (await (await req('/api/mentions?limit=100&state=all&q=Meander')).json()).items.map(
    (m: { id: string }) => m.id,
  );
  expect(all.length).toBeGreaterThan(2);
  const paged: string[] = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const page = await (
      await req(`/api/mentions?limit=1&state=all&q=Meander${cursor ? `&cursor=${cursor}` : ''}`)
    ).json();
    paged.push(...page.items.map((m: { id: string }) => m.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  expect(paged).toEqual(all);
});
