import fs from 'node:fs';
import path from 'node:path';

// bench/results.json: the latest figure per id, kept between runs (not committed). Each bench
// records its own ids; an entry replaces the one with its id and leaves the rest as they were.
export type BenchEntry = { id: string; value: number; unit: string; target: string; met: boolean };

export const RESULTS = path.join(import.meta.dirname, 'results.json');

export function record(entry: BenchEntry, file = RESULTS) {
  const entries: BenchEntry[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
  const next = [...entries.filter((e) => e.id !== entry.id), entry].sort((a, b) => a.id.localeCompare(b.id));
  fs.writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
}
