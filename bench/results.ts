import fs from 'node:fs';
import path from 'node:path';

// bench/results.json: the latest figure per measurement, merged by id, so benchmarks run one at a
// time (or by different people) add to one file. Not committed: figures belong to a machine.
export type Result = { id: string; value: number; unit: string; target: number; met: boolean };
const FILE = path.join(import.meta.dirname, 'results.json');

export function record(...entries: Result[]) {
  let all: Result[] = [];
  try {
    all = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  } catch {
    // first run, or an unreadable file: start over
  }
  for (const e of entries)
    all = [...all.filter((x) => x.id !== e.id), { ...e, at: new Date().toISOString() } as Result];
  fs.writeFileSync(FILE, JSON.stringify(all, null, 2) + '\n');
}
