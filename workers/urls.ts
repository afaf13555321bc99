// One URL per story: redirectors unwrapped (without requesting them), tracking parameters removed,
// fragment dropped, host lower-cased. Used as the key when an item has no id of its own, and to
// link the same story from several sources.

const TRACKING =
  /^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ocid|cvid|_ga|_gl|yclid|wt_mc|ref_src|spm)$/i;

// host (suffix) -> path prefix -> query parameter that holds the real address
const REDIRECTORS: { host: RegExp; path: RegExp; param: string[] }[] = [
  { host: /(^|\.)google\.[a-z.]+$/i, path: /^\/url$/, param: ['url', 'q'] },
  { host: /(^|\.)bing\.com$/i, path: /^\/news\/apiclick\.aspx$/i, param: ['url'] },
  { host: /^l\.facebook\.com$|^lm\.facebook\.com$/i, path: /^\/l\.php$/, param: ['u'] },
  { host: /^out\.reddit\.com$/i, path: /^\//, param: ['url'] },
];

export function unwrapRedirect(u: URL, depth = 0): URL {
  if (depth > 3) return u;
  for (const r of REDIRECTORS) {
    if (!r.host.test(u.hostname) || !r.path.test(u.pathname)) continue;
    for (const p of r.param) {
      const target = u.searchParams.get(p);
      if (!target) continue;
      try {
        const inner = new URL(target);
        if (inner.protocol === 'http:' || inner.protocol === 'https:') return unwrapRedirect(inner, depth + 1);
      } catch {
        // not a URL: keep looking
      }
    }
  }
  return u;
}

export function canonicalUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let u: URL;
  try {
    u = unwrapRedirect(new URL(raw));
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  for (const key of [...u.searchParams.keys()]) if (TRACKING.test(key)) u.searchParams.delete(key);
  u.hostname = u.hostname.toLowerCase();
  return u.toString();
}
