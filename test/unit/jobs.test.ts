import { expect, test } from 'vitest';
import { dueJobs, JOBS } from '../../workers/jobs.ts';

// Background work is one list of jobs; which run in a pass depends only on when each last ran here.
test('every job is in one list with a name, a period and something to say', () => {
  expect(JOBS.map((j) => j.name)).toEqual([
    'purge-preview',
    'purge-sessions',
    'retention',
    'partitions',
    'digests',
    'monthly-reports',
    'spikes',
    'rollups',
    'mail',
    'reclassify',
    'search-text',
    'file-cases',
  ]);
  expect(new Set(JOBS.map((j) => j.name)).size).toBe(JOBS.length);
});

test('a job runs again only after its period; idle jobs only when the pass collected nothing', () => {
  const now = 1_000_000_000;
  const names = (last: Map<string, number>, t: number, idle: boolean) => dueJobs(last, t, idle).map((j) => j.name);
  expect(names(new Map(), now, false)).toEqual([
    'purge-preview',
    'purge-sessions',
    'retention',
    'partitions',
    'digests',
    'monthly-reports',
    'spikes',
    'rollups',
    'mail',
  ]);
  expect(names(new Map(), now, true)).toEqual([
    'purge-preview',
    'purge-sessions',
    'retention',
    'partitions',
    'digests',
    'monthly-reports',
    'spikes',
    'rollups',
    'mail',
    'reclassify',
    'search-text',
    'file-cases',
  ]);
  const last = new Map(JOBS.map((j) => [j.name, now]));
  expect(names(last, now + 30_000, false)).toEqual(['rollups', 'mail']);
  expect(names(last, now + 61_000, false)).toEqual(['digests', 'rollups', 'mail']);
  expect(names(last, now + 60 * 60_000, false)).toContain('purge-sessions');
  expect(names(last, now + 60 * 60_000, false)).toContain('partitions');
  expect(names(last, now + 10 * 60_000, false)).not.toContain('purge-sessions');
  expect(names(last, now + 10 * 60_000, true)).toEqual([
    'purge-preview',
    'digests',
    'monthly-reports',
    'spikes',
    'rollups',
    'mail',
    'reclassify',
    'search-text',
    'file-cases',
  ]);
});
