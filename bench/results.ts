import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Every figure `npm run bench` measures, one entry per id, merged into bench/results.json (not
// committed), so a script can check any of them: ids are prefixed by area (inbox.*, ingest.*, …).
export type Result = { id: string; value: number; unit: string; target: number | null; met: boolean | null };

export const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

export function record(...entries: Result[]) {
  let all: Result[] = [];
  try {
    all = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
  } catch {
    all = [];
  }
  const byId = new Map(all.map((e) => [e.id, e]));
  for (const e of entries) byId.set(e.id, e);
  const tmp = `${RESULTS_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(
    tmp,
    JSON.stringify(
      [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
      null,
      1,
    ) + '\n',
  );
  fs.renameSync(tmp, RESULTS_FILE);
}
