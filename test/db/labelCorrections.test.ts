import { expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { CLASSIFIER } from '../../workers/classify/index.ts';
import { reclassifyBatch, unclassifiedCount } from '../../workers/classifications.ts';
import { processItems } from '../../workers/pipeline.ts';
import { loginAs } from '../support/http.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { eduLeyFixture, PASSWORD } from '../support/seed.ts';

// Staff correct the classifier: the correction is stored with who and when, shows and counts in
// the inbox at once, survives re-classification, and can be exported as labelled data.
const { db, seed, source, meander } = await eduLeyFixture();
const app = buildApp(db);
const title = 'Schoolplein De Meander';
const body = 'Die juf is een vieze heks en ze bellen nooit terug: 06-12345657.';
await processItems(
  db,
  source,
  [{ externalId: 'c1', url: null, title, text: body, author: null, publishedAt: new Date() }],
  { schoolIds: [meander] },
);
const id = (await db.selectFrom('mentions').select('id').where('external_id', '=', 'c1').executeTakeFirstOrThrow()).id;
const put = (req: Awaited<ReturnType<typeof loginAs>>, field: string, value: string) =>
  req(`/api/mentions/${id}/labels`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ field, value }),
  });

test('the detail view gets evidence spans by type in the title or the text, masked text keeping its offsets', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const m = await (await req(`/api/mentions/${id}`)).json();
  const at = (kind: string) =>
    m.evidence
      .filter((e: { kind: string }) => e.kind === kind)
      .map((e: { field: 'title' | 'text'; start: number; end: number }) => m[e.field].slice(e.start, e.end));
  expect(at('shaming')).toContain('vieze heks');
  expect(at('personal_data')).toEqual(['06-••••••57']);
  expect(at('negative').length).toBeGreaterThan(0);
});

test('a correction changes what the inbox shows and filters, and records who and what it was', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const before = await (await req('/api/mentions?risk=threat')).json();
  expect(before.items).toEqual([]);
  const res = await put(req, 'threat', 'present');
  expect(res.status).toBe(200);
  const after = await res.json();
  expect(after.risks.find((r: { type: string }) => r.type === 'threat')).toMatchObject({
    severity: 'high',
    corrected: { actor: 'a@edu-ley.nl' },
  });
  expect((await (await req('/api/mentions?risk=threat')).json()).items.map((m: { id: string }) => m.id)).toEqual([id]);
  // the protocol's prompts follow the corrected labels at once
  expect(after.actions.map((a: { type: string }) => a.type)).toEqual(
    expect.arrayContaining(['report_police', 'escalate']),
  );

  await put(req, 'shaming', 'absent');
  expect((await (await req('/api/mentions?risk=shaming')).json()).items).toEqual([]);
  await put(req, 'sentiment', 'neutral');
  const neutral = await (await req('/api/mentions?sentiment=neutral')).json();
  expect(neutral.items[0]).toMatchObject({ id, sentiment: { label: 'neutral', corrected: { actor: 'a@edu-ley.nl' } } });
  expect(
    (await (await req('/api/mentions?sentiment=negative')).json()).items.map((m: { id: string }) => m.id),
  ).not.toContain(id);

  const detail = await (await req(`/api/mentions/${id}`)).json();
  expect(
    detail.corrections.map((c: { field: string; value: string; previous: string }) => [c.field, c.previous, c.value]),
  ).toEqual([
    ['sentiment', 'negative', 'neutral'],
    ['shaming', 'present', 'absent'],
    ['threat', 'absent', 'present'],
  ]);
  // a removed risk's words are no longer marked as evidence; the corrected sentiment has no words
  expect(detail.evidence.map((e: { kind: string }) => e.kind).sort()).toEqual(['personal_data']);
  expect(
    await db.selectFrom('audit_log').select('details').where('action', '=', 'mention.label_corrected').execute(),
  ).toHaveLength(3);
});

test('asking for the label a mention already has records nothing; a bad label is refused with a message', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const n = async () =>
    (
      await db
        .selectFrom('label_corrections')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const count = await n();
  await put(req, 'threat', 'present');
  expect(await n()).toBe(count);
  const bad = await put(req, 'sentiment', 'present');
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toBeTruthy();
  expect((await put(req, 'weather', 'absent')).status).toBe(400);
  const other = await loginAs(app, 'b@edu-ley.nl'); // sees another school only
  expect((await put(other, 'threat', 'absent')).status).toBe(404);
});

test('a new classifier version re-classifies stored mentions in the background; corrections still win', async () => {
  await db.deleteFrom('classifications').where('mention_id', '=', id).execute();
  await db
    .insertInto('classifications')
    .values({
      mention_id: id,
      classifier: 'v1.1',
      language: 'nl',
      sentiment: 'positive',
      sentiment_score: 0.4,
      risks: '[]',
      actions: '[]',
    })
    .execute();
  expect(await unclassifiedCount(db)).toBe(1);
  expect(await reclassifyBatch(db)).toBe(1);
  expect(await reclassifyBatch(db)).toBe(0);
  const rows = await db
    .selectFrom('classifications')
    .select('classifier')
    .where('mention_id', '=', id)
    .orderBy('id')
    .execute();
  expect(rows.map((r) => r.classifier)).toEqual(['v1.1', CLASSIFIER]);
  const req = await loginAs(app, 'a@edu-ley.nl');
  const m = await (await req(`/api/mentions/${id}`)).json();
  expect(m.classifier).toBe(CLASSIFIER);
  expect(m.sentiment.label).toBe('neutral'); // the person's correction, not the new classifier's label
  expect(m.risks.map((r: { type: string }) => r.type).sort()).toEqual(['personal_data', 'threat']);
});

test('corrected mentions export as labelled data in the corpus columns, masked, and the export is audited', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  const res = await req('/api/mentions/labelled.tsv');
  expect(res.headers.get('content-type')).toContain('text/tab-separated-values');
  const [header, row, ...rest] = (await res.text()).trimEnd().split('\n'); // only the corrected mention
  expect(header!.split('\t').slice(0, 7)).toEqual(['id', 'split', 'register', 'sentiment', 'risks', 'school', 'text']);
  expect(rest).toEqual([]);
  const cells = row!.split('\t');
  expect(cells.slice(0, 6)).toEqual([`k${id}`, 'staff', 'rss', 'neutral', 'pd:phone,threat', 'meander']);
  expect(cells[6]).toBe(`${title} Die juf is een vieze heks en ze bellen nooit terug: 06-••••••57.`);
  expect(cells[8]).toBe('a@edu-ley.nl');
  // in full only for the privacy officer (or beheer), and the audit entry says which mentions
  expect((await req('/api/mentions/labelled.tsv?unmasked=1')).status).toBe(403);
  await db
    .insertInto('users')
    .values({
      email: 'fg@edu-ley.nl',
      board_id: seed.boards['edu-ley'],
      role: 'privacy',
      password_hash: await hashPassword(PASSWORD),
      all_schools: true,
    })
    .execute();
  const fg = await loginAs(app, 'fg@edu-ley.nl');
  const full = await (await fg('/api/mentions/labelled.tsv?unmasked=1')).text();
  expect(full).toContain('06-12345657');
  expect(await db.selectFrom('audit_log').select('details').where('action', '=', 'export.labelled').execute()).toEqual([
    { details: { count: 1, unmasked: false } },
    { details: { count: 1, unmasked: true, mentions: [id] } },
  ]);
});

test('the new risk types filter the inbox and can be corrected like the others', async () => {
  const req = await loginAs(app, 'a@edu-ley.nl');
  await processItems(
    db,
    source,
    [
      {
        externalId: 'd1',
        url: null,
        title: '',
        text: 'Die vieze Polen van De Meander moeten hier weg, die stelen alles.',
        author: null,
        publishedAt: new Date(),
      },
    ],
    { schoolIds: [meander] },
  );
  const listed = await (await req('/api/mentions?risk=discrimination')).json();
  expect(listed.items.map((m: { text: string }) => m.text)).toEqual([
    'Die vieze Polen van De Meander moeten hier weg, die stelen alles.',
  ]);
  expect((await (await req('/api/mentions?risk=sexual')).json()).items).toEqual([]);
  expect((await req('/api/mentions?risk=weather')).status).toBe(400);
  const res = await put(req, 'sexual', 'present');
  expect(res.status).toBe(200);
  expect((await res.json()).risks.find((r: { type: string }) => r.type === 'sexual')).toMatchObject({
    severity: 'high',
    corrected: { actor: 'a@edu-ley.nl' },
  });
  expect((await (await req('/api/mentions?risk=sexual')).json()).items.map((m: { id: string }) => m.id)).toEqual([id]);
});

test('re-classification labels a batch on the classification threads, each post with its own labels', async () => {
  const texts = Array.from({ length: 24 }, (_, n) =>
    n === 5
      ? 'Ik ga morgen iedereen op De Meander neerschieten, let maar op.'
      : n === 17
        ? 'Wat een geweldige, fijne juffen op De Meander, echt top!'
        : `De Meander houdt een ouderavond over het schoolplein (${n}).`,
  );
  const { ids } = await processItems(
    db,
    source,
    texts.map((text, n) => ({
      externalId: `r${n}`,
      url: null,
      title: '',
      text,
      author: null,
      publishedAt: new Date(),
    })),
    { schoolIds: [meander] },
  );
  await db.deleteFrom('classifications').where('mention_id', 'in', ids).execute();
  await db
    .insertInto('classifications')
    .values(
      ids.map((mention_id) => ({
        mention_id,
        classifier: 'v1.1',
        language: 'nl',
        sentiment: 'neutral',
        sentiment_score: 0,
        risks: '[]',
        actions: '[]',
      })),
    )
    .execute();
  expect(await reclassifyBatch(db)).toBe(24);
  const rows = await db
    .selectFrom('classifications')
    .innerJoin('mentions', 'mentions.id', 'classifications.mention_id')
    .select(['external_id', 'sentiment', 'risks'])
    .where('mention_id', 'in', ids)
    .where('classifier', '=', CLASSIFIER)
    .execute();
  expect(rows).toHaveLength(24);
  const at = (n: number) => rows.find((r) => r.external_id === `r${n}`)!;
  expect((at(5).risks as { type: string }[]).map((r) => r.type)).toContain('threat');
  expect(at(17).sentiment).toBe('positive');
  expect(rows.filter((r) => (r.risks as { type: string }[]).some((k) => k.type === 'threat'))).toHaveLength(1);
});
