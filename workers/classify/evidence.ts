import type { Evidence } from './types.ts';

// Overlapping spans of one label are reported once, the longest first.
export function dedupe(evidence: Evidence[]): Evidence[] {
  const sorted = [...evidence].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Evidence[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) continue;
    out.push(e);
  }
  return out;
}
