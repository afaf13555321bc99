import { expect, test } from 'vitest';
import { frameTime, parseFrame, readFrame } from '../../workers/collectors/blueskyJetstream.ts';
import { BSKY_SITE, JETSTREAM_KIND } from '../../workers/collectors/blueskyJetstream.ts';
import { deploymentMatcher } from '../../workers/match/board.ts';

// The stream passes over frames without parsing them when no school's anchor word occurs in them
// (issue 18: events per second). The screen must never pass over a frame the full path would match.

const schools = [
  { id: '1', boardId: '1', name: 'obs De Meander', aliases: ['#meanderschool'], place: 'Leiden', query: null },
  { id: '2', boardId: '1', name: 'Sint-Jozefschool', aliases: [], place: 'Delft', query: null },
  { id: '3', boardId: '2', name: 'cbs De Ruïne', aliases: ['Ruïneschool'], place: 'Gouda', query: null },
  { id: '4', boardId: '2', name: 'IKC Het Kompas', aliases: [], place: 'Zwolle', query: '"Kompas" NEAR/3 Zwolle' },
];
const boards = [
  { id: '1', exclusions: null },
  { id: '2', exclusions: null },
];
const matcher = deploymentMatcher(schools, boards, JETSTREAM_KIND);

// JSON.stringify leaves non-ASCII as it is; some servers escape it, which must not hide a name either.
const escapeAll = (json: string) =>
  json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const frame = (i: number, text: string, asciiOnly = false) => {
  const json = JSON.stringify({
    did: `did:plc:user${i}`,
    time_us: 1_725_911_162_000_000 + i,
    kind: 'commit',
    commit: {
      rev: `3l${i}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: `3lrkey${i}`,
      record: { $type: 'app.bsky.feed.post', createdAt: '2024-09-09T19:46:02.102Z', langs: ['nl'], text },
      cid: 'bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi',
    },
  });
  return asciiOnly ? escapeAll(json) : json;
};

const about = [
  'Wat een mooie musical van obs De Meander!',
  'Gisteren:\nobs De Meander\twon de voetbalcup',
  'Citaat: "obs De Meander" is de beste 😀',
  'Open dag #meanderschool zaterdag',
  'Juf van de Sint-Jozefschool\nheeft een prijs',
  'Het dak van cbs De Ruïne lekt weer',
  'RUÏNESCHOOL\r\nsluit eerder vandaag',
  'Kompas in Zwolle: nieuwe directeur',
  'kijk https://nieuws.example.nl/meander en obs De Meander',
  'Leerlingen van obs de meander\\zingen',
];
const other = [
  'Het weer wordt morgen zonnig en warm in heel het land',
  'Mooie zonsondergang 🌅 vanavond aan zee',
  'Café “De Zwaan” heeft nieuwe eigenaren',
  'Kompasnaald kapot, iemand een tip?',
];

test('never passes over a frame the full parse and match would find a school in', () => {
  let checked = 0;
  for (const [i, text] of [...about, ...other].entries())
    for (const asciiOnly of [false, true]) {
      const raw = frame(i, text, asciiOnly);
      const full = parseFrame(raw);
      if (full.bad || !full.post) throw new Error(`not a post: ${raw}`);
      const hits = matcher.match({ text: full.post.text, author: full.post.did, url: BSKY_SITE, lang: full.post.lang });
      if (hits.size) {
        expect(matcher.couldMatchText(raw), text).toBe(true);
        expect(readFrame(raw, matcher.couldMatchText)).toEqual(full);
        checked++;
      }
    }
  expect(checked).toBe(2 * about.length);
});

test('passes over frames that name no school, reading only their time', () => {
  for (const [i, text] of other.entries())
    for (const asciiOnly of [false, true]) {
      const raw = frame(i, text, asciiOnly);
      expect(matcher.couldMatchText(raw), text).toBe(false);
      expect(readFrame(raw, matcher.couldMatchText)).toEqual({
        bad: false,
        timeUs: 1_725_911_162_000_000 + i,
        post: null,
        screened: true,
      });
    }
});

test("a frame's time is read without parsing only when it is certain", () => {
  expect(frameTime('{"did":"did:plc:a","time_us":1725911162329308,"kind":"identity"}')).toBe(1725911162329308);
  expect(frameTime('{"time_us":42}')).toBe(42);
  // a post's own record may carry any key: two of them leave it to the parser
  expect(frameTime('{"time_us":5,"commit":{"record":{"time_us":9}}}')).toBeNull();
  for (const bad of [
    '{"did":"did:plc:a","time_us":',
    '{"time_us": 5}',
    '{"time_us":-5}',
    '{"time_us":0}',
    '{"time_us":99999999999999999}',
    '{"time_us":12a}',
    '["time_us":5]',
    'geen json',
    '',
  ])
    expect(frameTime(bad), bad).toBeNull();
  // spaces around a "text" key's colon: parsed whole; "text" as a value is no text
  expect(
    readFrame('{"time_us":5,"commit":{"record":{"text" : "obs De Meander"}}}', matcher.couldMatchText),
  ).not.toHaveProperty('screened');
  expect(
    readFrame('{"time_us":5,"kind":"text","commit":{"record":{"text":"Zonnig weer"}}}', matcher.couldMatchText),
  ).toMatchObject({ screened: true });
  expect(
    readFrame(
      '{"time_us":5,"commit":{"record":{"text":"Zon \\"text\\":\\"x","alt":"obs De Meander"}}}',
      matcher.couldMatchText,
    ),
  ).toMatchObject({ screened: true });
  // a frame without a time is still reported as bad by the parser, even when it names no school
  expect(readFrame('{"kind":"commit"}', () => false)).toMatchObject({ bad: true, reason: 'no time_us' });
});

test('a query the text alone cannot rule out turns the screen off', () => {
  for (const query of ['author:obsnoord', 'lang:nl AND weer', 'noord*']) {
    const m = deploymentMatcher(
      [{ id: '9', boardId: '1', name: 'obs Noord', aliases: [], place: null, query }],
      [{ id: '1', exclusions: null }],
      JETSTREAM_KIND,
    );
    expect(m.couldMatchText(frame(1, 'Het weer wordt morgen zonnig')), query).toBe(true);
  }
  expect(matcher.couldMatchText(frame(1, 'Het weer wordt morgen zonnig'))).toBe(false);
});
