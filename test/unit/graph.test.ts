import type http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { facebookPage, GRAPH_VERSION, instagramBusiness } from '../../workers/collectors/graph.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// A local server answering like Meta's Graph API: { data: [...], paging } lists with expanded
// fields, errors as { error: { message, type, code } }, the token in the Authorization header.
const json = (r: http.ServerResponse, status: number, body: unknown) =>
  r.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const oauth = (r: http.ServerResponse) =>
  json(r, 400, {
    error: {
      message: 'Error validating access token: Session has expired',
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
    },
  });
let rateLimited = false;
const guard = (q: http.IncomingMessage, r: http.ServerResponse, ok: () => void) => {
  if (rateLimited)
    return json(r, 400, {
      error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4 },
    });
  if (q.headers.authorization !== 'Bearer pagetoken') return oauth(r);
  ok();
};

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    [`/${GRAPH_VERSION}/1234567890/posts`]: (q, r) =>
      guard(q, r, () =>
        json(r, 200, {
          data: [
            {
              id: '1234567890_1',
              message: 'Open dag bij De Meander!',
              permalink_url: 'https://www.facebook.com/demeander/posts/1',
              comments: {
                data: [
                  {
                    id: '1_c1',
                    message: 'Wat een mooie school, mijn dochter zat er ook',
                    created_time: '2026-11-20T09:00:00+0000',
                    like_count: 3,
                    comment_count: 1,
                    from: { name: 'Petra' },
                    permalink_url: 'https://www.facebook.com/demeander/posts/1?comment_id=c1',
                  },
                  { id: '1_c2', message: 'Eens!', created_time: '2026-11-20T09:05:00+0000', parent: { id: '1_c1' } },
                  { id: '1_c3', created_time: '2026-11-20T09:06:00+0000', attachment: { type: 'sticker' } },
                ],
              },
            },
            { id: '1234567890_2', message: 'Geen reacties hier' },
          ],
          paging: { cursors: { before: 'a', after: 'b' } },
        }),
      ),
    [`/${GRAPH_VERSION}/17841400000000000/tags`]: (q, r) =>
      guard(q, r, () =>
        json(r, 200, {
          data: [
            {
              id: 'm1',
              caption: 'Trots op @demeander, geweldige musical',
              media_type: 'IMAGE',
              media_url: 'https://scontent.example/m1.jpg',
              permalink: 'https://www.instagram.com/p/AAA/',
              timestamp: '2026-11-19T18:00:00+0000',
              username: 'ouder_sanne',
              like_count: 12,
              comments_count: 2,
            },
          ],
        }),
      ),
    [`/${GRAPH_VERSION}/17841400000000000/media`]: (q, r) =>
      guard(q, r, () =>
        json(r, 200, {
          data: [
            {
              id: 'own1',
              caption: 'Schoolreis!',
              permalink: 'https://www.instagram.com/p/BBB/',
              timestamp: '2026-11-18T10:00:00+0000',
              comments: {
                data: [
                  {
                    id: 'ic1',
                    text: 'Leuk voor de kinderen',
                    timestamp: '2026-11-18T11:00:00+0000',
                    username: 'opa_jan',
                    like_count: 1,
                    replies: {
                      data: [
                        { id: 'ic2', text: 'Zeker!', timestamp: '2026-11-18T12:00:00+0000', username: 'demeander' },
                      ],
                    },
                  },
                ],
              },
            },
          ],
        }),
      ),
  });
});
afterAll(() => srv.close());

const src = (kind: string, settings: Record<string, unknown>) => ({
  id: '1',
  kind,
  url: null,
  settings,
  etag: null,
  lastModified: null,
  state: {},
});
const ctx = () => ({ fetchOptions: { allow: [srv.hostPort] }, endpoints: { graph: srv.base } });

test("reads comments under the page's own posts, with replies and counts; the token stays out of the URL", async () => {
  const r = await facebookPage.collect(src('facebook_page', { page_id: '1234567890', token: 'pagetoken' }), ctx());
  expect(r.items.map((i) => i.externalId)).toEqual(['fb:comment:1_c1', 'fb:comment:1_c2']);
  expect(r.items[0]).toMatchObject({
    author: 'Petra',
    threadId: 'fb:post:1234567890_1',
    engagement: { likes: 3, replies: 1 },
    url: 'https://www.facebook.com/demeander/posts/1?comment_id=c1',
  });
  expect(r.items[1]).toMatchObject({ replyTo: '1_c1', url: 'https://www.facebook.com/demeander/posts/1' });
  expect(srv.requests.every((q) => !q.path.includes('pagetoken'))).toBe(true);
});

test('reads Instagram posts the account is tagged in and comments under its own posts', async () => {
  const r = await instagramBusiness.collect(
    src('instagram_business', { ig_user_id: '17841400000000000', token: 'pagetoken' }),
    ctx(),
  );
  expect(r.items.map((i) => i.externalId)).toEqual(['ig:media:m1', 'ig:comment:ic1', 'ig:comment:ic2']);
  expect(r.items[0]).toMatchObject({
    handle: '@ouder_sanne',
    media: [{ type: 'image', url: 'https://scontent.example/m1.jpg' }],
    engagement: { likes: 12, replies: 2 },
  });
  expect(r.items[2]).toMatchObject({ replyTo: 'ic1', threadId: 'ig:media:own1' });
});

test('an expired token is a permanent error that says what to do; a rate limit waits', async () => {
  await expect(
    facebookPage.collect(src('facebook_page', { page_id: '1234567890', token: 'oud' }), ctx()),
  ).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('verlopen') });
  rateLimited = true;
  await expect(
    instagramBusiness.collect(
      src('instagram_business', { ig_user_id: '17841400000000000', token: 'pagetoken' }),
      ctx(),
    ),
  ).rejects.toMatchObject({ permanent: false, retryAfterSeconds: 3600 });
  rateLimited = false;
  expect(facebookPage.checkSettings({ page_id: 'demeander' }).map((p) => p.message)).toEqual([
    expect.stringContaining('nummer'),
    expect.stringContaining('toegangstoken'),
  ]);
});
