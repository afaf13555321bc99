// The query a school gets until someone writes its own: the full name and every alias as exact
// phrases (hashtags and handles as themselves), and the short name ("De Meander" from
// "obs De Meander") only near words about a school or near its place, because short names are
// shared with hospitals, rivers and opera houses.

export const SCHOOL_WORDS = [
  'school',
  'basisschool',
  'juf',
  'meester',
  'groep',
  'klas',
  'ouders',
  'leerlingen',
  'leerling',
  'directeur',
  'directie',
  'leerkracht',
  'docent',
  'schoolplein',
  'mr',
];

const TYPE_PREFIX =
  /^(?:(?:o|c|pc|rk|prot-chr|r\.?k\.?)?b\.?s\.?|obs|cbs|pcbs|rkbs|ikc|kc|kindcentrum|integraal kindcentrum|basisschool|openbare basisschool|christelijke basisschool|school|st\.?|sint)\s+/i;

const phrase = (s: string) => `"${s.replace(/["“”]/g, '').trim()}"`;

export function shortName(name: string): string {
  let s = name.trim();
  for (let i = 0; i < 3 && TYPE_PREFIX.test(s); i++) s = s.replace(TYPE_PREFIX, '');
  return s.trim();
}

export type SchoolDescription = { name: string; aliases: readonly string[]; place?: string | null };

export function defaultQuery(s: SchoolDescription): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const key = p.toLowerCase();
    if (!seen.has(key)) (parts.push(p), seen.add(key));
  };
  add(phrase(s.name));
  for (const a of s.aliases) {
    const alias = a.trim();
    if (!alias) continue;
    add(/^[#@][\p{L}\p{N}_@.]+$/u.test(alias) ? alias : phrase(alias));
  }
  const short = shortName(s.name);
  if (short && short.toLowerCase() !== s.name.trim().toLowerCase()) {
    const context = [...SCHOOL_WORDS, ...(s.place ? [phrase(s.place)] : [])].join(' OR ');
    add(`(${phrase(short)} NEAR/5 (${context}))`);
  }
  return parts.join(' OR ');
}
