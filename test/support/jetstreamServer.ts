import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// A local server that speaks Jetstream's subscribe endpoint: it replays its frames from the `cursor`
// a client asks for (every frame whose time_us is at or after it), then stays open like the live tail.
// `cutAfter` ends the first connection after that many frames, as a network drop would.
export type Frame = { timeUs: number; raw: string };
export type ServedConnection = { url: URL; cursor: number | null; sent: number; socket: WebSocket };

export async function startJetstreamServer(frames: Frame[], opts: { cutAfter?: number } = {}) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/subscribe' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const connections: ServedConnection[] = [];
  server.on('connection', (socket, req) => {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    const c = url.searchParams.get('cursor');
    const conn: ServedConnection = { url, cursor: c === null ? null : Number(c), sent: 0, socket };
    connections.push(conn);
    const first = connections.length === 1;
    for (const f of frames) {
      if (conn.cursor !== null && f.timeUs < conn.cursor) continue;
      const cut = first && opts.cutAfter !== undefined && conn.sent === opts.cutAfter - 1;
      // the frames before the cut reach the client; then the connection drops without a close frame
      socket.send(f.raw, cut ? () => socket.terminate() : undefined);
      conn.sent++;
      if (cut) return;
    }
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    connections,
    // A new event in the live tail: kept for later replays and sent to every open connection.
    push(f: Frame) {
      frames.push(f);
      for (const c of connections) if (c.socket.readyState === c.socket.OPEN) (c.socket.send(f.raw), c.sent++);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

// Events in Jetstream's recorded format (README of bluesky-social/jetstream).
const BASE_US = 1_725_911_162_000_000;
export const timeUs = (i: number) => BASE_US + i * 1000;

export function postEvent(i: number, text: string, extra: Record<string, unknown> = {}, did = `did:plc:user${i}`) {
  return {
    timeUs: timeUs(i),
    raw: JSON.stringify({
      did,
      time_us: timeUs(i),
      kind: 'commit',
      commit: {
        rev: `3l3qo2vutsw2${i}`,
        operation: 'create',
        collection: 'app.bsky.feed.post',
        rkey: `3l3qo2vuowo${i}`,
        record: {
          $type: 'app.bsky.feed.post',
          createdAt: '2024-09-09T19:46:02.102Z',
          langs: ['nl'],
          text,
          ...extra,
        },
        cid: 'bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi',
      },
    }),
  };
}

export function otherEvent(i: number, kind: 'delete' | 'like' | 'identity' | 'account') {
  const time_us = timeUs(i);
  const did = `did:plc:user${i}`;
  const body =
    kind === 'delete'
      ? {
          did,
          time_us,
          kind: 'commit',
          commit: { rev: 'x', operation: 'delete', collection: 'app.bsky.feed.post', rkey: `del${i}` },
        }
      : kind === 'like'
        ? {
            did,
            time_us,
            kind: 'commit',
            commit: {
              rev: 'x',
              operation: 'create',
              collection: 'app.bsky.feed.like',
              rkey: `like${i}`,
              record: { $type: 'app.bsky.feed.like', text: 'obs De Meander', createdAt: '2024-09-09T19:46:02.102Z' },
            },
          }
        : kind === 'identity'
          ? {
              did,
              time_us,
              kind: 'identity',
              identity: { did, handle: 'juf.bsky.social', seq: i, time: '2024-09-09T19:46:02.102Z' },
            }
          : {
              did,
              time_us,
              kind: 'account',
              account: { active: false, did, seq: i, status: 'deactivated', time: '2024-09-09T19:46:02.102Z' },
            };
  return { timeUs: time_us, raw: JSON.stringify(body) };
}
