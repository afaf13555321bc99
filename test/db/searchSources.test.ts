import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exportBoard, importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import { collectOnce } from '../../workers/runner.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

const conn = await freshDatabase();
const db = conn.db;
let srv: Awaited<ReturnType<typeof fixtureServer>>;
const file = `board: { slug: edu-ley, name: Edu-Ley }
schools:
  - { slug: pontonnier, name: obs De Pontonnier, aliases: ["De Pontonnier"] }
sources:
  - { kind: bing_news, query: "De Pontonnier", school: pontonnier }
`;

beforeAll(async () => {
  srv = await fixtureServer({
    '/news/search': (_q, r) => r.writeHead(200).end(fs.readFileSync('test/fixtures/bing_news/search.xml')),
  });
  await importBoard(db, parseBoardFile(file), 'test');
});
afterAll(() => srv.close());

test('stores a search source with its query and the URL that follows from it', async () => {
  const s = await db.selectFrom('sources').selectAll().executeTakeFirstOrThrow();
  expect(s.settings).toEqual({ query: 'De Pontonnier' });
  expect(s.url).toBe('https://www.bing.com/news/search?q=De+Pontonnier&format=RSS&mkt=nl-NL');
  expect(s.name).toBe('De Pontonnier');
  const exported = await exportBoard(db, 'edu-ley');
  expect(exported).toContain('query: De Pontonnier');
  expect(exported).not.toContain('bing.com');
  await importBoard(db, parseBoardFile(exported), 'test');
  expect(await db.selectFrom('sources').select('id').execute()).toHaveLength(1);
});

test('collects a search source through the pipeline with clean article URLs', async () => {
  const r = await collectOnce(
    db,
    { fetchOptions: { allow: [srv.hostPort] }, endpoints: { bing_news: srv.base } },
    { all: true },
  );
  expect(r.inserted).toBe(2);
  const urls = (await db.selectFrom('mentions').select('url').orderBy('url').execute()).map((m) => m.url);
  expect(urls).toEqual([
    'https://regionieuws.nl/schooltuin',
    'https://www.ad.nl/amersfoort/nieuwbouw-pontonnier?id=42',
  ]);
});
