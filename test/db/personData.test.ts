import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Issue 17: the privacy officer finds every place a person is named (posts, authors, handles,
// reporters' contacts, case notes), hands it over (inzage) or erases it (verwijdering), audited.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const board = seed.boards['edu-ley'];
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const now = new Date('2026-11-20T10:00:00Z');
await processItems(
  db,
  source,
  [
    {
      externalId: 'named',
      url: 'https://forum.example.nl/named',
      title: '',
      text: 'Ik maak die Karel Smit van De Meander af.',
      author: null,
      publishedAt: now,
    },
    {
      externalId: 'by',
      url: 'https://forum.example.nl/by',
      title: '',
      text: 'Mooie musical op De Meander!',
      author: 'Karel Smit',
      handle: '@karelsmit',
      publishedAt: now,
    },
    {
      externalId: 'other',
      url: 'https://forum.example.nl/other',
      title: '',
      text: 'Niets over hem hier, De Meander.',
      author: null,
      publishedAt: now,
    },
  ],
  { schoolIds: [meander], now },
);
await db
  .insertInto('users')
  .values({
    email: 'fg@edu-ley.nl',
    board_id: board,
    role: 'privacy',
    password_hash: await hashPassword(PASSWORD),
    all_schools: true,
  })
  .execute();
const fg = await loginAs(app, 'fg@edu-ley.nl');
const comms = await loginAs(app, 'all@edu-ley.nl');
const named = (
  await db.selectFrom('mentions').select('id').where('external_id', '=', 'named').executeTakeFirstOrThrow()
).id;
const caseId = (
  await db.selectFrom('case_mentions').select('case_id').where('mention_id', '=', named).executeTakeFirstOrThrow()
).case_id;
await comms(`/api/cases/${caseId}/notes`, json({ text: 'Gebeld met de vader van Karel Smit.' }));

test('only the privacy officer and beheer handle requests', async () => {
  expect((await comms('/api/privacy/search', json({ term: 'Karel Smit', reference: 'AVG-2026-7' }))).status).toBe(403);
  expect((await fg('/api/privacy/search', json({ term: 'Ka', reference: 'AVG-2026-7' }))).status).toBe(400);
});

test('a search finds the person in texts, as author and in case notes, and is audited with the reference', async () => {
  const { hits } = await (
    await fg('/api/privacy/search', json({ term: 'karel smit', reference: 'AVG-2026-7' }))
  ).json();
  const where = hits.map((h: { where: string[] }) => h.where.join('+')).sort();
  expect(where).toEqual(['author', 'note', 'text']);
  const logged = await db.selectFrom('audit_log').select('details').where('action', '=', 'privacy.search').execute();
  expect(logged).toEqual([{ details: { reference: 'AVG-2026-7', hits: 3 } }]);
  const handle = await (await fg('/api/privacy/search', json({ term: '@karelsmit', reference: 'AVG-2026-7' }))).json();
  expect(handle.hits).toHaveLength(1);
});

const bodyOf = async (id: string) =>
  (await db.selectFrom('mentions').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body;
const erasures = () => db.selectFrom('audit_log').select('details').where('action', '=', 'privacy.erase').execute();
const other = (
  await db.selectFrom('mentions').select('id').where('external_id', '=', 'other').executeTakeFirstOrThrow()
).id;

test('an erasure is refused, and nothing erased or logged as erased, for ids that are unknown, of another board or do not name the person', async () => {
  const unknown = await fg('/api/privacy/erase', json({ term: 'zzz', reference: 'REF-125', mentionIds: ['999999'] }));
  expect(unknown.status).toBe(400);
  expect((await unknown.json()).error).toContain('999999');
  // The other board's officer (beheer there) cannot erase Edu-Ley's post, whatever the term.
  const otherBoard = await loginAs(app, 'other@ander.nl');
  const foreign = await otherBoard(
    '/api/privacy/erase',
    json({ term: 'Karel Smit', reference: 'REF-125', mentionIds: [named] }),
  );
  expect(foreign.status).toBe(400);
  expect((await foreign.json()).error).toContain(named);
  // A post of this board that does not name the person is not erased, nor is the one that does
  // when they are asked together; the case note naming them stays too.
  const mixed = await fg(
    '/api/privacy/erase',
    json({ term: 'Karel Smit', reference: 'REF-125', mentionIds: [named, other] }),
  );
  expect(mixed.status).toBe(400);
  const message = (await mixed.json()).error;
  expect(message).toContain(other);
  expect(message).not.toContain(named);
  expect(await bodyOf(other)).toContain('Niets over hem');
  expect(await bodyOf(named)).toContain('Karel Smit');
  const note = await db
    .selectFrom('case_events')
    .select('details')
    .where('kind', '=', 'note')
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  expect(JSON.stringify(note.details)).toContain('Karel Smit');
  expect(await erasures()).toEqual([]);
});

test('inzage exports everything found in full; verwijdering erases it and the case keeps a note', async () => {
  const exported = await fg('/api/privacy/export', json({ term: 'Karel Smit', reference: 'AVG-2026-7' }));
  expect(exported.headers.get('content-disposition')).toContain('inzageverzoek-AVG-2026-7.json');
  const doc = await exported.json();
  expect(doc).toMatchObject({ reference: 'AVG-2026-7', hits: expect.any(Array) });
  expect(JSON.stringify(doc)).toContain('Ik maak die Karel Smit van De Meander af.');
  const ids = doc.hits
    .filter((h: { mentionId: string | null }) => h.mentionId)
    .map((h: { mentionId: string }) => h.mentionId);
  const erased = await (
    await fg('/api/privacy/erase', json({ term: 'Karel Smit', reference: 'AVG-2026-7', mentionIds: ids }))
  ).json();
  expect(erased).toMatchObject({ ok: true, mentions: 2, notes: 1, cases: expect.any(Number) });
  // The audit entry says exactly which posts, notes and cases.
  const noteIds = (
    await db.selectFrom('case_events').select('id').where('kind', '=', 'note').where('case_id', '=', caseId).execute()
  ).map((n) => n.id);
  expect(await erasures()).toEqual([
    {
      details: {
        reference: 'AVG-2026-7',
        mentions: ids,
        notes: noteIds,
        cases: expect.arrayContaining([caseId]),
        previews: 0,
      },
    },
  ]);
  const after = await (await fg('/api/privacy/search', json({ term: 'Karel Smit', reference: 'AVG-2026-7' }))).json();
  expect(after.hits).toEqual([]);
  const events = await db
    .selectFrom('case_events')
    .select(['kind', 'details'])
    .where('case_id', '=', caseId)
    .where('kind', '=', 'data_erased')
    .execute();
  expect(events).toEqual([{ kind: 'data_erased', details: { reference: 'AVG-2026-7', mentions: 2 } }]);
  // the case still has its post (erased), and untouched posts stay as they were
  expect(
    await db.selectFrom('case_mentions').select('mention_id').where('case_id', '=', caseId).execute(),
  ).toContainEqual({ mention_id: named });
  expect(
    (await db.selectFrom('mentions').select('body').where('external_id', '=', 'other').executeTakeFirstOrThrow()).body,
  ).toContain('Niets over hem');
  const audit = await db
    .selectFrom('audit_log')
    .select('action')
    .where('action', 'in', ['privacy.export', 'privacy.erase'])
    .execute();
  expect(audit.map((a) => a.action).sort()).toEqual(['privacy.erase', 'privacy.export']);
});

test('the audit log for the privacy officer: by person, action, school and period, and as CSV on record', async () => {
  expect((await comms('/api/audit')).status).toBe(403);
  const all = await (await fg('/api/audit')).json();
  expect(all.entries.length).toBeGreaterThan(3);
  const erasures = await (await fg('/api/audit?action=privacy.erase')).json();
  expect(erasures.entries.map((e: { action: string }) => e.action)).toEqual(['privacy.erase']);
  const byPerson = await (await fg('/api/audit?actor=all@edu-ley')).json();
  expect(byPerson.entries.every((e: { actor: string }) => e.actor === 'all@edu-ley.nl')).toBe(true);
  const atSchool = await (await fg('/api/audit?school=meander')).json();
  expect(atSchool.entries.some((e: { targetType: string }) => e.targetType === 'case')).toBe(true);
  const jozef = await (await fg('/api/audit?school=jozef&action=case')).json();
  expect(jozef.entries).toEqual([]);
  expect((await fg('/api/audit?from=2020-01-01&to=2020-01-31')).status).toBe(200);
  expect((await (await fg('/api/audit?from=2020-01-01&to=2020-01-31')).json()).entries).toEqual([]);
  expect((await fg('/api/audit?from=gisteren')).status).toBe(400);
  const csv = await fg('/api/audit/export', json({ action: 'privacy' }));
  expect(csv.headers.get('content-type')).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\n');
  expect(lines[0]).toBe('id,at,actor,action,target_type,target_id,ip,details');
  expect(lines.length).toBeGreaterThan(2);
  expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'export.audit').execute()).toHaveLength(
    1,
  );
});

test('items in the preview window (matched no school yet) are found and erased too', async () => {
  const other = seed.boards['ander-bestuur'];
  const otherSource = await db
    .selectFrom('sources')
    .select('id')
    .where('board_id', '=', other)
    .executeTakeFirstOrThrow();
  const preview = (boardId: string, sourceId: string, externalId: string, text: string) =>
    db
      .insertInto('preview_items')
      .values({
        board_id: boardId,
        source_id: sourceId,
        external_id: externalId,
        item: JSON.stringify({ title: '', text, author: 'Wilma Veenstra', handle: null }),
        created_at: now,
      })
      .execute();
  await preview(board, source.id, 'pv-1', 'Iets over een andere school, geschreven door haar.');
  await preview(other, otherSource.id, 'pv-2', 'Ook van haar, bij een ander bestuur.');
  const found = await (await fg('/api/privacy/search', json({ term: 'Wilma Veenstra', reference: 'AVG-PV' }))).json();
  expect(found.hits).toHaveLength(1);
  expect(found.hits[0]).toMatchObject({ where: ['preview'], author: 'Wilma Veenstra', mentionId: null });
  const erased = await fg('/api/privacy/erase', json({ term: 'Wilma Veenstra', reference: 'AVG-PV', mentionIds: [] }));
  expect(erased.status).toBe(200);
  expect(await erased.json()).toMatchObject({ ok: true, mentions: 0, previews: 1 });
  const left = await db
    .selectFrom('preview_items')
    .select('external_id')
    .where('external_id', 'like', 'pv-%')
    .execute();
  expect(left.map((r) => r.external_id)).toEqual(['pv-2']);
});
