import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { loadViewer } from '../../server/access.ts';
import { restore, SchoolRefused } from '../../server/actions/schoolAdmin.ts';
import { JOBS } from '../../workers/jobs.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17: beheer keeps the board's schools in the dashboard — add, rename, archive (a soft delete,
// restorable for 30 days, then removed by the retention job) — and the board's name.
const { db, seed, source } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
const hash = await hashPassword(PASSWORD);
const addUser = async (email: string, role: 'beheer' | 'directie', boardId = board, only?: string) => {
  const u = await db
    .insertInto('users')
    .values({ email, board_id: boardId, role, password_hash: hash, all_schools: !only })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (only) await db.insertInto('user_schools').values({ user_id: u.id, school_id: only }).execute();
  return u.id;
};
const beheerId = await addUser('beheer@edu-ley.nl', 'beheer');
await addUser('beheer-meander@edu-ley.nl', 'beheer', board, seed.school('edu-ley', 'meander'));
const beheer = await loginAs(app, 'beheer@edu-ley.nl');
const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const slugsOf = async (who: typeof beheer) =>
  ((await (await who('/api/me')).json()).schools as { slug: string }[]).map((s) => s.slug);
const schoolRow = (slug: string, boardId = board) =>
  db.selectFrom('schools').selectAll().where('board_id', '=', boardId).where('slug', '=', slug).executeTakeFirst();
const auditOf = async (targetId: string, type = 'school') =>
  await db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .orderBy('id')
    .execute();
const post = (externalId: string, text: string) => ({
  externalId,
  url: `https://news.example.nl/${externalId}`,
  title: '',
  text,
  author: null,
  publishedAt: new Date('2026-11-01T10:00:00Z'),
});
const linkedSchools = async (externalId: string) =>
  (
    await db
      .selectFrom('mention_schools as ms')
      .innerJoin('mentions as m', 'm.id', 'ms.mention_id')
      .innerJoin('schools as s', 's.id', 'ms.school_id')
      .select('s.slug')
      .where('m.external_id', '=', externalId)
      .where('ms.active', '=', true)
      .execute()
  ).map((r) => r.slug);
const openCase = async (schoolSlug: string, mentionExternalId: string) => {
  const school = (await schoolRow(schoolSlug))!;
  const c = await db
    .insertInto('cases')
    .values({
      board_id: board,
      school_id: school.id,
      kind: 'concern',
      severity: 'medium',
      policy: 'edu-ley',
      due_at: new Date('2026-12-10T00:00:00Z'),
      last_mention_at: new Date('2026-11-01T10:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const m = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', mentionExternalId)
    .executeTakeFirstOrThrow();
  await db.insertInto('case_mentions').values({ case_id: c.id, mention_id: m.id }).execute();
  return c.id;
};
const closeCase = (id: string) =>
  db
    .updateTable('cases')
    .set({ state: 'afgerond', closed_at: new Date('2026-11-02T00:00:00Z') })
    .where('id', '=', id)
    .execute();

test('only beheer over the whole board adds, edits, archives and restores schools or renames the board', async () => {
  const comms = await loginAs(app, 'all@edu-ley.nl');
  const directeur = await loginAs(app, 'a@edu-ley.nl');
  const scopedBeheer = await loginAs(app, 'beheer-meander@edu-ley.nl');
  for (const who of [comms, directeur, scopedBeheer]) {
    expect((await who('/api/schools', json({ name: 'Nieuwe school' }))).status).toBe(403);
    expect((await who('/api/schools/meander', json({ name: 'X', aliases: [] }, 'PATCH'))).status).toBe(403);
    expect((await who('/api/schools/meander', { method: 'DELETE' })).status).toBe(403);
    expect((await who('/api/schools/meander/restore', { method: 'POST' })).status).toBe(403);
    expect((await who('/api/board/name', json({ name: 'Ander' }, 'PUT'))).status).toBe(403);
    const list = await (await who('/api/schools')).json();
    expect(list.canManage).toBe(false);
    expect(list.archived).toEqual([]);
  }
  expect(await schoolRow('nieuwe-school')).toBeUndefined();
  expect((await schoolRow('meander'))!.archived_at).toBeNull();
});

test('beheer adds a school with a slug made from its name; names and slugs are unique within the board', async () => {
  const res = await beheer(
    '/api/schools',
    json({ name: 'obs Het Baken', aliases: ['Het Baken'], place: 'Leusden', region: 'midden' }),
  );
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ ok: true, slug: 'obs-het-baken' });
  const row = (await schoolRow('obs-het-baken'))!;
  expect(row).toMatchObject({ name: 'obs Het Baken', aliases: ['Het Baken'], place: 'Leusden', region: 'midden' });
  const list = await (await beheer('/api/schools')).json();
  expect(list.canManage).toBe(true);
  expect(list.schools.find((s: { slug: string }) => s.slug === 'obs-het-baken')).toMatchObject({
    name: 'obs Het Baken',
    place: 'Leusden',
  });
  expect(await slugsOf(beheer)).toContain('obs-het-baken');
  // the same name (case and accents aside) and the same slug are refused with a reason
  const again = await beheer('/api/schools', json({ name: 'OBS het bakén' }));
  expect(again.status).toBe(409);
  expect((await again.json()).error).toContain('Er is al een school met de naam "obs Het Baken"');
  const sameSlug = await beheer('/api/schools', json({ name: 'obs Het Baken!' }));
  expect(sameSlug.status).toBe(409);
  expect((await sameSlug.json()).error).toContain('"obs-het-baken"');
  expect((await beheer('/api/schools', json({ name: 'Tweede Baken', slug: 'obs-het-baken' }))).status).toBe(409);
  // input is checked
  const bad = await beheer('/api/schools', json({ name: ' ', region: 'oost' }));
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/name: mag niet leeg zijn.*regio: noord, midden of zuid/);
  expect((await beheer('/api/schools', json({ name: 'Ok', slug: 'Geen Slug' }))).status).toBe(400);
  expect((await beheer('/api/schools', json({ name: 'Ok', extra: 1 }))).status).toBe(400);
  const created = await auditOf(row.id);
  expect(created.map((a) => a.action)).toEqual(['school.created']);
  expect(created[0]!.details).toMatchObject({ slug: 'obs-het-baken', name: 'obs Het Baken', region: 'midden' });
});

test('beheer renames a school and edits its other names, place and region; the slug stays', async () => {
  const row = (await schoolRow('obs-het-baken'))!;
  const res = await beheer(
    '/api/schools/obs-het-baken',
    json(
      { name: 'Daltonschool Het Baken', aliases: ['Het Baken', 'Baken'], place: 'Amersfoort', region: 'noord' },
      'PATCH',
    ),
  );
  expect(await res.json()).toEqual({ ok: true, changed: ['name', 'aliases', 'place', 'region'] });
  expect(await schoolRow('obs-het-baken')).toMatchObject({
    name: 'Daltonschool Het Baken',
    aliases: ['Het Baken', 'Baken'],
    place: 'Amersfoort',
    region: 'noord',
  });
  const taken = await beheer('/api/schools/obs-het-baken', json({ name: 'st. jozefschool', aliases: [] }, 'PATCH'));
  expect(taken.status).toBe(409);
  expect((await taken.json()).error).toBe('Er is al een school met de naam "St. Jozefschool".');
  const updated = (await auditOf(row.id)).filter((a) => a.action === 'school.updated');
  expect(updated).toHaveLength(1);
  expect(updated[0]!.details).toMatchObject({
    before: { name: 'obs Het Baken', place: 'Leusden', region: 'midden' },
    after: { name: 'Daltonschool Het Baken', place: 'Amersfoort', region: 'noord' },
  });
});

test('beheer renames the board; it is audited', async () => {
  expect(await (await beheer('/api/board/name', json({ name: 'Stichting Edu-Ley' }, 'PUT'))).json()).toEqual({
    ok: true,
    name: 'Stichting Edu-Ley',
  });
  expect((await (await beheer('/api/me')).json()).board.name).toBe('Stichting Edu-Ley');
  expect((await beheer('/api/board/name', json({ name: '' }, 'PUT'))).status).toBe(400);
  const renamed = await auditOf(board, 'board');
  expect(renamed.filter((a) => a.action === 'board.renamed').map((a) => a.details)).toEqual([
    { before: 'Edu-Ley', after: 'Stichting Edu-Ley' },
  ]);
});

test('an archived school leaves lists, scopes and matching but keeps its posts, and comes back when restored', async () => {
  expect((await beheer('/api/schools', json({ name: 'obs De Klimop', aliases: ['De Klimop'] }))).status).toBe(201);
  const klimop = (await schoolRow('obs-de-klimop'))!;
  const directeurId = await addUser('klimop@edu-ley.nl', 'directie', board, klimop.id);
  const directeur = await loginAs(app, 'klimop@edu-ley.nl');
  await processItems(db, source, [post('k1', 'Mooie voorstelling van groep 8 op De Klimop.')]);
  expect(await linkedSchools('k1')).toEqual(['obs-de-klimop']);

  const res = await beheer('/api/schools/obs-de-klimop', { method: 'DELETE' });
  expect(res.status).toBe(200);
  const { undoUntil } = await res.json();
  const archived = (await schoolRow('obs-de-klimop'))!;
  expect(archived.archived_by).toBe(beheerId);
  expect(Date.parse(undoUntil) - archived.archived_at!.getTime()).toBe(30 * 86_400_000);

  // gone from the viewer's schools, the schools page, the inbox and its filter; the directeur's scope is empty
  expect(await slugsOf(beheer)).not.toContain('obs-de-klimop');
  expect(await slugsOf(directeur)).toEqual([]);
  const list = await (await beheer('/api/schools')).json();
  expect(list.schools.map((s: { slug: string }) => s.slug)).not.toContain('obs-de-klimop');
  expect(list.archived).toEqual([
    {
      slug: 'obs-de-klimop',
      name: 'obs De Klimop',
      archivedAt: archived.archived_at!.toISOString(),
      archivedBy: 'beheer@edu-ley.nl',
      removeAfter: undoUntil,
      openCases: 0,
    },
  ]);
  const inbox = await (await beheer('/api/mentions')).json();
  expect(inbox.items.map((m: { url: string }) => m.url)).not.toContain('https://news.example.nl/k1');
  expect((await beheer('/api/mentions?school=obs-de-klimop')).status).toBe(403);
  expect((await beheer('/api/schools/obs-de-klimop', json({ name: 'X', aliases: [] }, 'PATCH'))).status).toBe(409);
  expect((await beheer('/api/schools/obs-de-klimop', { method: 'DELETE' })).status).toBe(409);
  // the post is kept; a new post about the school is matched to no school
  expect(await linkedSchools('k1')).toEqual(['obs-de-klimop']);
  await processItems(db, source, [post('k2', 'Weer een mooie voorstelling op De Klimop.')]);
  expect(await linkedSchools('k2')).toEqual([]);
  // the users page no longer lists it in the directeur's scope
  const users = (await (await beheer('/api/users')).json()).users as { id: string; schools: string[] }[];
  expect(users.find((u) => u.id === directeurId)!.schools).toEqual([]);

  expect(await (await beheer('/api/schools/obs-de-klimop/restore', { method: 'POST' })).json()).toEqual({ ok: true });
  expect((await schoolRow('obs-de-klimop'))!.archived_at).toBeNull();
  expect(await slugsOf(directeur)).toEqual(['obs-de-klimop']);
  expect((await (await beheer('/api/schools')).json()).archived).toEqual([]);
  expect((await beheer('/api/schools/obs-de-klimop/restore', { method: 'POST' })).status).toBe(409);
  await processItems(db, source, [post('k3', 'Derde voorstelling op De Klimop.')]);
  expect(await linkedSchools('k3')).toEqual(['obs-de-klimop']);
  expect((await auditOf(klimop.id)).map((a) => a.action)).toEqual([
    'school.created',
    'school.archived',
    'school.restored',
  ]);
});

test('archiving is refused while the school has open cases, and for the board’s last school', async () => {
  expect((await beheer('/api/schools', json({ name: 'De Wegwijzer' }))).status).toBe(201);
  await processItems(db, source, [post('w1', 'De Wegwijzer krijgt een nieuwe gymzaal.')]);
  const caseId = await openCase('de-wegwijzer', 'w1');
  const refused = await beheer('/api/schools/de-wegwijzer', { method: 'DELETE' });
  expect(refused.status).toBe(409);
  expect((await refused.json()).error).toBe(
    'De Wegwijzer heeft nog 1 open zaak; rond die eerst af en archiveer de school daarna.',
  );
  expect((await schoolRow('de-wegwijzer'))!.archived_at).toBeNull();
  await closeCase(caseId);
  expect((await beheer('/api/schools/de-wegwijzer', { method: 'DELETE' })).status).toBe(200);

  // the other board has one school: its beheer cannot archive it
  const other = await loginAs(app, 'other@ander.nl');
  const last = await other('/api/schools/meander', { method: 'DELETE' });
  expect(last.status).toBe(409);
  expect((await last.json()).error).toBe('Dit is de laatste school van het bestuur; die kan niet worden gearchiveerd.');
});

test("a school of another board is out of reach of this board's beheer", async () => {
  const other = await loginAs(app, 'other@ander.nl');
  expect((await other('/api/schools', json({ name: 'cbs De Wissel' }))).status).toBe(201);
  const wissel = (await schoolRow('cbs-de-wissel', seed.boards['ander-bestuur']))!;
  expect(await schoolRow('cbs-de-wissel')).toBeUndefined();
  expect((await beheer('/api/schools/cbs-de-wissel', json({ name: 'Van ons', aliases: [] }, 'PATCH'))).status).toBe(
    404,
  );
  expect((await beheer('/api/schools/cbs-de-wissel', { method: 'DELETE' })).status).toBe(404);
  expect((await other('/api/schools/cbs-de-wissel', { method: 'DELETE' })).status).toBe(200);
  expect((await beheer('/api/schools/cbs-de-wissel/restore', { method: 'POST' })).status).toBe(404);
  // nor does its archived list show up here, and the other board's beheer cannot restore ours
  expect((await (await beheer('/api/schools')).json()).archived.map((s: { slug: string }) => s.slug)).not.toContain(
    'cbs-de-wissel',
  );
  expect((await other('/api/schools/de-wegwijzer/restore', { method: 'POST' })).status).toBe(404);
  // a slug is unique per board, not across boards
  expect((await beheer('/api/schools', json({ name: 'cbs De Wissel' }))).status).toBe(201);
  expect((await schoolRow('cbs-de-wissel', seed.boards['ander-bestuur']))!.id).toBe(wissel.id);
});

test('after 30 days the retention job removes an archived school with its posts, but not while an open case needs them', async () => {
  expect((await beheer('/api/schools', json({ name: 'De Regenboog' }))).status).toBe(201);
  await processItems(db, source, [
    post('r1', 'Kerstmarkt op De Regenboog was gezellig.'),
    post('r2', 'De Regenboog en de Jozefschool lopen samen de avondvierdaagse.'),
  ]);
  expect(await linkedSchools('r1')).toEqual(['de-regenboog']);
  expect((await linkedSchools('r2')).sort()).toEqual(['de-regenboog', 'jozef']);
  expect((await beheer('/api/schools/de-regenboog', { method: 'DELETE' })).status).toBe(200);
  const school = (await schoolRow('de-regenboog'))!;
  const at = (days: number) => new Date(school.archived_at!.getTime() + days * 86_400_000);
  const retention = JOBS.find((j) => j.name === 'retention')!;
  const stored = async (ext: string) =>
    !!(await db.selectFrom('mentions').select('id').where('external_id', '=', ext).executeTakeFirst());

  // within the 30 days nothing goes, and restoring still works (shown by the action with its own clock)
  await retention.run(db, at(29));
  expect(await schoolRow('de-regenboog')).toBeDefined();
  const viewer = (await loadViewer(db, beheerId))!;
  await expect(restore(db, viewer, { ...school, archived_at: school.archived_at! }, at(30.5))).rejects.toThrow(
    SchoolRefused,
  );

  // a case of another school holds its post: the school waits, and the list says why
  const caseId = await openCase('jozef', 'r1');
  await retention.run(db, at(31));
  expect(await schoolRow('de-regenboog')).toBeDefined();
  const card = (await (await beheer('/api/schools')).json()).archived.find(
    (s: { slug: string }) => s.slug === 'de-regenboog',
  );
  expect(card.openCases).toBe(1);

  await closeCase(caseId);
  const result = await retention.run(db, at(31));
  expect(result).toMatchObject({ schools: 1, schoolMentions: 1 });
  expect(await schoolRow('de-regenboog')).toBeUndefined();
  expect(await stored('r1')).toBe(false);
  // a post that is also about another school stays with that school
  expect(await stored('r2')).toBe(true);
  expect(await linkedSchools('r2')).toEqual(['jozef']);
  // the closed case of Jozef stays as well
  expect(await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst()).toBeDefined();
});
