import { expect, test } from 'vitest';
import { bucketEnd, dutchToday, periodFor } from '../../web/src/lib/periods.ts';

// The Overzicht's periods are Dutch calendar days, whatever the clock of the browser says.
test('periods are counted back from the Dutch date', () => {
  const today = dutchToday(new Date('2026-02-28T23:30:00Z'));
  expect(today).toBe('2026-03-01');
  expect(periodFor('weeks4', today)).toEqual({ from: '2026-02-02', to: '2026-03-01' });
  expect(periodFor('month', today)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  expect(periodFor('lastMonth', today)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  expect(periodFor('quarter', '2026-11-30')).toEqual({ from: '2026-10-01', to: '2026-11-30' });
  expect(periodFor('lastMonth', '2027-01-15')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  expect(periodFor('schoolYear', '2026-07-31')).toEqual({ from: '2025-08-01', to: '2026-07-31' });
  expect(periodFor('schoolYear', '2026-08-01')).toEqual({ from: '2026-08-01', to: '2026-08-01' });
});

test('a bar of a week opens its seven days, cut at the end of the period', () => {
  expect(bucketEnd('2026-10-05', 'week', '2026-11-01')).toBe('2026-10-11');
  expect(bucketEnd('2026-10-26', 'week', '2026-10-28')).toBe('2026-10-28');
  expect(bucketEnd('2026-10-05', 'day', '2026-11-01')).toBe('2026-10-05');
});
