import { expect, test } from 'vitest';
import { compileMatcher } from '../../workers/match/matchV1.ts';

const match = compileMatcher([
  { id: '1', name: 'obs De Meander', aliases: ['De Meander', '#obsmeander'] },
  { id: '2', name: 'St. Jozefschool', aliases: ['Jozefschool'] },
  { id: '3', name: 'Café Zoë', aliases: [] },
]);

test('finds a school by name or alias, ignoring case', () => {
  expect(match('Feest op DE MEANDER vandaag')).toEqual([{ schoolId: '1', matched: ['De Meander'] }]);
  expect(match('Trots op #obsmeander')).toEqual([{ schoolId: '1', matched: ['#obsmeander'] }]);
});

test('matches on word boundaries only', () => {
  expect(match('De Meanderschool en de Jozefschoolstraat')).toEqual([]);
  expect(match('Meander Medisch Centrum opent spoedpost')).toEqual([]);
});

test('ignores diacritics on both sides', () => {
  expect(match('cafe zoe is open')).toEqual([{ schoolId: '3', matched: ['Café Zoë'] }]);
});

test('reports every school a post mentions', () => {
  expect(match('De Meander en de Jozefschool').map((m) => m.schoolId)).toEqual(['1', '2']);
});

test('does not treat regex characters in names as patterns', () => {
  expect(match('St? Jozefschool')).toEqual([{ schoolId: '2', matched: ['Jozefschool'] }]);
  expect(match('Stx Jozefschool')[0].matched).toEqual(['Jozefschool']);
});
