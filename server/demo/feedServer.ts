import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoPosts } from './mentions.ts';
import { flareUpPosts, historyPosts, type HistoryPost } from './history.ts';
import { escapeHtml } from '../views/escape.ts';

const esc = escapeHtml;

export function demoFeedXml(base: string, now = Date.now(), history = false): string {
  const items = demoPosts
    .map((p, i) => {
      const date = new Date(now - p.hoursAgo * 3600_000).toUTCString();
      // Short posts (X, Instagram) have no title in their feeds either.
      const title = p.title ? `<title>${esc(p.title)}</title>` : '';
      return `<item><guid isPermaLink="false">klankbord-demo-${i + 1}</guid>${title}<link>${base}/bericht/${i + 1}</link><dc:creator>${esc(`${p.author} (${p.site})`)}</dc:creator><pubDate>${date}</pubDate><description>${esc(`<p>${esc(p.text)}</p>`)}</description></item>`;
    })
    .join('\n');
  // Six months of generated history (server/demo/history.ts), each post with its own stable id.
  const at = new Date(now);
  const generated = (history ? [...flareUpPosts(at), ...historyPosts(at)] : [])
    .map((p: HistoryPost) => {
      const title = p.title ? `<title>${esc(p.title)}</title>` : '';
      return `<item><guid isPermaLink="false">${esc(p.guid)}</guid>${title}<link>${esc(p.url)}</link><dc:creator>${esc(`${p.author} (${p.site})`)}</dc:creator><pubDate>${p.publishedAt.toUTCString()}</pubDate><description>${esc(`<p>${esc(p.text)}</p>`)}</description></item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Demo: wat er online over Edu-Ley gezegd wordt</title><link>${base}/</link><description>Klankbord demo-feed</description><language>nl</language>
${items}
${generated}
</channel></rss>`;
}

function postPage(i: number): string | undefined {
  const p = demoPosts[i - 1];
  if (!p) return undefined;
  return `<!doctype html><html lang="nl"><meta charset="utf-8"><title>${esc(p.title || 'Bericht')}</title><body style="font-family:sans-serif;max-width:40em;margin:2em auto"><p><em>Demo-bericht, ${esc(p.site)}, door ${esc(p.author)}</em></p><h1>${esc(p.title)}</h1><p>${esc(p.text)}</p></body></html>`;
}

// Serves the demo feed on a loopback port, so the demo goes through the real rss collector,
// the guarded HTTP client and the whole pipeline. `history`: with six months of generated posts
// (what `klankbord start` serves; most tests want the hand-written posts alone).
export async function startDemoFeedServer(
  port = 0,
  opts: { history?: boolean } = {},
): Promise<{ url: string; hostPort: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const base = `http://${req.headers.host}`;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      return res.end(demoFeedXml(base, Date.now(), opts.history));
    }
    const page = path.startsWith('/bericht/') ? postPage(Number(path.slice(9))) : undefined;
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page);
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Niet gevonden');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/feed.xml`,
    hostPort: `127.0.0.1:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
