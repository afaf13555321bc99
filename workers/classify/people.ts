import { readList, sentenceAt, type Token } from './text.ts';
import { PhraseSet } from './phrases.ts';
import type { Evidence, Risk } from './types.ts';

// Personal data that needs context rather than a shape: a private person's name (first name and
// surname, a title with a name — "juf Anouk", "meneer De Wit" — or a pupil by first name with a class,
// group or age), a private person's account (@handle), and health data (AVG special categories:
// conditions, pregnancy, abuse) tied to a person in the same sentence. People acting in public — a
// spokesperson, a director quoted in the news — are not a leak.

const FIRST_NAMES = new Set(readList('first-names.txt'));
const titleRe = new PhraseSet(readList('titles.txt'));
const publicRe = new PhraseSet(readList('public-roles.txt'));
const healthRe = new PhraseSet(readList('health.txt'));
const PARTICLES = new Set([
  'van',
  'de',
  'der',
  'den',
  'ter',
  'te',
  'ten',
  "'t",
  'het',
  'la',
  'le',
  'du',
  'el',
  'al',
  'von',
  'da',
  'di',
  'op',
]);
const NOT_SURNAME = new Set([
  'grieks',
  'latijn',
  'frans',
  'duits',
  'engels',
  'nederlands',
  'spaans',
  'wiskunde',
  'biologie',
  'geschiedenis',
  'aardrijkskunde',
  'economie',
  'muziek',
  'gym',
  'tekenen',
  'natuurkunde',
  'scheikunde',
  'informatica',
  'techniek',
  'bsm',
  'lo',
  'ckv',
  'maatschappijleer',
  'filosofie',
  'arabisch',
  'turks',
  'chinees',
  'school',
  'basisschool',
  'college',
  'lyceum',
  'gymnasium',
  'kindcentrum',
  'academie',
  'stichting',
  'straat',
  'weg',
  'laan',
  'ik',
  'we',
  'de',
  'het',
  'een',
  'en',
  'of',
  'maar',
  'is',
  'was',
  'heeft',
  'had',
  'werd',
  'wordt',
  'komt',
  'kwam',
  'krijgt',
  'kreeg',
  'loopt',
  'liep',
  'staat',
  'stond',
  'zit',
  'zat',
  'doet',
  'deed',
  'ging',
  'blijft',
  'bleef',
  'vroeg',
  'vraagt',
  'kijkt',
  'keek',
  'praat',
  'vertelde',
  'vertelt',
  'gaf',
  'geeft',
  'sprak',
  'zag',
  'ziet',
  'heb',
  'hebben',
  'zou',
  'moest',
  'kon',
  'wilde',
  'mocht',
  'zegt',
  'zei',
  'schreef',
  'vindt',
  'gaat',
  'kwam',
  'wil',
  'kan',
  'mag',
  'moet',
  'ook',
  'nog',
  'niet',
  'wel',
  'al',
  'dit',
  'dat',
  'die',
  'deze',
  'zijn',
  'haar',
  'hun',
  'onze',
  'mijn',
  'in',
  'op',
  'uit',
  'bij',
  'met',
  'voor',
  'naar',
  'om',
  'aan',
  'over',
  'juf',
  'meester',
  'groep',
  'klas',
  'the',
  'and',
  'is',
  'was',
  'instagram',
  'facebook',
  'tiktok',
  'snapchat',
  'youtube',
  'twitter',
  'whatsapp',
  'linkedin',
  'reddit',
  'bluesky',
  'mastodon',
  'teams',
  'magister',
  'somtoday',
  'parro',
]);
// "de juf van de Jozefschool": a school's own compound name is where someone works, not a surname.
const SCHOOL_COMPOUND = /.(school|college|lyceum|gymnasium|kindcentrum|academie)$/;
const ORGANISATION =
  /(sport|club|vereniging|^kc|^ikc|^llr|llr_|_llr|leerlingenraad|ouderraad|^gmr|_gmr|^bso|kinderopvang|school|obs|cbs|pcbs|rkbs|college|lyceum|gymnasium|stichting|gemeente|politie|nieuws|news|krant|omroep|rtv|nos|onderwijs|inspectie|edu|kindcentrum|ikc|academie|official|info|team|ouderraad|mr_|_mr|klankbord|bestuur|ggd|jeugd)/i;
const MINOR =
  /(?<![\p{L}])(leerling|leerlingen|kind|kinderen|kindje|zoon|zoontje|dochter|dochtertje|meisje|jongen|jongetje|groep \d|groep [a-h]\b|klas|brugklas|brugklasser|(\d{1,2}) jaar|jarige|pupil|student|scholier)/u;
// Someone a reader can identify: a named person (found first), a pupil or a member of staff by class
// or role ("die jongen uit 2c", "de mentor van havo 2"). "Mijn zoon heeft autisme" names no one.
const PERSON_REF =
  /(?<![\p{L}])((die|dat|deze|een|de) (\S+ )?(leerling|leerlinge|jongen|meisje|kind|juf|meester|leraar|lerares|docent|docente|mentor|conciërge|concierge|invaller|stagiair|stagiaire|klasgenoot|brugger|\S*docent)\s((\S+ ){0,3})(uit|van|in) (groep|klas|havo|vwo|vmbo|mavo|de brugklas|brugklas|h\d|v\d|\d[a-z]?\b|[a-z]\d\b)|(die|dat|deze) (\S+ )?(leerling|jongen|meisje|juf|meester|leraar|lerares|docent|mentor|conciërge|concierge)\s(met|in)\s|de (juf|meester|leraar|lerares|mentor|conciërge|concierge|directeur|directrice|gymleraar|gymjuf|invaller) van (groep|klas|havo|vwo|\d)|(juf|meester|meneer|mevrouw|mentor) \p{L}+|(die|dat) (mongool|spast|downie|stotteraar|autist|gehandicapte|zwakzinnige)\b|(die|de|een|the) (\S+ )?(docent|docente|leraar|lerares|juf|meester|mentor|conciërge|concierge|librarian|teacher|caretaker|rector|directeur|conrector|teamleider)(\s\S+)? (van|op|bij|at) (het |de |t )?\p{L}+)(?![\p{L}])/u;

// What follows a pupil's name to say who they are: an age, a group or a class ("(11)", "uit groep 7",
// "uit 3T", "(v3)", "uit havo 2").
const CLASS_DETAIL =
  /^\s*(?:(?:zit|zat|zitten) (?:in|op) (?:de )?(?:groep \d|klas \w+|\d[a-z]{0,2}\b|[hv]\d\b|\d (?:havo|vwo|kader|basis|gl|tl|mavo))|(?:uit|in) \d (?:kader|basis|gl|tl|k|b|havo|vwo|mavo|vmbo)\b|\(\d{1,2}\)|,?\s*\d{1,2} jaar|\(\s*(?:[hv]\d|\d[a-z]{1,2}|groep \d|klas \w+|havo \d|vwo \d)\b|(?:uit|van|in|,)\s+(?:groep|klas)\s+\w+|(?:uit|in) (?:de )?(?:brugklas|\d[a-z]{0,2}\b|[hv]\d\b|(?:havo|vwo|vmbo|mavo) \d))/;

// Titles that take a name particle ("meneer van Dijk"); after a role ("de conciërge van De Regenboog")
// "van" is a preposition.
const HONORIFIC = /^(juf|juffrouw|meester|meneer|mevrouw|mevr|mw|dhr|mr|mrs|ms|miss)$/;
// A name followed by its public role: "Annemarie Wolters, directeur van De Wegwijzer, zegt …".
const PUBLIC_AFTER =
  /^\s*(,?\s*(de |het )?(nieuwe |nieuw |interim-?)?(directeur|directrice|woordvoerder|woordvoerster|wethouder|burgemeester|voorzitter|bestuurder|bestuursvoorzitter|rector|schoolleider|locatiedirecteur|minister|teamleider|afdelingsleider|conrector|decaan|locatieleider)|\s*,?\s*(onze|de|jullie|hun) (nieuwe )?(directeur|directrice|locatieleider|teamleider|rector|voorzitter|schoolleider)|\s*(zegt|zei|laat weten|liet weten|aldus|vertelt|legt uit))/;
// "Nieuwe directeur CBS De Arke: Jolanda Westerink", "teamleider Ruben Arslan", "GGD-arts Marieke Schouten".
const ROLE_BEFORE =
  /\b(locatieleider|directeur|directrice|woordvoerder|woordvoerster|wethouder|burgemeester|bestuurder|bestuursvoorzitter|rector|conrector|schoolleider|locatiedirecteur|teamleider|afdelingsleider|decaan|ggd-arts|jeugdarts|schoolarts|arts|wijkagent|hoofdagent|agent|politiewoordvoerder|inspecteur|hoogleraar|onderzoeker|minister|kamerlid|voorzitter)\b[^.,;!?]{0,30}[: ]\s*$/;

// An author's byline: "Door Marieke Jansen" at the start of a line, "tekst en foto door …".
const BYLINE = /(?:^|\n|[|·—–]\s*|(?:tekst|foto|fotografie|geschreven|interview)\s+)door\s+$/;

// kind (names): title — "juf Ilse", "meneer Koster"; full — a first name and surname; pupil — a first name
// with a class, group or age; own — "mijn dochter Sanne". Titles and own children are no leak on their own.
type Found = {
  subtype: string;
  severity: Risk['severity'];
  evidence: Evidence;
  kind?: 'title' | 'full' | 'pupil' | 'own';
};

function isCap(text: string, t: Token | undefined): t is Token {
  return !!t && t.upper && /^\p{Lu}\p{Ll}/u.test(text.slice(t.start, t.start + 2));
}

// The capitalised words (with particles) that follow token i: "de Vries", "van der Berg", "Jansen".
function surnameAfter(text: string, tokens: Token[], i: number): number | undefined {
  let j = i + 1;
  let sawParticle = false;
  while (j < tokens.length && PARTICLES.has(tokens[j]!.norm) && j - i <= 3) {
    // In a name only the first particle may have a capital ("Van der Berg"); "meester van De Meander"
    // is a preposition and a school.
    if (sawParticle && tokens[j]!.upper) return undefined;
    sawParticle = true;
    j++;
  }
  const t = tokens[j];
  if (!isCap(text, t) || NOT_SURNAME.has(t.norm) || SCHOOL_COMPOUND.test(t.norm)) return undefined;
  // Between the words only spaces: "Anna. De school" is not a name.
  if (/[^\s]/.test(text.slice(tokens[j - 1]!.end, t.start).replace(/['-]/g, ''))) return undefined;
  if (
    !sawParticle &&
    FIRST_NAMES.has(text.slice(t.start, t.end)) &&
    j + 1 < tokens.length &&
    isCap(text, tokens[j + 1])
  )
    return j + 1;
  return j;
}

// The index of the first token that starts at or after `at` (-1 if none): a binary search, as a post
// can hold thousands of titles.
function firstTokenFrom(tokens: Token[], at: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start > at - 1) hi = mid;
    else lo = mid + 1;
  }
  return lo < tokens.length ? lo : -1;
}

// A first name, in any case ("Lotte", "lotte"): what the risk model must not learn from.
export const isFirstName = (word: string) =>
  word.length > 1 && FIRST_NAMES.has(word[0]!.toUpperCase() + word.slice(1).toLowerCase());

export function people(text: string, folded: string, tokens: Token[]): Found[] {
  const out: Found[] = [];
  const publicSpans = publicRe.all(folded).map((m) => m.index! + m[0].length);
  const isPublic = (start: number) =>
    publicSpans.some((end) => start >= end && start - end <= 3) ||
    ROLE_BEFORE.test(folded.slice(Math.max(0, start - 45), start)) ||
    BYLINE.test(folded.slice(Math.max(0, start - 30), start));
  const minorSentence = new Map<number, boolean>();
  const minorNear = (start: number) => {
    const s = sentenceAt(folded, start);
    let minor = minorSentence.get(s.start);
    if (minor === undefined) minorSentence.set(s.start, (minor = MINOR.test(folded.slice(s.start, s.end))));
    return minor;
  };
  const taken: { start: number; end: number }[] = [];
  const addName = (start: number, end: number, minor: boolean, kind: Found['kind']) => {
    if (taken.some((t) => start < t.end && end > t.start)) return;
    taken.push({ start, end });
    out.push({
      subtype: 'name',
      severity: minor ? 'high' : 'medium',
      evidence: { start, end, text: text.slice(start, end) },
      kind,
    });
  };
  // "MR van Helderkamp" is the medezeggenschapsraad, not Mr.
  const caps = (m: { index: number; 0: string }) =>
    text.slice(m.index, m.index + m[0].length) === text.slice(m.index, m.index + m[0].length).toUpperCase() &&
    m[0].length <= 3;

  // A title and a name: "juf Anouk", "meneer De Wit", "mijn dochter Sanne".
  for (const m of titleRe.all(folded)) {
    if (caps(m)) continue;
    const own = /(zoon|dochter|broertje|zusje|buurjongen|buurmeisje)$/.test(m[0]) && !/leerling/.test(m[0]);
    const end = m.index! + m[0].length;
    const i = firstTokenFrom(tokens, end);
    let first = tokens[i];
    // "meneer De Wit", "mevrouw van der Berg": particles, then the name.
    if (first && PARTICLES.has(first.norm) && HONORIFIC.test(m[0]) && !/\S/.test(text.slice(end, first.start))) {
      const last = surnameAfter(text, tokens, i - 1);
      if (last !== undefined && !isPublic(m.index!))
        addName(first.start, tokens[last]!.end, minorNear(first.start), 'title');
      continue;
    }
    // Without capitals ("meester joost van de regenboog", "meneer bakker van waalpoort") only a known first
    // name or a word followed by the school counts as a name.
    const lowerName =
      !!first &&
      HONORIFIC.test(m[0]) &&
      /^\p{Ll}{3,}$/u.test(text.slice(first.start, first.end)) &&
      (FIRST_NAMES.has(first.norm[0]!.toUpperCase() + first.norm.slice(1)) ||
        /^ van /.test(folded.slice(first.end, first.end + 5)));
    if (lowerName && !NOT_SURNAME.has(first!.norm) && !/\S/.test(text.slice(end, first!.start))) {
      if (!isPublic(m.index!)) addName(first!.start, first!.end, minorNear(first!.start), 'title');
      continue;
    }
    if (
      !first ||
      !isCap(text, first) ||
      /\S/.test(text.slice(end, first.start)) ||
      NOT_SURNAME.has(first.norm) ||
      SCHOOL_COMPOUND.test(first.norm)
    )
      continue;
    if (isPublic(m.index!)) continue;
    const after = tokens[i + 1];
    if (after && ['college', 'school', 'lyceum', 'gymnasium', 'kindcentrum'].includes(after.norm)) continue; // "Docent Scala College"
    const last = surnameAfter(text, tokens, i);
    const stop =
      last !== undefined && (FIRST_NAMES.has(text.slice(first.start, first.end)) || last === i + 1)
        ? tokens[last]!.end
        : first.end;
    const title = m[0];
    const full = stop > first.end;
    const detail =
      /^\s*(?:\(\d{1,2}\)|,?\s*\d{1,2} jaar|\(?(?:uit |van |in )?(?:groep|klas)\s+\w+|(?:uit|in) (?:de )?(?:brugklas|\d[a-z]?\b|[hv]\d))/.test(
        folded.slice(stop, stop + 24),
      );
    const pupilTitle = own || /leerling/.test(title);
    addName(
      first.start,
      stop,
      /zoon|dochter|broertje|zusje|leerling|buurjongen|buurmeisje/.test(title) || minorNear(first.start),
      full ? 'full' : detail && pupilTitle ? 'pupil' : own ? 'own' : 'title',
    );
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const word = text.slice(t.start, t.end);
    if (!FIRST_NAMES.has(word)) continue;
    if (isPublic(t.start)) continue;
    // "de lerares Frans van Linge & Waal": the subject she teaches.
    if (
      word === 'Frans' &&
      /(lerares|leraar|docent|docente|juf|meester|les|lessen|toets|sectie|vak)\s+$/.test(
        folded.slice(Math.max(0, t.start - 12), t.start),
      )
    )
      continue;
    const last = surnameAfter(text, tokens, i);
    if (last !== undefined) {
      const after = tokens[last + 1];
      // "Jan Ligthart School", "Pieter Zandt havo": a school named after someone.
      if (
        after &&
        ['school', 'college', 'lyceum', 'gymnasium', 'kindcentrum', 'mavo', 'havo'].includes(after.norm) &&
        !/\S/.test(text.slice(tokens[last]!.end, after.start))
      )
        continue;
      if (PUBLIC_AFTER.test(folded.slice(tokens[last]!.end, tokens[last]!.end + 50))) continue;
      addName(t.start, tokens[last]!.end, minorNear(t.start), 'full');
      continue;
    }
    // A pupil by first name with a class, group or age: "Sanne uit groep 7", "Daan (11)".
    if (CLASS_DETAIL.test(folded.slice(t.end, t.end + 24))) addName(t.start, t.end, true, 'pupil');
  }

  // Chat style without capitals: "lotte verbeek uit v3", "daan de jong (1A)", "die moeder van kevin uit
  // 3T". Only with a class after it, so that "bo" or "roos" as ordinary words are left alone.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const word = text.slice(t.start, t.end);
    if (!/^\p{Ll}+$/u.test(word) || !FIRST_NAMES.has(word[0]!.toUpperCase() + word.slice(1))) continue;
    let j = i;
    while (j + 1 < tokens.length && j - i < 3 && PARTICLES.has(tokens[j + 1]!.norm)) j++;
    const surname = tokens[j + 1];
    const withSurname =
      surname &&
      !NOT_SURNAME.has(surname.norm) &&
      !/\S/.test(text.slice(tokens[j]!.end, surname.start)) &&
      /^\p{Ll}{2,}$/u.test(text.slice(surname.start, surname.end));
    if (withSurname && CLASS_DETAIL.test(folded.slice(surname.end, surname.end + 24)))
      addName(t.start, surname.end, true, 'full');
    else if (CLASS_DETAIL.test(folded.slice(t.end, t.end + 24))) addName(t.start, t.end, true, 'pupil');
  }

  // Accounts: "@sanne_2011", "insta: sanne.jansen". An organisation's own account is not personal data.
  for (const m of text.matchAll(
    /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_][A-Za-z0-9_.]{0,28}[A-Za-z0-9_])(?:@[\w.-]+\.[a-z]{2,})?(?![\w@])|(?<![\p{L}])(?:insta|instagram|ig|snap|snapchat|tiktok|sc)\s?[:=]\s?@?([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))/giu,
  )) {
    const handle = m[1] ?? m[2]!;
    if (ORGANISATION.test(handle)) continue;
    const start = m.index! + m[0].lastIndexOf(handle) - (m[1] ? 1 : 0);
    const end = m.index! + m[0].length;
    out.push({
      subtype: 'handle',
      severity: minorNear(start) ? 'medium' : 'low',
      evidence: { start, end, text: text.slice(start, end) },
    });
  }

  // Health and other special categories, only when the sentence is about a particular person.
  for (const m of healthRe.all(folded)) {
    const start = m.index!;
    const s = sentenceAt(folded, start);
    const sentence = folded.slice(s.start, s.end);
    // The person must be close to the condition: "mijn zoon heeft autisme", not "voorlichting over
    // diabetes, nu snappen de klasgenoten van onze zoon het".
    const near = folded.slice(Math.max(s.start, start - 45), Math.min(s.end, start + m[0].length + 45));
    // A name in the same sentence, or in the sentence before when this one goes on about them: "Lina
    // Yilmaz, groep 7. Ze heeft waterpokken."
    const before = s.start > 1 ? sentenceAt(folded, s.start - 2) : undefined;
    const namedHere =
      taken.some((n) => n.start >= s.start && n.end <= s.end && Math.abs(n.start - start) < 100) ||
      (!!before &&
        /^\s*(ze|zij|hij|she|he)\s/.test(sentence) &&
        taken.some((n) => n.start >= before.start && n.end <= before.end)) ||
      // A sick note is about the one it names, whichever sentence holds the illness.
      (/ziekmeld|ziek meld|ziek gemeld|zorgmelding/.test(folded) && taken.length > 0);
    if (!namedHere && !PERSON_REF.test(near)) continue;
    // The poster about themselves ("ik heb kanker") chooses to share it.
    if (/^\s*(ik|i) (heb|ben|had|was|have|am)\s/.test(sentence) && !namedHere) continue;
    out.push({
      subtype: 'health',
      severity: 'high',
      evidence: { start, end: start + m[0].length, text: text.slice(start, start + m[0].length) },
    });
  }
  return out;
}

// First names and initials with a surname in a stretch of text ("Emma", "S. Hendriks", "J.P. de Vries"):
// read only where something else already makes the stretch about one person, such as a birth date or
// a bank account's holder.
export function namesIn(text: string, tokens: Token[], from: number, to: number): Evidence[] {
  const out: Evidence[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.start < from || t.end > to) continue;
    const word = text.slice(t.start, t.end);
    if (FIRST_NAMES.has(word)) {
      const last = surnameAfter(text, tokens, i);
      out.push({ start: t.start, end: last === undefined ? t.end : tokens[last]!.end, text: '' });
      if (last !== undefined) i = last;
    }
  }
  for (const m of text
    .slice(from, to)
    .matchAll(
      /(?<![\p{L}.])(?:\p{Lu}\.\s?){1,3}(?:(?:van|de|der|den|ter|ten) ){0,3}\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?/gu,
    )) {
    const start = from + m.index!;
    const end = start + m[0].length;
    if (NOT_SURNAME.has(m[0].replace(/^.*[\s.]/, '').toLowerCase())) continue;
    if (!out.some((e) => start < e.end && end > e.start)) out.push({ start, end, text: '' });
  }
  return out.map((e) => ({ ...e, text: text.slice(e.start, e.end) }));
}
