import fs from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// The built dashboard: hashed assets are cached forever, every other path gets index.html so the
// single-page app can route it.
export function serveWeb(app: Hono, webDir: string) {
  const root = path.resolve(webDir);
  app.get('*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname);
    const file = path.resolve(root, '.' + rel);
    const inside = file.startsWith(root + path.sep);
    const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html');
    if (!fs.existsSync(target)) return c.text('Dashboard is niet gebouwd: draai `npm run build`.', 503);
    const immutable = target !== path.join(root, 'index.html') && rel.startsWith('/assets/');
    return c.body(fs.readFileSync(target), 200, {
      'Content-Type': types[path.extname(target)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
}
