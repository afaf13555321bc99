import { expect, test } from 'vitest';
import { appendNew, openCaseFor, setOf, type OpenCase } from '../../workers/cases/assign.ts';

// A batch follows its open cases in memory: keys and words are appended in place, and the sets a
// post is checked against follow the lists they were made from.
test('appendNew keeps a list as [...new Set([...list, ...more])] would, in place, and its set follows', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const word = () => `w${Math.floor(rand() * 40)}`;
  const list = [word(), word()];
  let expected = [...new Set(list)];
  list.splice(0, list.length, ...expected);
  for (let round = 0; round < 200; round++) {
    const more = Array.from({ length: Math.floor(rand() * 5) }, word); // duplicates included
    expected = [...new Set([...expected, ...more])];
    appendNew(list, more);
    expect(list).toEqual(expected);
    expect([...setOf(list)].sort()).toEqual([...expected].sort());
  }
  // a push by anyone else is seen too
  list.push('nieuw');
  expect(setOf(list).has('nieuw')).toBe(true);
});

test('a post joins the open case that shares one of its thread keys, also a key appended in the batch', () => {
  const at = new Date('2026-03-10T10:00:00Z');
  const open = (id: string, keys: string[]): OpenCase => ({
    id,
    state: 'nieuw',
    severity: 'low',
    topic_words: [],
    thread_keys: keys,
    last_mention_at: at,
    created_at: at,
  });
  const cases = [open('1', ['a', 'b']), open('2', ['c'])];
  const post = (keys: string[]) => ({ kind: 'concern', keys, words: ['x'], at, now: at });
  expect(openCaseFor(cases, post(['z', 'c']))?.id).toBe('2');
  expect(openCaseFor(cases, post(['d']))).toBeUndefined();
  appendNew(cases[0]!.thread_keys, ['d']);
  expect(openCaseFor(cases, post(['d']))?.id).toBe('1');
});

test('topic words stem a word the same way whether or not another post came first', async () => {
  const { topicWords } = await import('../../workers/cases/discussion.ts');
  // natural's Dutch stemmer strips "-bar" only after some word lost a final -e (a flag it keeps)
  const first = topicWords('De kantinebar is weer dicht.');
  topicWords('Een lange rij bij de kantine.');
  expect(topicWords('De kantinebar is weer dicht.')).toEqual(first);
  expect(first).toContain('kantine');
});
