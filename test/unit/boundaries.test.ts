import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

// The layout's rules, checked on the import graph and the source text (README → Layout):
// - server/db/ is the only code that touches SQL: nothing else imports kysely or pg, builds a query
//   (selectFrom, insertInto, updateTable, deleteFrom), opens a transaction or uses the sql tag;
// - workers/match, workers/classify and workers/policy are pure: nothing from server/, no database.
const ROOT = path.resolve(import.meta.dirname, '../..');
const DIRS = ['server', 'workers', 'bench', 'bin'];
const SQL =
  /from ['"](kysely|pg)['"]|\.(selectFrom|insertInto|updateTable|deleteFrom|selectNoFrom)\(|\.transaction\(\)|\bsql`|\bsql<[^>]*>`/;

function sources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');
const all = DIRS.flatMap((d) => sources(path.join(ROOT, d))).map(rel);
const text = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

test('only server/db touches SQL', () => {
  expect(all.length).toBeGreaterThan(100);
  expect(all.filter((f) => !f.startsWith('server/db/') && SQL.test(text(f)))).toEqual([]);
});

test('match, classify and policy are pure: nothing from server/, no database', () => {
  const pure = all.filter((f) => /^workers\/(match|classify|policy)\//.test(f));
  expect(pure.length).toBeGreaterThan(20);
  const bad = pure.filter(
    (f) => /from ['"](\.\.\/)+server\//.test(text(f)) || /from ['"](kysely|pg)['"]/.test(text(f)) || SQL.test(text(f)),
  );
  expect(bad).toEqual([]);
});
