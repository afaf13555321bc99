import type http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exportBoard, importBoard } from '../../server/actions/boardConfig.ts';
import { parseBoardFile } from '../../server/actions/boardFile.ts';
import { collectOnce } from '../../workers/runner.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

const conn = await freshDatabase();
const db = conn.db;
let posts: { id: string; uri: string; url: string; created_at: string; content: string; account: { acct: string } }[] =
  [];
const post = (id: number) => ({
  id: String(id),
  uri: `https://m.example/s/${id}`,
  url: `https://m.example/@a/${id}`,
  created_at: '2026-11-20T10:00:00Z',
  content: `<p>Feest op De Meander ${id}</p>`,
  account: { acct: 'ouder' },
});
let srv: Awaited<ReturnType<typeof fixtureServer>>;

beforeAll(async () => {
  const list = (q: http.IncomingMessage, r: http.ServerResponse) => {
    const min = new URL(q.url!, 'http://x').searchParams.get('min_id');
    r.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify(posts.filter((p) => !min || Number(p.id) > Number(min)).reverse()),
    );
  };
  srv = await fixtureServer({
    '/api/v1/timelines/tag/obsmeander': list,
    '/api/v1/timelines/tag/stil': (_q, r) => r.writeHead(200).end('[]'),
  });
  await importBoard(
    db,
    parseBoardFile(`board: { slug: edu-ley, name: Edu-Ley }
schools:
  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }
sources:
  - { kind: mastodon_tag, instance: "${srv.base}", tag: obsmeander, school: meander }
  - { kind: mastodon_tag, instance: "${srv.base}", tag: stil }
`),
    'test',
  );
});
afterAll(() => srv.close());

const run = () => collectOnce(db, { fetchOptions: { allow: [srv.hostPort] } }, { all: true });

test('keeps the min_id cursor between runs, so each post is fetched and stored once', async () => {
  posts = [post(1), post(2)];
  expect((await run()).inserted).toBe(2);
  posts.push(post(3));
  expect((await run()).inserted).toBe(1);
  const s = await db.selectFrom('sources').selectAll().where('name', '=', '#obsmeander').executeTakeFirstOrThrow();
  expect(s.state).toEqual({ minId: '3' });
  expect(s.url).toBe(`${srv.base}/tags/obsmeander`);
  const asked = srv.requests
    .filter((r) => r.path.includes('obsmeander'))
    .map((r) => new URL(r.path, srv.base).searchParams.get('min_id'));
  expect(asked).toEqual([null, '2']);
});

test('records a notice on a source whose tag timeline stays empty', async () => {
  const s = await db.selectFrom('sources').selectAll().where('name', '=', '#stil').executeTakeFirstOrThrow();
  expect(s.notice).toContain('Mastodon 4.5');
  expect(s.last_error).toBeNull();
});

test('exports the Mastodon settings back into the board file', async () => {
  const yaml = await exportBoard(db, 'edu-ley');
  expect(yaml).toContain('tag: obsmeander');
  expect(yaml).toContain(`instance: ${srv.base}`);
});
