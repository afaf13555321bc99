import type { Period } from '../db/stats/period.ts';
import { dutchClock } from '../../workers/time.ts';

// Calendar months ("2026-10") for the monthly report: their days, the month before, the Dutch name,
// and the last whole month at a given moment (Dutch time). Pure.

export const MONTH = /^(19|20)\d\d-(0[1-9]|1[0-2])$/;

export function monthPeriod(month: string): Period {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

// "oktober 2026"
const nameFmt = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' });
export const monthName = (month: string) => nameFmt.format(new Date(`${month}-01T00:00:00Z`));

export const currentMonth = (now: Date) => dutchClock(now).date.slice(0, 7);
export const lastMonth = (now: Date) => previousMonth(currentMonth(now));
