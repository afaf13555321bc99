import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { listMentions } from '../../server/db/mentions.ts';
import { processItems } from '../../workers/pipeline.ts';
import { freshDatabase } from '../support/db.ts';
import { loginAs } from '../support/http.ts';
import { seedTwoBoards } from '../support/seed.ts';

// Personal data is masked in lists and exports by default; the full text is shown only on
// request in the detail view, and every such request is in the audit log.
const conn = await freshDatabase();
const db = conn.db;
const seed = await seedTwoBoards(db);
const source = await db
  .selectFrom('sources')
  .selectAll()
  .where('board_id', '=', seed.boards['edu-ley'])
  .executeTakeFirstOrThrow();
const text = 'Ouders van De Meander: bel Anna op 06-12345657 of mail j.jansen@gmail.com, BSN 123456782.';
await processItems(db, source, [
  { externalId: 'pd', url: 'https://news.example.nl/pd', title: '', text, author: null, publishedAt: new Date() },
]);
const id = (await db.selectFrom('mentions').select('id').where('external_id', '=', 'pd').executeTakeFirstOrThrow()).id;
const app = buildApp(db);

test('lists, details and exports show personal data masked, evidence included', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const listed = await (await req('/api/mentions')).text();
  expect(listed).not.toContain('12345657');
  expect(listed).not.toContain('jansen');
  expect(listed).not.toContain('123456782');
  const item = await (await req(`/api/mentions/${id}`)).json();
  expect(item.masked).toBe(true);
  expect(item.text).toBe('Ouders van De Meander: bel Anna op 06-••••••57 of mail j.••••••@•••••.com, BSN •••••••••.');
  expect(item.text.length).toBe(text.length); // spans that explain the match still point at the right words
  expect(JSON.stringify(item.risks)).not.toContain('12345657');
  const exported = await listMentions(db, {
    boardId: seed.boards['edu-ley'],
    schoolIds: [seed.school('edu-ley', 'meander')],
    limit: 100,
  });
  expect(JSON.stringify(exported)).not.toContain('jansen@');
});

test('the full text is shown on request, and the request is audited', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const full = await (await req(`/api/mentions/${id}/unmasked`, { method: 'POST' })).json();
  expect(full.text).toBe(text);
  expect(
    await db
      .selectFrom('audit_log')
      .select(['actor', 'target_id'])
      .where('action', '=', 'mention.reveal_personal_data')
      .execute(),
  ).toEqual([{ actor: 'a@edu-ley.nl', target_id: id }]);
  const otherSchool = await loginAs(app, 'b@edu-ley.nl');
  expect((await otherSchool(`/api/mentions/${id}/unmasked`, { method: 'POST' })).status).toBe(404);
  expect((await app.request(`/api/mentions/${id}/unmasked`, { method: 'POST' })).status).toBe(401);
});

test('a name that is a leak only next to a threat is masked in the text and in every label’s quoted evidence', async () => {
  const threat = 'Ik steek Anna Jansen uit 2b morgen neer bij De Meander.';
  await processItems(db, source, [
    {
      externalId: 'pd-threat',
      url: 'https://news.example.nl/pd-threat',
      title: '',
      text: threat,
      author: null,
      publishedAt: new Date(),
    },
  ]);
  const tid = (
    await db.selectFrom('mentions').select('id').where('external_id', '=', 'pd-threat').executeTakeFirstOrThrow()
  ).id;
  const req = await loginAs(app, 'a@edu-ley.nl');
  const item = await (await req(`/api/mentions/${tid}`)).json();
  expect(item.risks.map((r: { type: string }) => r.type)).toEqual(expect.arrayContaining(['threat', 'personal_data']));
  expect(item.text).toContain('A••• J•••••');
  const quoted = JSON.stringify(item.risks);
  expect(quoted).not.toContain('Anna');
  expect(quoted).not.toContain('Jansen');
  expect(await (await req('/api/mentions')).text()).not.toContain('Jansen');
});

test('what looks like personal data is found once, at ingest, and the list masks from what was stored', async () => {
  const stored = await db
    .selectFrom('classifications')
    .select('masks')
    .where('mention_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(stored.masks).toEqual(
    expect.arrayContaining([expect.objectContaining({ field: 'text', subtype: 'phone', start: text.indexOf('06-') })]),
  );
  const shown = async () =>
    (
      await listMentions(db, {
        boardId: seed.boards['edu-ley'],
        schoolIds: [seed.school('edu-ley', 'meander')],
        limit: 10,
      })
    ).items.find((m) => m.id === id)!.text;
  // the list reads the stored spans: a span stored over "Ouders" masks it, without looking again
  await db
    .updateTable('classifications')
    .set({ masks: JSON.stringify([...stored.masks!, { field: 'text', start: 0, end: 6 }]) })
    .where('mention_id', '=', id)
    .execute();
  expect(await shown()).toMatch(/^••••••/);
  // a row classified before masks were stored is searched on read, so nothing leaks
  await db.updateTable('classifications').set({ masks: null }).where('mention_id', '=', id).execute();
  expect(await shown()).toBe(
    'Ouders van De Meander: bel Anna op 06-••••••57 of mail j.••••••@•••••.com, BSN •••••••••.',
  );
});

test('a talking point never quotes a sentence whose personal data the lists mask', async () => {
  const now = new Date('2026-05-20T12:00:00Z');
  // the number is found in the body on its own; read together with the title ("ziekmelden") it looks
  // like the school's own number, so the labels alone do not name it
  const title = 'Ziekmelden lukt niet';
  const body = 'Ik word steeds gebeld door 06-12345678 over De Meander, echt schandalig en eng.';
  await processItems(
    db,
    source,
    [
      {
        externalId: 'pd-point',
        url: 'https://news.example.nl/pd-point',
        title,
        text: body,
        author: null,
        publishedAt: new Date(now.getTime() - 3_600_000),
      },
    ],
    { now },
  );
  const pid = (
    await db.selectFrom('mentions').select('id').where('external_id', '=', 'pd-point').executeTakeFirstOrThrow()
  ).id;
  const stored = await db
    .selectFrom('classifications')
    .select(['actions', 'masks'])
    .where('mention_id', '=', pid)
    .executeTakeFirstOrThrow();
  expect(stored.masks).toEqual([expect.objectContaining({ field: 'text', subtype: 'phone' })]);
  const points = (stored.actions as { type: string; points?: string[] }[]).flatMap((a) => a.points ?? []);
  expect(points).toEqual(['Ziekmelden lukt niet']);
  const filed = await db
    .selectFrom('case_actions as a')
    .innerJoin('case_mentions as cm', 'cm.case_id', 'a.case_id')
    .select('a.points')
    .where('cm.mention_id', '=', pid)
    .execute();
  expect(filed.length).toBeGreaterThan(0);
  expect(JSON.stringify(filed)).not.toContain('12345678');
  const req = await loginAs(app, 'a@edu-ley.nl');
  const detail = await (await req(`/api/mentions/${pid}`)).json();
  expect(detail.text).toContain('06-••••••78');
  expect(detail.actions.flatMap((a: { points?: string[] }) => a.points ?? [])).toEqual(['Ziekmelden lukt niet']);
  expect(JSON.stringify(detail)).not.toContain('12345678');
});

test('a case shows a talking point stored with personal data in it masked', async () => {
  const pid = (
    await db.selectFrom('mentions').select('id').where('external_id', '=', 'pd-point').executeTakeFirstOrThrow()
  ).id;
  const action = await db
    .selectFrom('case_actions as a')
    .innerJoin('case_mentions as cm', 'cm.case_id', 'a.case_id')
    .select(['a.id', 'a.case_id'])
    .where('cm.mention_id', '=', pid)
    .executeTakeFirstOrThrow();
  // as a point stored before the engine skipped masked sentences
  await db
    .updateTable('case_actions')
    .set({ points: JSON.stringify(['Bel 06-12345678 als je meer weet.']) })
    .where('id', '=', action.id)
    .execute();
  const req = await loginAs(app, 'a@edu-ley.nl');
  const shown = await (await req(`/api/cases/${action.case_id}`)).json();
  expect(JSON.stringify(shown)).not.toContain('12345678');
  expect(shown.actions.flatMap((a: { points: string[] }) => a.points)).toContain('Bel 06-••••••78 als je meer weet.');
});
