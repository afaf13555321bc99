import { expect, test } from 'vitest';
import { ConfigFileError, parseBoardFile } from '../../server/actions/boardFile.ts';

const valid = `board: { slug: edu-ley, name: Edu-Ley, policy: edu-ley }
schools:
  - slug: meander
    name: obs Meander
    aliases: ["De Meander"]
    facts: ["De ouderbijdrage is vrijwillig."]
sources:
  - { kind: rss, url: "https://example.nl/feed.xml", school: meander }
`;

function problems(text: string): string[] {
  try {
    parseBoardFile(text);
  } catch (err) {
    if (err instanceof ConfigFileError) return err.problems;
    throw err;
  }
  return [];
}

test('accepts a valid board file', () => {
  const f = parseBoardFile(valid);
  expect(f.schools[0]).toMatchObject({ slug: 'meander', aliases: ['De Meander'] });
  expect(f.sources[0]).toMatchObject({ kind: 'rss', school: 'meander' });
});

test('names the line of an unknown key', () => {
  const p = problems(valid.replace('    facts:', '    colour: red\n    facts:'));
  expect(p).toEqual([expect.stringMatching(/^regel 6: .*onbekende sleutel \(colour\)/)]);
});

test('names the line of a bad slug', () => {
  expect(problems(valid.replace('slug: meander', 'slug: Meander School'))[0]).toMatch(/^regel 3: .*slug/);
});

test('refuses duplicate schools', () => {
  const dup = valid.replace('sources:', '  - slug: meander\n    name: Nog een\nsources:');
  expect(problems(dup)).toEqual([expect.stringMatching(/^regel 7: school "meander" staat er twee keer in/)]);
});

test('refuses a source kind that does not exist', () => {
  expect(problems(valid.replace('kind: rss', 'kind: myspace'))[0]).toMatch(/^regel 8: onbekende bronsoort "myspace"/);
});

test('refuses a source for a school that is not in the file', () => {
  expect(problems(valid.replace('school: meander }', 'school: elders }'))[0]).toMatch(/regel 8: school "elders"/);
});

test('reports YAML syntax errors with their line', () => {
  expect(problems('board: { slug: x\nschools: [')[0]).toMatch(/^regel \d+:/);
});

test('search sources need a query and no url; feed sources need a url', () => {
  const withSources = (sources: string) => valid.replace(/sources:\n[\s\S]*$/, `sources:\n${sources}`);
  expect(
    parseBoardFile(withSources('  - { kind: google_news, query: \'"obs Meander"\', school: meander }\n')).sources[0],
  ).toMatchObject({ kind: 'google_news', query: '"obs Meander"' });
  expect(problems(withSources('  - { kind: bing_news }\n'))[0]).toMatch(
    /regel 8: een bing_news-bron heeft een zoekopdracht nodig/,
  );
  expect(problems(withSources('  - { kind: google_news, query: x, url: "https://x.nl/" }\n'))[0]).toMatch(
    /krijgt geen url/,
  );
  expect(problems(withSources('  - { kind: google_alerts }\n'))[0]).toMatch(/google_alerts-bron heeft een url nodig/);
});

test('Mastodon sources need an instance and a tag or account', () => {
  const withSources = (sources: string) => valid.replace(/sources:\n[\s\S]*$/, `sources:\n${sources}`);
  expect(
    parseBoardFile(withSources('  - { kind: mastodon_tag, instance: "https://mastodon.nl", tag: obsmeander }\n'))
      .sources[0],
  ).toMatchObject({ tag: 'obsmeander' });
  expect(problems(withSources('  - { kind: mastodon_tag, tag: obsmeander }\n'))[0]).toMatch(/heeft instance nodig/);
  expect(problems(withSources('  - { kind: mastodon_account, instance: "https://mastodon.nl" }\n'))[0]).toMatch(
    /heeft account nodig/,
  );
});

test('Reddit sources need a subreddit or a query', () => {
  const withSources = (sources: string) => valid.replace(/sources:\n[\s\S]*$/, `sources:\n${sources}`);
  expect(parseBoardFile(withSources('  - { kind: reddit, subreddit: amersfoort }\n')).sources[0]).toMatchObject({
    subreddit: 'amersfoort',
  });
  expect(problems(withSources('  - { kind: reddit }\n'))[0]).toMatch(
    /reddit-bron heeft een subreddit of een zoekopdracht nodig/,
  );
});
