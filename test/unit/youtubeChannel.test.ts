import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { youtubeChannel, youtubeChannelUrl } from '../../workers/collectors/youtubeChannel.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/feeds/videos.xml': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/xml; charset=UTF-8' })
        .end(fs.readFileSync('test/fixtures/youtube/videos.xml')),
  });
});
afterAll(() => srv.close());

const src = (settings: Record<string, unknown>) => ({
  id: '1',
  kind: 'youtube_channel',
  url: null,
  settings,
  etag: null,
  lastModified: null,
  state: {},
});

test('builds the channel feed address and refuses what is not a channel id', () => {
  expect(youtubeChannelUrl({ channel_id: 'UCabcdefghijklmnopqrstuv' })).toBe(
    'https://www.youtube.com/feeds/videos.xml?channel_id=UCabcdefghijklmnopqrstuv',
  );
  expect(() => youtubeChannelUrl({ channel_id: '@depontonnier' })).toThrow('kanaal-id');
});

test('reads videos with their description from the channel feed', async () => {
  const r = await youtubeChannel.collect(src({ channel_id: 'UCabcdefghijklmnopqrstuv' }), {
    fetchOptions: { allow: [srv.hostPort] },
    endpoints: { youtube: srv.base },
  });
  expect(r.items).toEqual([
    expect.objectContaining({
      externalId: 'yt:video:dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      title: 'Musical groep 8 — De Pontonnier 2026',
      text: 'De afscheidsmusical van groep 8. Met dank aan alle ouders die hielpen!',
      author: 'obs De Pontonnier',
      media: [
        { type: 'video', url: 'https://www.youtube.com/v/dQw4w9WgXcQ?version=3' },
        { type: 'image', url: 'https://i2.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg' },
      ],
      engagement: { views: 340, ratings: 12 },
    }),
  ]);
  expect(r.items[0].publishedAt?.toISOString()).toBe('2026-11-20T17:00:00.000Z');
});
