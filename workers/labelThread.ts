import { parentPort } from 'node:worker_threads';
import { labelReading, readingKey, readMention, type Labelling, type Reading } from './labelling.ts';
import type { LabelMessage } from './labelThreads.ts';
import type { Preset } from './policy/types.ts';

// One classification thread of workers/labelThreads.ts: labels the mentions it is sent, in order, and
// answers with their labels or with the error the first one that failed gave. It keeps each board's
// rules as first sent (see labelMessage).
const presets = new Map<string, Preset>();

// A story's copies (the same title and body under other links, on other sources) are read once: the
// thread remembers the readings of the last READINGS posts, and a copy gets its board's actions from
// the reading it already has (classifying is ~90% of labelling). Labels leave the thread as copies
// (postMessage), so nothing outside ever holds a remembered reading.
const READINGS = 2000;
const readings = new Map<string, Reading>();
function reading(m: Labelling): Reading {
  const key = readingKey(m);
  const had = readings.get(key);
  if (had) {
    readings.delete(key); // the most recently used last
    readings.set(key, had);
    // a copy: the posts of one message would otherwise come back sharing their labels' objects
    return structuredClone(had);
  }
  const r = readMention(m);
  if (readings.size >= READINGS) readings.delete(readings.keys().next().value!);
  readings.set(key, r);
  return r;
}

parentPort!.on('message', (m: LabelMessage & { id: number }) => {
  for (const [k, p] of Object.entries(m.presets)) presets.set(k, p);
  try {
    parentPort!.postMessage({
      id: m.id,
      labels: m.items.map((x) => {
        const labelling = { ...x, preset: presets.get(x.preset)! };
        return labelReading(labelling, reading(labelling));
      }),
    });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
// a message that cannot be read: the pool gives this thread up (see start in labelThreads.ts)
parentPort!.on('messageerror', () => process.exit(1));
