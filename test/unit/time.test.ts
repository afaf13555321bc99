import { expect, test } from 'vitest';
import { dutchClock, dutchDay, dutchTime, endOfDutchDay } from '../../workers/time.ts';

// Dutch time in one helper: right in winter and in summer, whatever the machine's zone.
test('a Dutch date and time is the right instant in winter and in summer', () => {
  expect(dutchTime('2026-12-01', '17:00').toISOString()).toBe('2026-12-01T16:00:00.000Z');
  expect(dutchTime('2026-06-01', '17:00').toISOString()).toBe('2026-06-01T15:00:00.000Z');
  // the night the clocks go forward (29 March 2026, 02:00 → 03:00) and back (25 October 2026)
  expect(dutchTime('2026-03-29', '12:00').toISOString()).toBe('2026-03-29T10:00:00.000Z');
  expect(dutchTime('2026-10-25', '12:00').toISOString()).toBe('2026-10-25T11:00:00.000Z');
});

test('the clock, the end of the day and the day as Dutch readers see them', () => {
  expect(dutchClock(new Date('2026-07-01T22:30:00Z'))).toEqual({ date: '2026-07-02', hour: 0, minute: 30, second: 0 });
  expect(endOfDutchDay(new Date('2026-07-01T08:00:00Z')).toISOString()).toBe('2026-07-01T21:59:00.000Z');
  expect(endOfDutchDay(new Date('2026-12-01T08:00:00Z')).toISOString()).toBe('2026-12-01T22:59:00.000Z');
  expect(dutchDay(new Date('2026-11-30T23:30:00Z'))).toBe('1 december');
});

test('the clock answers each instant alone, though it keeps its last answer', () => {
  const at = new Date('2026-03-29T00:59:59.100Z');
  const first = dutchClock(at);
  expect(first).toEqual({ date: '2026-03-29', hour: 1, minute: 59, second: 59 });
  first.hour = 99; // a caller's change is its own
  expect(dutchClock(new Date('2026-03-29T00:59:59.900Z'))).toEqual({
    date: '2026-03-29',
    hour: 1,
    minute: 59,
    second: 59,
  });
  // the next second is summer time
  expect(dutchClock(new Date('2026-03-29T01:00:00.000Z'))).toEqual({
    date: '2026-03-29',
    hour: 3,
    minute: 0,
    second: 0,
  });
  expect(dutchClock(at)).toEqual({ date: '2026-03-29', hour: 1, minute: 59, second: 59 });
  expect(() => dutchClock(new Date(NaN))).toThrow(RangeError);
});
