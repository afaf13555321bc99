import { expect, test } from 'vitest';
import { adaptInterval, backoffSeconds } from '../../workers/scheduler.ts';

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

test('active sources are checked more often, idle ones less, within bounds', () => {
  expect(adaptInterval(900, null, 3)).toBe(450);
  expect(adaptInterval(900, 450, 1)).toBe(225);
  expect(adaptInterval(900, 225, 1)).toBe(225); // never under a quarter of the set interval
  expect(adaptInterval(120, null, 5)).toBe(60); // nor under a minute
  expect(adaptInterval(900, null, 0)).toBe(1350);
  let idle: number | null = null;
  for (let i = 0; i < 20; i++) idle = adaptInterval(900, idle, 0);
  expect(idle).toBe(3600); // at most four times the set interval
});
