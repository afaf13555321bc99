import fs from 'node:fs';

// The figures `npm run bench` measured last, one entry per id, in bench/results.json (not committed:
// they belong to the machine that ran them). Each bench records its own ids; the others stay.
export type Result = { id: string; value: number; unit: string; target: string; met: boolean };

const FILE = new URL('./results.json', import.meta.url);

export function record(entry: Result) {
  const all: (Result & { at: string })[] = fs.existsSync(FILE) ? JSON.parse(fs.readFileSync(FILE, 'utf8')) : [];
  const next = [...all.filter((r) => r.id !== entry.id), { ...entry, at: new Date().toISOString() }];
  next.sort((a, b) => a.id.localeCompare(b.id));
  fs.writeFileSync(FILE, JSON.stringify(next, null, 2) + '\n');
}
