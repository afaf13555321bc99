import crypto from 'node:crypto';

// xml2js hands back strings, arrays, or objects ({ _: text, $: attributes }, { name }) depending on
// what the feed contains; take the text wherever it is.
export function str(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return str(
      o._ ??
        o.name ??
        o['atom:name'] ??
        o.email ??
        o['atom:email'] ??
        o.href ??
        (o.$ as Record<string, unknown> | undefined)?.href ??
        '',
    );
  }
  return '';
}

export function parseDate(...candidates: (string | Date | null | undefined)[]): Date | null {
  for (const c of candidates) {
    if (!c) continue;
    const d = c instanceof Date ? c : new Date(c);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

// The key of last resort, when an item has neither an id nor a link.
export const hashKey = (title: string, date: Date | null) =>
  'sha1:' +
  crypto
    .createHash('sha1')
    .update(`${title}\n${date?.toISOString() ?? ''}`)
    .digest('hex');
