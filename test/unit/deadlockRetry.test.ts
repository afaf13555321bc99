import { expect, test } from 'vitest';
import { againAfterDeadlock } from '../../workers/pipeline.ts';

// A batch PostgreSQL rolled back to break a deadlock (SQLSTATE 40P01) is stored again, at most three
// times in all; any other error is the caller's at once.
const failing = (codes: (string | undefined)[]) => {
  let calls = 0;
  const work = async () => {
    const code = codes[calls++];
    if (code === undefined) return 'stored';
    throw Object.assign(new Error(`error ${code}`), { code });
  };
  return { work, calls: () => calls };
};

test('a batch broken off by a deadlock is stored again', async () => {
  const f = failing(['40P01', '40P01']);
  expect(await againAfterDeadlock(f.work)).toBe('stored');
  expect(f.calls()).toBe(3);
});

test('after three deadlocks in a row the error is passed on', async () => {
  const f = failing(['40P01', '40P01', '40P01', '40P01']);
  await expect(againAfterDeadlock(f.work)).rejects.toMatchObject({ code: '40P01' });
  expect(f.calls()).toBe(3);
});

test('any other error is passed on at once', async () => {
  const f = failing(['23505']);
  await expect(againAfterDeadlock(f.work)).rejects.toMatchObject({ code: '23505' });
  expect(f.calls()).toBe(1);
});
