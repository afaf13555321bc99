import { parentPort } from 'node:worker_threads';
import { labelMention } from './classifications.ts';
import type { LabelMessage } from './labelThreads.ts';

// One classification thread of workers/labelThreads.ts: labels the mentions it is sent, in order, and
// answers with their labels or with the error the first one that failed gave.
parentPort!.on('message', (m: LabelMessage & { id: number }) => {
  try {
    parentPort!.postMessage({
      id: m.id,
      labels: m.items.map((x) => labelMention({ ...x, preset: m.presets[x.preset] })),
    });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
