import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parseFeed } from '../../workers/feeds/parseFeed.ts';
import { CollectError } from '../../workers/collectors/types.ts';
import { decodeBody } from '../../workers/http/decode.ts';

// The robustness gate: ~4,800 real and malformed feeds from three feed-parser test suites.
// Every one must parse or fail with a CollectError (a message a user can read), never crash,
// and feeds that contain entries must yield them (at least 99% of them).
const root = path.resolve(process.env.KLANKBORD_SHARED_DIR ?? '../shared', 'corpora/feeds');
if (!fs.existsSync(root) && process.env.CI)
  throw new Error(`Feed corpus missing at ${root}; CI expects shared/ beside the clone`);

function feedFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) feedFiles(p, out);
    else if (p.endsWith('.xml') || (p.endsWith('.json') && !p.includes(`${path.sep}gofeed${path.sep}`))) out.push(p);
  }
  return out;
}

test.skipIf(!fs.existsSync(root))(
  'parses every corpus feed or fails with a readable error',
  { timeout: 120_000 },
  async () => {
    const files = feedFiles(root);
    expect(files.length).toBeGreaterThan(4000);
    const unexpected: string[] = [];
    let withEntries = 0;
    let found = 0;
    for (const file of files) {
      const text = decodeBody(fs.readFileSync(file));
      const hasEntries = /<item[\s>]|<entry[\s>]/.test(text);
      if (hasEntries) withEntries++;
      try {
        const items = await parseFeed(text, 'https://example.org/feed');
        if (hasEntries && items.length) found++;
        for (const item of items) {
          expect(typeof item.externalId).toBe('string');
          expect(typeof item.text).toBe('string');
        }
      } catch (err) {
        if (!(err instanceof CollectError)) unexpected.push(`${path.relative(root, file)}: ${(err as Error).message}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(found / withEntries).toBeGreaterThanOrEqual(0.99);
  },
);

test.skipIf(!fs.existsSync(root))('matches gofeed’s expected item fields for at least 95% of its checks', async () => {
  const { gofeedFieldScore } = await import('../support/gofeedFields.ts');
  const r = await gofeedFieldScore(root);
  expect(r.total).toBeGreaterThan(25);
  expect(r.matched / r.total, r.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
});
