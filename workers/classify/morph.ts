// Dutch verb forms from a lemma, so a word list can name a verb once ("neersteken") and still
// recognise "ik steek hem neer", "neergestoken", "neer te steken", "stak … neer". Regular verbs follow
// the spelling rules (stem with open-syllable vowel doubling, v→f and z→s, 't kofschip for -te/-de,
// no ge- after be/ge/her/ont/ver/er); strong verbs give their past and participle in the data file.

export type VerbForm = 'inf' | 'stem' | 'pres' | 'past' | 'part';
export type VerbSpec = { base: string; pastSg?: string; pastPl?: string; part?: string };

const VOWELS = 'aeiouy';
const isVowel = (c: string | undefined) => !!c && VOWELS.includes(c);

// "maken" → "maak", "trappen" → "trap", "geven" → "geef", "timmeren" → "timmer", "slaan" → "sla".
export function stemOf(inf: string): string {
  if (/^[^aeiou]*aan$/.test(inf)) return inf.slice(0, -2); // slaan → sla, gaan → ga
  if (/^[^aeiou]*(oen|ien)$/.test(inf)) return inf.slice(0, -1); // doen → doe, zien → zie
  if (!inf.endsWith('en')) return inf; // English and odd entries stay as they are
  let stem = inf.slice(0, -2);
  const last = stem.at(-1)!;
  const prev = stem.at(-2);
  if (last && prev === last && !isVowel(last)) return stem.slice(0, -1); // trapp → trap
  if (stem.length >= 5 && /e[lrmn]$/.test(stem)) return stem; // timmer, mishandel
  // An open syllable's single vowel doubles in the closed stem: mak → maak, stek → steek.
  if (
    !isVowel(last) &&
    isVowel(prev) &&
    prev !== 'i' &&
    prev !== 'y' &&
    !isVowel(stem.at(-3)) &&
    stem.at(-3) !== undefined
  )
    stem = stem.slice(0, -1) + prev + last;
  if (stem.endsWith('v')) stem = stem.slice(0, -1) + 'f';
  if (stem.endsWith('z')) stem = stem.slice(0, -1) + 's';
  return stem;
}

const UNSTRESSED = /^(be|ge|her|ont|ver|er)(?=[^aeiou]|[aeiou]{2})/;

// Past and participle of a regular verb: 't kofschip decides -te or -de, -t or -d.
function weak(inf: string): { pastSg: string; pastPl: string; part: string } {
  const stem = stemOf(inf);
  const raw = inf.endsWith('en') ? inf.slice(0, -2) : inf;
  const voiceless = /(t|k|f|s|ch|p|x)$/.test(raw.replace(/(.)\1$/, '$1'));
  const pastSg = stem + (voiceless ? 'te' : 'de');
  const end = /[td]$/.test(stem) ? '' : voiceless ? 't' : 'd';
  const part = (UNSTRESSED.test(inf) ? '' : 'ge') + stem + end;
  return { pastSg, pastPl: pastSg + 'n', part };
}

// Every spelling with what it can be: "vermoord" is a stem ("ik vermoord je") and a participle.
export function formsOf(spec: VerbSpec): Map<string, VerbForm[]> {
  const out = new Map<string, VerbForm[]>();
  const add = (f: string, kind: VerbForm) => out.set(f, [...new Set([...(out.get(f) ?? []), kind])]);
  const inf = spec.base;
  const stem = stemOf(inf);
  const w = weak(inf);
  add(inf, 'inf');
  add(stem, 'stem');
  add(stem.endsWith('t') ? stem : stem.endsWith('a') ? stem + 'at' : stem + 't', 'pres');
  for (const p of [spec.pastSg ?? w.pastSg, spec.pastPl ?? w.pastPl]) for (const f of p.split('|')) add(f, 'past');
  for (const f of (spec.part ?? w.part).split('|')) add(f, 'part');
  return out;
}

// A separable or phrasal verb ("neer" + "steken", "in elkaar" + "slaan"): the joined spellings
// ("neersteken", "neergestoken", "in elkaar geslagen") and, for the finite forms that split off
// their particle in a main clause, the bare forms ("steek … neer").
export function particleForms(
  particle: string,
  spec: VerbSpec,
): { joined: Map<string, VerbForm[]>; split: Map<string, VerbForm[]> } {
  const base = formsOf(spec);
  const joined = new Map<string, VerbForm[]>();
  const split = new Map<string, VerbForm[]>();
  const single = !particle.includes(' ');
  for (const [f, kinds] of base) {
    if (single) joined.set(particle + f, kinds);
    joined.set(`${particle} ${f}`, kinds);
    const finite = kinds.filter((k) => k !== 'inf' && k !== 'part');
    if (finite.length) split.set(f, finite);
  }
  joined.set(`${particle} te ${spec.base}`, ['inf']);
  return { joined, split };
}
