import fs from 'node:fs';
import path from 'node:path';
import { parseFeed } from '../../workers/feeds/parseFeed.ts';
import { decodeBody } from '../../workers/http/decode.ts';

type Expected = {
  title?: string;
  link?: string;
  guid?: string;
  published?: string;
  publishedParsed?: string;
  author?: { name?: string; email?: string };
};

// gofeed's translator pairs: a feed and the universal item fields gofeed expects from it. We
// compare the fields we keep — title, link, id, published time and author — one by one.
export async function gofeedFieldScore(root: string) {
  const dir = path.join(root, 'gofeed/testdata/translator');
  let total = 0;
  let matched = 0;
  const misses: string[] = [];
  for (const kind of ['rss', 'atom', 'json']) {
    for (const f of fs
      .readdirSync(path.join(dir, kind))
      .filter((n) => n.endsWith('.json') && !n.endsWith('.json.json'))) {
      const input = [`${f.slice(0, -5)}.xml`, `${f.slice(0, -5)}.json.json`]
        .map((n) => path.join(dir, kind, n))
        .find((p) => fs.existsSync(p));
      if (!input) continue;
      const expected = JSON.parse(fs.readFileSync(path.join(dir, kind, f), 'utf8')) as { items?: Expected[] };
      const want = expected.items?.[0];
      if (!want) continue;
      let got;
      try {
        got = (await parseFeed(decodeBody(fs.readFileSync(input)), 'http://example.org/'))[0];
      } catch {
        got = undefined;
      }
      const check = (name: string, ok: boolean) => {
        total++;
        if (ok) matched++;
        else misses.push(`${kind}/${f}: ${name}`);
      };
      if (want.title !== undefined) check('title', got?.title === want.title.trim());
      if (want.link !== undefined)
        check(
          'link',
          !!got?.url && (got.url === want.link || got.url === new URL(want.link, 'http://example.org/').toString()),
        );
      if (want.guid !== undefined) check('guid', got?.externalId === want.guid);
      const date = want.publishedParsed ?? want.published;
      if (date !== undefined && !Number.isNaN(new Date(date).getTime()))
        check('published', got?.publishedAt?.getTime() === new Date(date).getTime());
      const author = want.author?.name ?? want.author?.email;
      if (author) check('author', !!got?.author?.includes(author));
    }
  }
  return { total, matched, misses };
}
