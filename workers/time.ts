// Dutch time, in one place: the day, hour and dates as they are in the Netherlands (Europe/Amsterdam,
// summer and winter time), whatever the machine's own zone. Pure functions (one keeps its last answer).

const ZONE = 'Europe/Amsterdam';
const partsFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

// The wall clock in Amsterdam at `d`.
// Intl takes ~7 µs for it, and filing a batch asks for the same second over and over (the end of the
// day of the batch's clock, for every action of every post): the last answer is kept, per whole second.
type Clock = { date: string; hour: number; minute: number; second: number };
let lastSecond = NaN;
let lastClock: Clock | undefined;
export function dutchClock(d: Date): Clock {
  const second = Math.floor(d.getTime() / 1000);
  if (second === lastSecond && lastClock) return { ...lastClock };
  const p = Object.fromEntries(partsFmt.formatToParts(d).map((x) => [x.type, x.value]));
  lastClock = {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
  lastSecond = second;
  return { ...lastClock };
}

// Minutes Amsterdam is ahead of UTC at `d` (60 in winter, 120 in summer).
function offsetMinutes(d: Date): number {
  const c = dutchClock(d);
  const wall = Date.UTC(
    Number(c.date.slice(0, 4)),
    Number(c.date.slice(5, 7)) - 1,
    Number(c.date.slice(8, 10)),
    c.hour,
    c.minute,
    c.second,
  );
  return Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

// "2026-06-01" at "17:00" Dutch time, as an instant (right in summer and in winter).
export function dutchTime(date: string, time = '00:00'): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const first = new Date(guess.getTime() - offsetMinutes(guess) * 60_000);
  // around a clock change the offset at the answer can differ from the guess's
  return new Date(guess.getTime() - offsetMinutes(first) * 60_000);
}

// "Vandaag" means by the end of the day in the Netherlands (23:59), not this very minute.
export function endOfDutchDay(now: Date): Date {
  const c = dutchClock(now);
  return new Date(now.getTime() + (86_400 - (c.hour * 3600 + c.minute * 60 + c.second) - 60) * 1000);
}

// "30 november" and "30 november 2026 om 14:05", as Dutch readers write them.
export const dutchDay = (d: Date) => d.toLocaleDateString('nl-NL', { timeZone: ZONE, day: 'numeric', month: 'long' });
export const dutchDateTime = (d: Date) =>
  d.toLocaleString('nl-NL', { timeZone: ZONE, dateStyle: 'long', timeStyle: 'short' });
