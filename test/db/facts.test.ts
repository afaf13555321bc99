import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { eduLeyFixture } from '../support/seed.ts';

// A school's fact sheet is edited in the dashboard: audited with the old text, and recent
// mentions are checked against the new facts at once.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const text = 'Ik hoorde dat De Meander na de zomer dichtgaat, weet iemand meer?';
await processItems(
  db,
  source,
  [{ externalId: 'rumour', url: null, title: '', text, author: null, publishedAt: new Date() }],
  { schoolIds: [meander] },
);
const put = (req: Awaited<ReturnType<typeof loginAs>>, slug: string, body: unknown) =>
  req(`/api/schools/${slug}/facts`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const fact = 'De Meander blijft open; er zijn geen plannen voor sluiting.';

test('saving a fact re-checks recent mentions: the rumour now carries the fact it contradicts', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const before = (await (await req('/api/mentions?risk=inaccuracy')).json()).items[0];
  expect(JSON.stringify(before?.risks ?? [])).not.toContain(fact);
  const res = await put(req, 'meander', {
    facts: [`  ${fact} `, '', fact, 'De ouderbijdrage is vrijwillig: € 45 per jaar.'],
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    facts: [fact, 'De ouderbijdrage is vrijwillig: € 45 per jaar.'],
    rechecked: expect.any(Number),
  });
  const after = (await (await req('/api/mentions?risk=inaccuracy')).json()).items[0];
  expect(after.risks.find((r: { type: string }) => r.type === 'inaccuracy').evidence).toContainEqual(
    expect.objectContaining({ fact }),
  );
  const listed = (await (await req('/api/schools')).json()).schools.find((s: { slug: string }) => s.slug === 'meander');
  expect(listed).toMatchObject({ facts: [fact, 'De ouderbijdrage is vrijwillig: € 45 per jaar.'], canEditFacts: true });
  const logged = await db
    .selectFrom('audit_log')
    .select(['actor', 'details'])
    .where('action', '=', 'school.facts_update')
    .execute();
  expect(logged).toEqual([
    {
      actor: 'a@edu-ley.nl',
      details: { slug: 'meander', before: [], after: [fact, 'De ouderbijdrage is vrijwillig: € 45 per jaar.'] },
    },
  ]);
});

test('bad input and other schools are refused with a message, and nothing changes', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const long = await put(req, 'meander', { facts: ['x'.repeat(1001)] });
  expect(long.status).toBe(400);
  expect((await long.json()).error).toContain('1000 tekens');
  expect((await put(req, 'meander', { facts: 'geen lijst' })).status).toBe(400);
  expect((await put(req, 'jozef', { facts: ['Iets'] })).status).toBe(404); // not their school
  const other = await loginAs(app, 'other@ander.nl');
  expect((await put(other, 'jozef', { facts: [] })).status).toBe(404); // another board's school
  expect((await put(other, 'meander', { facts: ['Meander Oost is een christelijke basisschool.'] })).status).toBe(200); // their own namesake
  const facts = (await db.selectFrom('schools').select('facts').where('id', '=', meander).executeTakeFirstOrThrow())
    .facts;
  expect(facts).toHaveLength(2);
});
