import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ensureMentionPartitions } from '../../server/db/partitions.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// Working a case stamps it, its history and the audit log with the app's clock (a test's too), as the
// lists read "te laat" and "afgesloten" by it: not with the machine's or the database's time.
const { db, source, meander } = await eduLeyFixture();
const past = new Date('2025-03-10T12:00:00Z');
const later = new Date('2025-03-10T12:30:00Z'); // within the session's idle time
let clock = past;
const app = buildApp(db, { now: () => clock });
await ensureMentionPartitions(db, past, 1);
await processItems(
  db,
  source,
  [
    {
      externalId: 'klok',
      url: 'https://forum.example.nl/klok',
      title: '',
      text: 'Ik steek die directeur van De Meander morgen neer.',
      author: null,
      publishedAt: new Date('2025-03-10T08:00:00Z'),
    },
  ],
  { schoolIds: [meander], now: past },
);
const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test("a case's note, ticked prompt, closing and their history carry the app's clock", async () => {
  const kase = await db
    .selectFrom('cases as c')
    .innerJoin('case_mentions as cm', 'cm.case_id', 'c.id')
    .innerJoin('mentions as m', 'm.id', 'cm.mention_id')
    .select(['c.id', 'c.created_at'])
    .where('m.external_id', '=', 'klok')
    .executeTakeFirstOrThrow();
  expect(kase.created_at.toISOString()).toBe(past.toISOString());
  const req = await loginAs(app, 'all@edu-ley.nl');
  clock = later;
  expect((await req(`/api/cases/${kase.id}/notes`, json({ text: 'Gebeld met de directeur.' }))).status).toBe(200);
  const type = (await db.selectFrom('case_actions').select('type').where('case_id', '=', kase.id).execute())[0].type;
  expect((await req(`/api/cases/${kase.id}/actions/${type}`, json({ status: 'gedaan' }, 'PUT'))).status).toBe(200);
  const closed = await req(
    `/api/cases/${kase.id}`,
    json({ state: 'geen_actie', outcome: 'Afgestemd met de politie: geen verdere actie.' }, 'PATCH'),
  );
  expect(closed.status).toBe(200);
  expect((await closed.json()).closedAt).toBe(later.toISOString());

  const row = await db
    .selectFrom('cases')
    .select(['closed_at', 'updated_at'])
    .where('id', '=', kase.id)
    .executeTakeFirstOrThrow();
  expect(row.closed_at?.toISOString()).toBe(later.toISOString());
  expect(row.updated_at.toISOString()).toBe(later.toISOString());
  const done = await db
    .selectFrom('case_actions')
    .select('done_at')
    .where('case_id', '=', kase.id)
    .where('type', '=', type)
    .executeTakeFirstOrThrow();
  expect(done.done_at?.toISOString()).toBe(later.toISOString());
  const events = await db
    .selectFrom('case_events')
    .select(['kind', 'created_at'])
    .where('case_id', '=', kase.id)
    .where('kind', 'in', ['note', 'action', 'state'])
    .execute();
  expect(events.map((e) => e.kind).sort()).toEqual(['action', 'note', 'state']);
  for (const e of events) expect(e.created_at.toISOString(), e.kind).toBe(later.toISOString());
  const audited = await db
    .selectFrom('audit_log')
    .select(['action', 'created_at'])
    .where('target_type', '=', 'case')
    .where('target_id', '=', kase.id)
    .execute();
  expect(audited.map((a) => a.action).sort()).toEqual(['case.action', 'case.create', 'case.note', 'case.state']);
  // filed at the pipeline's clock, worked at the app's
  for (const a of audited)
    expect(a.created_at.toISOString(), a.action).toBe((a.action === 'case.create' ? past : later).toISOString());
});
