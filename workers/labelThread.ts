import { parentPort } from 'node:worker_threads';
import { labelReading, rememberedReadings } from './labelling.ts';
import type { LabelMessage } from './labelThreads.ts';
import type { Preset } from './policy/types.ts';

// One classification thread of workers/labelThreads.ts: labels the mentions it is sent, in order, and
// answers with their labels or with the error the first one that failed gave. It keeps each board's
// rules as first sent (see labelMessage).
const presets = new Map<string, Preset>();

// A story's copies are read once (classifying is ~90% of labelling); each copy gets its own board's
// actions at its own clock.
const reading = rememberedReadings(2000);

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
