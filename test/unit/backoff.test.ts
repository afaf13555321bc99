import { expect, test } from 'vitest';
import { backoffSeconds } from '../../workers/scheduler.ts';

test('backs off exponentially with jitter, capped at a day', () => {
  expect(backoffSeconds(900, 0, undefined, false, () => 0.5)).toBe(900);
  expect(backoffSeconds(900, 2, undefined, false, () => 0.5)).toBe(3600);
  expect(backoffSeconds(900, 2, undefined, false, () => 0)).toBe(3240);
  expect(backoffSeconds(900, 2, undefined, false, () => 1)).toBe(3960);
  expect(backoffSeconds(900, 20, undefined, false, () => 0.5)).toBe(86_400);
});

test('honours Retry-After when it asks for longer, and waits a day after a permanent error', () => {
  expect(backoffSeconds(900, 0, 7200, false, () => 0.5)).toBe(7200);
  expect(backoffSeconds(900, 0, 10 ** 9, false, () => 0.5)).toBe(86_400);
  expect(backoffSeconds(900, 0, undefined, true)).toBe(86_400);
});
