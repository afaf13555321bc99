// The periods a director picks on the Overzicht, as Dutch calendar days (both ends included), from
// today's date in the Netherlands. Pure, so the dates can be checked for any `today`.
export type PeriodKey = 'weeks4' | 'month' | 'lastMonth' | 'quarter' | 'schoolYear' | 'custom';
export const PERIOD_KEYS: PeriodKey[] = ['weeks4', 'month', 'lastMonth', 'quarter', 'schoolYear', 'custom'];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

export function dutchToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(now);
}

export function periodFor(key: Exclude<PeriodKey, 'custom'>, today: string): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number);
  const month = m - 1;
  switch (key) {
    case 'weeks4':
      return { from: iso(utc(y, month, d - 27)), to: today };
    case 'month':
      return { from: iso(utc(y, month, 1)), to: today };
    case 'lastMonth':
      return { from: iso(utc(y, month - 1, 1)), to: iso(utc(y, month, 0)) };
    case 'quarter':
      return { from: iso(utc(y, month - (month % 3), 1)), to: today };
    case 'schoolYear':
      // the Dutch school year runs from 1 August
      return { from: iso(utc(month >= 7 ? y : y - 1, 7, 1)), to: today };
  }
}

// The last day of a bucket that starts on `start` (a day, or a week from Monday), never past `to`.
export function bucketEnd(start: string, bucket: 'day' | 'week', to: string): string {
  if (bucket === 'day') return start;
  const [y, m, d] = start.split('-').map(Number);
  const end = iso(utc(y, m - 1, d + 6));
  return end > to ? to : end;
}
