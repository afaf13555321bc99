import { expect, test } from 'vitest';
import { countTerms, themeTerms } from '../../workers/stats/themes.ts';
import { distinctive } from '../../server/overview/themes.ts';

// Themes are what posts are about: word stems and phrases, never people, feelings or the school's name.
test('plural and singular are one theme, shown as written; phrases stay within a sentence', () => {
  const a = themeTerms('De invallers komen niet opdagen. Schoolreis gaat niet door.', ['obs De Meander']);
  const b = themeTerms('Weer een invaller voor groep 6!', ['obs De Meander']);
  expect(a.get('invaller')).toBe('invallers');
  expect(b.get('invaller')).toBe('invaller');
  expect([...a.keys()]).not.toContain('opdag schoolreis');
  expect(countTerms([a, b]).find((t) => t.term === 'invaller')).toMatchObject({ mentions: 2 });
});

test('names of people, feeling words and the school’s own name are no theme', () => {
  const t = themeTerms('Gisteren heeft meester Pieterse van De Meander fantastisch lesgegeven over vulkanen.', [
    'obs De Meander',
    'De Meander',
  ]);
  expect([...t.values()]).not.toContain('pieterse');
  expect([...t.values()]).not.toContain('meander');
  expect([...t.values()]).not.toContain('fantastisch');
  expect([...t.values()]).toContain('vulkanen');
});

test('a theme is said more often per day than in the weeks before, in at least two posts', () => {
  const now = [
    { term: 'lesuitval', label: 'lesuitval', mentions: 4 },
    { term: 'gym', label: 'gym', mentions: 2 },
    { term: 'ouderavond', label: 'ouderavond', mentions: 1 },
  ];
  const found = distinctive(
    now,
    new Map([
      ['lesuitval', 1],
      ['gym', 6],
    ]),
    { now: 28, before: 84 },
  );
  expect(found.map((t) => t.label)).toEqual(['lesuitval']);
});
