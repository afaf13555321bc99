import { collectors } from '../../workers/collectors/registry.ts';
import type { Collector } from '../../workers/collectors/types.ts';

// A source's settings as the dashboard gives and shows them: only the keys its collector's form has,
// checked by that collector; secret settings (tokens, passwords, keys) are shown as set or not, never
// sent back.

export class SourceInputError extends Error {}

export const secretKeys = (c: Collector) => c.fields.filter((f) => f.secret).map((f) => f.key);

export function publicSettings(kind: string, settings: Record<string, unknown>) {
  const c = collectors.get(kind);
  const secrets = new Set(c ? secretKeys(c) : []);
  return Object.fromEntries(
    Object.entries(settings).map(([k, v]) => [k, secrets.has(k) ? { secret: true, set: !!v } : v]),
  );
}

export type SourceDraft = { kind: string; url?: string | null; settings: Record<string, unknown> };

// Only the keys the kind's form has, trimmed. An empty secret keeps what was stored — but only while
// it still goes where it went: a changed server or address (`instance`, the url) needs the secret
// again, so a stored token is never sent to a host someone else picked.
export function cleanSettings(
  c: Collector,
  given: Record<string, unknown>,
  stored: Record<string, unknown> = {},
  sameDestination = true,
) {
  const out: Record<string, unknown> = {};
  const where = (v: unknown) => (typeof v === 'string' ? v.trim().replace(/\/+$/, '').toLowerCase() : (v ?? ''));
  const keep =
    sameDestination &&
    c.fields
      .filter((f) => f.type === 'url' && f.key !== 'url')
      .every((f) => given[f.key] === undefined || given[f.key] === '' || where(given[f.key]) === where(stored[f.key]));
  for (const f of c.fields) {
    if (f.key === 'url') continue;
    const raw = given[f.key];
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === undefined || value === null || value === '') {
      if (f.secret && keep && stored[f.key]) out[f.key] = stored[f.key];
      continue;
    }
    if (f.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new SourceInputError(`${f.label}: geef een positief getal`);
      out[f.key] = Math.floor(n);
    } else {
      if (typeof value !== 'string' || value.length > 500) throw new SourceInputError(`${f.label}: ongeldige waarde`);
      out[f.key] = value;
    }
  }
  return out;
}

export function resolveDraft(
  c: Collector,
  draft: SourceDraft,
  stored: Record<string, unknown> = {},
  storedUrl: string | null = null,
) {
  const sameUrl =
    !c.fields.some((f) => f.key === 'url') || (draft.url ?? '').trim() === (storedUrl ?? '').trim() || !storedUrl;
  const settings = cleanSettings(c, draft.settings, stored, sameUrl);
  const wantsUrl = c.fields.some((f) => f.key === 'url');
  let url: string | null = null;
  if (wantsUrl) {
    const raw = (draft.url ?? '').trim();
    if (raw) {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new SourceInputError('Ongeldig adres: begin met https://');
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new SourceInputError('Alleen http- en https-adressen');
      url = u.toString();
    }
  }
  const problems = c.checkSettings(settings, url ?? undefined);
  if (problems.length) throw new SourceInputError(`Een ${c.label}-bron ${problems.map((p) => p.message).join(' en ')}`);
  if (c.sourceUrl) {
    try {
      url = c.sourceUrl(settings);
    } catch (err) {
      throw new SourceInputError(err instanceof Error ? err.message : String(err));
    }
  }
  return { url, settings };
}
