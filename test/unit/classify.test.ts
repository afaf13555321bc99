import { expect, test } from 'vitest';
import { classifyLine } from '../../server/cli/classify.ts';
import { classify } from '../../workers/classify/index.ts';

test('follows the classify output contract', () => {
  const out = JSON.parse(classifyLine(JSON.stringify({ id: 'a1', text: 'Bel me op 06-12345678 over de schoolreis' }))!);
  expect(Object.keys(out)).toEqual(['id', 'language', 'sentiment', 'risks', 'actions']);
  expect(out.id).toBe('a1');
  expect(['positive', 'neutral', 'negative']).toContain(out.sentiment.label);
  expect(out.sentiment.score).toBeGreaterThanOrEqual(-1);
  expect(out.risks[0]).toMatchObject({
    type: 'personal_data',
    subtype: 'phone',
    evidence: [{ start: 10, end: 21, text: '06-12345678' }],
  });
  expect(out.actions).toEqual([]);
});

test('reports a malformed line and goes on', () => {
  expect(JSON.parse(classifyLine('{not json')!)).toEqual({ id: null, error: expect.stringContaining('JSON') });
  expect(JSON.parse(classifyLine('{"id":7}')!)).toEqual({ id: 7, error: expect.stringContaining('text') });
  expect(JSON.parse(classifyLine('[1,2]')!).error).toBeTruthy();
  expect(classifyLine('   ')).toBeUndefined();
  expect(JSON.parse(classifyLine(JSON.stringify({ id: 'big', text: 'a'.repeat(100_001) }))!).error).toContain('langer');
});

test('labels clearly positive and negative Dutch posts', () => {
  expect(classify('Wat een fantastische school, goede leraren en een fijne sfeer!').sentiment.label).toBe('positive');
  expect(classify('Slechte communicatie en veel lesuitval, ik ben boos en teleurgesteld').sentiment.label).toBe(
    'negative',
  );
});

test('detects Dutch and English', () => {
  expect(classify('De kinderen van groep 8 zijn op schoolreis geweest').language).toBe('nl');
  expect(classify('The teachers at this school are really great').language).toBe('en');
});

test('finds phone numbers and e-mail addresses with exact offsets', () => {
  const text = 'Mail juf.anna@example.nl of bel +31 6 1234 5678 of 020-1234567.';
  const risks = classify(text).risks;
  const spans = risks.flatMap((r) => r.evidence.map((e) => text.slice(e.start, e.end)));
  expect(spans).toEqual(['+31 6 1234 5678', '020-1234567', 'juf.anna@example.nl']);
  expect(classify('Groep 8 haalde 1234567 euro op in 2024').risks).toEqual([]);
});

test('is deterministic', () => {
  const text = 'Geweldige musical van groep 8, bel 0612345678';
  expect(classify(text)).toEqual(classify(text));
});
