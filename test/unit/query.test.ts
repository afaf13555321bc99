import { describe, expect, test } from 'vitest';
import { defaultQuery, shortName } from '../../workers/match/defaults.ts';
import { evaluate, prepare, test as holds, type Post } from '../../workers/match/evaluate.ts';
import { itemMatcher } from '../../workers/match/board.ts';
import { MatcherIndex } from '../../workers/match/index.ts';
import { parseQuery, QueryError } from '../../workers/match/query.ts';
import { asciiView, scanTokens, tokenize } from '../../workers/match/tokens.ts';

const matches = (query: string, post: Post | string) =>
  !!evaluate(parseQuery(query), prepare(typeof post === 'string' ? { text: post } : post));

describe('Dutch text', () => {
  test('case and diacritics are folded', () => {
    expect(matches('Ëmmen', 'Feest in emmen')).toBe(true);
    expect(matches('"Sint Jozef"', 'De SINT JÓZEF school')).toBe(true);
  });
  test('hyphenated compounds contain their parts; Edu-Ley stays one name', () => {
    expect(matches('Scala', 'Scala-leerlingen winnen de debatwedstrijd')).toBe(true);
    expect(matches('"Scala leerlingen"', 'Scala-leerlingen winnen')).toBe(true);
    expect(matches('Edu-Ley', 'Stichting Edu-Ley opent een school')).toBe(true);
    expect(matches('Edu-Ley', 'Edu en Ley zijn namen')).toBe(false);
  });
  test("apostrophes: school's, auto's", () => {
    expect(matches('school', "De school's plein is nieuw")).toBe(true);
    expect(matches('auto', "Veel auto's bij de ingang")).toBe(true);
  });
  test('hashtags and handles are their own tokens; URLs stay whole', () => {
    expect(matches('#obsmeander', 'Mooie dag #ObsMeander')).toBe(true);
    expect(matches('#obsmeander', 'Mooie dag obsmeander')).toBe(false);
    expect(matches('obsmeander', 'Mooie dag #obsmeander')).toBe(true);
    expect(matches('@demeander', 'Dank @demeander@mastodon.nl!')).toBe(true);
    expect(matches('meander', 'Zie https://example.nl/meander/nieuws')).toBe(false);
  });
  test('namesakes are excluded, the school is found', () => {
    const q = '"De Meander" NEAR/5 (school OR juf OR groep OR ouders) NOT ("Meander Medisch Centrum" OR MMC)';
    expect(matches(q, 'Juf Anna van De Meander organiseert een voorleesochtend')).toBe(true);
    expect(matches(q, 'Het Meander Medisch Centrum zoekt ouders voor onderzoek naar De Meander')).toBe(false);
    expect(matches(q, 'De Meander is een rivier met een school vissen')).toBe(false); // six words apart: not NEAR/5
    expect(matches(q, 'De Meander is een rivier met school')).toBe(true); // five: NEAR only narrows
    expect(matches('Scala NOT opera', 'Scala opera speelt Verdi')).toBe(false);
  });
  test('tokenizing keeps offsets into the original text', () => {
    const text = 'Ouders van Ëmma-school zijn blij';
    for (const t of tokenize(text))
      expect(text.slice(t.start, t.end).toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')).toBe(t.t);
  });
});

describe('the language', () => {
  test('AND, OR, NOT, -term, implicit AND, parentheses, Dutch EN/OF/NIET', () => {
    expect(matches('juf AND meester', 'de juf en de meester')).toBe(true);
    expect(matches('juf meester', 'de juf')).toBe(false);
    expect(matches('juf OR meester', 'de meester')).toBe(true);
    expect(matches('juf -meester', 'de juf en de meester')).toBe(false);
    expect(matches('(juf OF meester) NIET ziek', 'de meester is ziek')).toBe(false);
    expect(matches('juf EN (ziek OR afwezig)', 'juf afwezig')).toBe(true);
  });
  test('NEAR/n either order, ONEAR/n in order', () => {
    expect(matches('juf NEAR/3 ziek', 'ziek is de juf')).toBe(true);
    expect(matches('juf NEAR/1 ziek', 'ziek is de juf')).toBe(false);
    expect(matches('juf ONEAR/3 ziek', 'ziek is de juf')).toBe(false);
    expect(matches('juf ONEAR/3 ziek', 'de juf is ziek')).toBe(true);
    expect(matches('"De Meander" NEAR/2 juf', 'juf van De Meander')).toBe(true);
  });
  test('wildcards: leerling* and l?raar', () => {
    expect(matches('leerling*', 'Alle leerlingen gaan mee')).toBe(true);
    expect(matches('l??raar', 'De leraar is er')).toBe(false);
    expect(matches('l?raar', 'De leraar is er')).toBe(true);
  });
  test('fields: title, author, site, lang, source', () => {
    const post: Post = {
      title: 'Nieuws uit Amersfoort',
      text: 'De Meander viert feest',
      author: 'Redactie NOS',
      url: 'https://www.nos.nl/artikel/1',
      lang: 'nl',
      source: 'rss',
    };
    expect(matches('title:Amersfoort', post)).toBe(true);
    expect(matches('title:Meander', post)).toBe(false);
    expect(matches('author:nos', post)).toBe(true);
    expect(matches('site:nos.nl Meander', post)).toBe(true);
    expect(matches('site:nu.nl Meander', post)).toBe(false);
    expect(matches('lang:nl source:rss', post)).toBe(true);
    expect(matches('Meander source:mastodon_tag', post)).toBe(false);
  });
  test('spans point at what matched; clauses say why', () => {
    const hit = evaluate(parseQuery('"De Meander" OR juf'), prepare({ title: 'Juf!', text: 'Bij De Meander' }))!;
    expect(hit.spans).toEqual([
      { field: 'title', start: 0, end: 3 },
      { field: 'text', start: 4, end: 14 },
    ]);
    expect(hit.clauses.sort()).toEqual(['"De Meander"', 'juf']);
  });
  test('errors are precise and in Dutch', () => {
    const err = (q: string) => {
      try {
        parseQuery(q);
      } catch (e) {
        expect(e).toBeInstanceOf(QueryError);
        return (e as Error).message;
      }
      return 'geen fout';
    };
    expect(err('"De Meander" AND (juf OR meester')).toBe('Haakje niet gesloten bij positie 18');
    expect(err('juf AND')).toMatch(/^Na AND ontbreekt een zoekterm bij positie/);
    expect(err('"De Meander')).toBe('Aanhalingsteken niet gesloten bij positie 1');
    expect(err('juf NEAR ziek')).toMatch(/NEAR heeft een afstand nodig, zoals NEAR\/5/);
    // a distance left out or not a number is an error with its place, not a search for the word "near"
    expect(err('"obs De Meander" NEAR/ juf')).toBe(
      'NEAR heeft een afstand in woorden nodig, zoals NEAR/5 bij positie 18',
    );
    expect(err('juf ONEAR/x ziek')).toMatch(/^ONEAR heeft een afstand in woorden nodig, zoals ONEAR\/5 bij positie 5/);
    expect(err('kleur:rood')).toMatch(/Onbekend veld "kleur:"/);
    expect(err('NOT juf')).toMatch(/alleen uit uitsluitingen/);
    expect(err('juf) OR meester')).toBe('Haakje sluiten zonder haakje openen bij positie 4');
    expect(err('')).toBe('Lege zoekopdracht bij positie 1');
    expect(err('le*ling')).toMatch(/\* mag alleen aan het eind/);
  });
});

// Property tests over random queries and posts from a small vocabulary (seeded, so repeatable).
describe('properties', () => {
  const WORDS = ['juf', 'meester', 'school', 'meander', 'ziek', 'feest', 'de', 'ouders', 'groep', 'scala'];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const randomQuery = (depth = 0): string => {
    const r = rand();
    if (depth > 2 || r < 0.4) return rand() < 0.2 ? `"${pick(WORDS)} ${pick(WORDS)}"` : pick(WORDS);
    if (r < 0.6) return `(${randomQuery(depth + 1)} OR ${randomQuery(depth + 1)})`;
    if (r < 0.8) return `(${randomQuery(depth + 1)} AND ${randomQuery(depth + 1)})`;
    if (r < 0.9) return `(${pick(WORDS)} NEAR/${1 + Math.floor(rand() * 4)} ${pick(WORDS)})`;
    return `(${randomQuery(depth + 1)} NOT ${randomQuery(depth + 1)})`;
  };
  const randomPost = () => Array.from({ length: 3 + Math.floor(rand() * 10) }, () => pick(WORDS)).join(' ');
  const cases = Array.from({ length: 400 }, () => ({ a: randomQuery(), b: randomQuery(), post: randomPost() }));

  test('A OR B matches exactly what A or B matches', () => {
    for (const { a, b, post } of cases)
      expect(matches(`(${a}) OR (${b})`, post), `${a} | ${b} | ${post}`).toBe(matches(a, post) || matches(b, post));
  });
  test('A AND B matches exactly what both match', () => {
    for (const { a, b, post } of cases)
      expect(matches(`(${a}) AND (${b})`, post)).toBe(matches(a, post) && matches(b, post));
  });
  test('NOT never adds matches', () => {
    for (const { a, b, post } of cases) if (matches(`(${a}) NOT (${b})`, post)) expect(matches(a, post)).toBe(true);
  });
  test('the quick yes/no agrees with the full evaluation', () => {
    for (const { a, post } of cases) expect(holds(parseQuery(a), prepare({ text: post }))).toBe(matches(a, post));
  });
  test('the index finds exactly what evaluating every query finds', () => {
    const index = new MatcherIndex();
    const queries = cases.slice(0, 150).map((c, i) => ({ id: String(i), q: parseQuery(c.a) }));
    for (const q of queries) index.set({ id: q.id, boardId: 'b', query: q.q });
    for (const [i, { post }] of cases.entries()) {
      // Some posts get a title, some an accent (the slow path); spans must agree too.
      const p: Post =
        i % 3 === 0
          ? { title: cases[(i + 1) % cases.length].post, text: post }
          : { text: i % 5 === 0 ? `${post} één` : post };
      const expected = queries
        .map((q) => ({ id: q.id, hit: evaluate(q.q, prepare(p)) }))
        .filter((x) => x.hit)
        .map((x) => ({ id: x.id, spans: x.hit!.spans }));
      const got = index.match(p).map((h) => ({ id: h.id, spans: h.spans }));
      expect(got.sort((a, b) => Number(a.id) - Number(b.id))).toEqual(
        expected.sort((a, b) => Number(a.id) - Number(b.id)),
      );
      // Without explanations the index may skip testing simple queries it verified in the scan.
      expect(
        index
          .match(p, { explain: false })
          .map((h) => h.id)
          .sort(),
      ).toEqual(expected.map((x) => x.id).sort());
    }
  });
  test('the prefilter scan sees the same tokens as the tokenizer', () => {
    const chars = "ab-'#@ .:/htps_x1`,éË";
    for (let k = 0; k < 3000; k++) {
      const s = Array.from({ length: Math.floor(rand() * 24) }, () => pick([...chars])).join('');
      const seen: string[] = [];
      scanTokens(s, (t) => seen.push(t));
      expect(seen).toEqual(tokenize(s).map((t) => t.t));
    }
  });
  test("the raw screen's ASCII view of a text has every token the tokenizer gives", () => {
    const chars = "ab-'#@ .:/htps_x1`,éËﬁ’‐\u00a0😀✓\u2028";
    let viewed = 0;
    for (let k = 0; k < 3000; k++) {
      const s = Array.from({ length: Math.floor(rand() * 24) }, () => pick([...chars])).join('');
      const view = asciiView(s);
      if (view === null) continue;
      viewed++;
      const seen = new Set<string>();
      scanTokens(view, (t) => seen.add(t));
      for (const t of tokenize(s)) expect(seen, JSON.stringify(s)).toContain(t.t);
    }
    expect(viewed).toBeGreaterThan(1000);
    expect(asciiView('Straße')).toBeNull();
    expect(asciiView('Sint‐Jozef')).toBeNull();
    expect(asciiView('Ruïne 😀 ’s')).toBe("Ruine \x01 's");
  });
});

describe('a post’s language', () => {
  const school = (query: string | null) => ({ id: '1', name: 'De Meander', aliases: [], place: 'Emmen', query });
  const english = { title: '', text: 'The kids at De Meander had a great day at the zoo with their teachers.' };
  const dutch = { title: '', text: 'De kinderen van De Meander hadden een mooie dag in de dierentuin.' };

  test('is worked out only when a query or an exclusion list asks for it, with the same hits', () => {
    const index = new MatcherIndex();
    index.set({ id: '1', boardId: 'b', query: parseQuery('meander') });
    expect(index.asksLanguage).toBe(false);
    index.set({ id: '2', boardId: 'b', query: parseQuery('meander lang:en') });
    expect(index.asksLanguage).toBe(true);
    index.set({ id: '2', boardId: 'b', query: parseQuery('meander') }); // the same school, its query changed
    expect(index.asksLanguage).toBe(false);
    index.set({ id: '2', boardId: 'b', query: parseQuery('meander taal:nl') });
    index.delete('2');
    expect(index.asksLanguage).toBe(false);
    index.setExclusion('b', parseQuery('dierentuin OR taal:nl'));
    expect(index.asksLanguage).toBe(true);
    index.setExclusion('b', null);
    expect(index.asksLanguage).toBe(false);
    index.set({ id: '3', boardId: 'b', query: parseQuery('(meander OR jozef) (zoo OR NOT lang:en)') });
    expect(index.asksLanguage).toBe(true);
  });

  test('still decides a query that asks for it, and one board’s exclusion of a language', () => {
    const asking = itemMatcher([school('"De Meander" lang:en')], null, 'b');
    expect(asking({ ...english, externalId: 'e' } as never, 'rss').map((h) => h.schoolId)).toEqual(['1']);
    expect(asking({ ...dutch, externalId: 'd' } as never, 'rss')).toEqual([]);
    const excluding = itemMatcher([school(null)], parseQuery('lang:en'), 'b');
    expect(excluding({ ...english, externalId: 'e' } as never, 'rss')).toEqual([]);
    expect(excluding({ ...dutch, externalId: 'd' } as never, 'rss').map((h) => h.schoolId)).toEqual(['1']);
    const plain = itemMatcher([school(null)], null, 'b');
    expect(plain({ ...english, externalId: 'e' } as never, 'rss').map((h) => h.schoolId)).toEqual(['1']);
    expect(plain({ ...dutch, externalId: 'd' } as never, 'rss').map((h) => h.schoolId)).toEqual(['1']);
  });
});

describe('default queries', () => {
  test('name and aliases as phrases, the short name only near school words or the place', () => {
    expect(shortName('obs De Meander')).toBe('De Meander');
    expect(shortName('St. Jozefschool')).toBe('Jozefschool');
    const q = defaultQuery({ name: 'obs De Meander', aliases: ['Meanderschool', '#obsmeander'], place: 'Amersfoort' });
    expect(q).toContain('"obs De Meander" OR "Meanderschool" OR #obsmeander OR ("De Meander" NEAR/5 (school OR');
    expect(q).toContain('"Amersfoort"');
    expect(matches(q, 'Voorleesfeest op De Meander, alle ouders welkom')).toBe(true);
    expect(matches(q, 'De Meander is een bocht in een rivier')).toBe(false);
    expect(matches(q, 'Mooie dag #obsmeander')).toBe(true);
  });
});
