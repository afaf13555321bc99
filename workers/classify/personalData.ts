import { namesIn, people } from './people.ts';
import { shaming } from './shaming.ts';
import { fold, sentenceAt, words } from './text.ts';
import type { Evidence, Risk } from './types.ts';

// Personal data that is recognisable by its shape, each with its own check so that look-alikes
// (order numbers, dates, prices) are not flagged; the strictest checks run first, so digits that
// are part of an IBAN are not reported again as a phone number: Dutch phone numbers, e-mail addresses, postcodes,
// BSN (the elfproef), IBAN (mod-97), street addresses with a house number, and birth dates.
// Names, handles and health data need context: see people.ts; allPersonalData() gives both.

// weak: only personal data when the text also names someone ("geboren in 2018" alone is an enrolment
// year; "Fleur Jansen … geboren in 2018" is her birth year).
type Detector = {
  subtype: string;
  severity: Risk['severity'];
  confidence: number;
  re: RegExp;
  valid?: (m: RegExpMatchArray, text: string) => boolean;
  weak?: boolean;
};

const digits = (s: string) => s.replace(/\D/g, '');

// BSN: 9 digits, 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11 (and not all zeros).
export function elfproef(value: string): boolean {
  const d = digits(value);
  if (d.length !== 9 || /^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(d[i]) * (9 - i);
  sum -= Number(d[8]);
  return sum % 11 === 0;
}

// IBAN: move the first four characters to the end, letters to numbers (A = 10), remainder 97 is 1.
export function ibanValid(value: string): boolean {
  const s = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  if (s.startsWith('NL') && !/^NL\d{2}[A-Z]{4}\d{10}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) rest = (rest * 10 + Number(c)) % 97;
  }
  return rest === 1;
}

const STREET =
  '(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|steeg|dreef|erf|park|markt|ring|baan|allee|wal|haven|veld|akker|hoek|boulevard|lei|kwartier)';
const MONTHS =
  '(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)';

const detectors: Detector[] = [
  {
    subtype: 'iban',
    severity: 'medium',
    confidence: 0.95,
    re: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
    valid: (m) => ibanValid(m[0]),
  },
  {
    subtype: 'bsn',
    severity: 'high',
    confidence: 0.85,
    re: /(?<![\d.,-])\d{4}[.\s]?\d{2}[.\s]?\d{3}(?![\d.,-]?\d)|(?<![\d.,-])\d{3}[.\s]\d{3}[.\s]\d{3}(?![\d.,-]?\d)/g,
    valid: (m) => elfproef(m[0]),
  },
  {
    subtype: 'phone',
    severity: 'medium',
    confidence: 0.9,
    re: /(?<![\p{L}\d+])(?:\+31[\s-]?(?:\(0\))?|0031[\s-]?|0)(?:6[\s-]?(?:\d[\s-]?){7}\d|[1-57-9]\d(?:[\s-]?\d){6}\d)(?!\d)/gu,
  },
  {
    subtype: 'email',
    severity: 'medium',
    confidence: 0.95,
    re: /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w])/gi,
  },
  { subtype: 'postcode', severity: 'low', confidence: 0.8, re: /(?<![\w])[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?![\w])/g },
  {
    subtype: 'address',
    severity: 'high',
    confidence: 0.8,
    re: new RegExp(
      `(?<![\\p{L}])(?:[\\p{Lu}][\\p{L}'-]*\\s)?[\\p{Lu}][\\p{L}'-]*${STREET}\\s\\d{1,4}(?:\\s?[a-zA-Z](?![\\p{L}]))?(?:[-\\s]?(?:hs|bis|[1-9]|I{1,3}))?(?!\\d)`,
      'gu',
    ),
    // "De Wilgenhoek 14 juni", "De Wilgenhoek 14 Oekraïense kinderen": a school's name and a number.
    valid: (m, text) => !(/^(De|Het|'t)\s/.test(m[0]) && /^\s+\p{L}{3,}/u.test(text.slice(m.index! + m[0].length))),
  },
  // Lower case or without a street suffix, when a postcode follows ("molenstraat 23, 7421 BK").
  {
    subtype: 'address',
    severity: 'high',
    confidence: 0.75,
    re: /(?<![\p{L}\d])(?:\p{Lu}[\p{L}'-]*\s){0,2}\p{L}[\p{L}'-]{2,}\s\d{1,4}[a-zA-Z]?(?=,?\s{0,3}\(?[1-9]\d{3}\s?[A-Z]{2}(?![\w]))/gu,
    valid: (m) => !/^(de|het|een|op|in|aan|van|bij|groep|klas|nummer|tel|telefoon|postbus|huisnummer)\s/i.test(m[0]),
  },
  // An address announced ("Adres: Tuinen 48", "woont aan de Tuinen 48", "woont hoveniersweg 23"): a street
  // with a capital or a street's ending, not "wonen al 12 jaar" or "woont sinds 2019".
  {
    subtype: 'address',
    severity: 'high',
    confidence: 0.75,
    re: new RegExp(
      `(?<![\\p{L}])(?:[Aa]dres|[Aa]ddress|woont|wonen|woonde)(?: op| aan)?(?: de| het)?[ \\t]{0,3}:?[ \\t]{0,3}((?:\\p{Lu}[\\p{L}'-]*|\\p{L}+${STREET})(?: [\\p{L}'-]+){0,2} \\d{1,4}[a-zA-Z]?)(?!\\d)`,
      'gu',
    ),
    valid: (m) =>
      !/^(de|het|een|op|in|aan|van|bij|groep|klas|nummer|tel|telefoon|postbus|huisnummer|al|sinds|nog|pas|hier|daar|er|ook|nu|bijna|ongeveer|zo|al)\s/i.test(
        m[1] ?? '',
      ),
  },

  {
    subtype: 'birthdate',
    severity: 'medium',
    confidence: 0.85,
    re: new RegExp(
      `(?:geboren|geb\\.|geboortedatum|born|date of birth|dob)[:\\s]+(?:op\\s+|on\\s+)?(\\d{1,2}[-/.]\\d{1,2}[-/.](?:19|20)?\\d{2}|\\d{1,2}\\s+${MONTHS}\\.?\\s+(?:19|20)\\d{2})|(?<![\\d-])(\\d{1,2}[-/.]\\d{1,2}[-/.](?:19|20)\\d{2}|\\d{1,2}\\s+${MONTHS}\\.?\\s+(?:19|20)\\d{2})\\s+(?:geboren|born)`,
      'giu',
    ),
  },
  {
    subtype: 'birthdate',
    severity: 'medium',
    confidence: 0.7,
    weak: true,
    re: new RegExp(
      `(?:geboren|born)\\s+(?:in\\s+|op\\s+|on\\s+)?((?:19|20)\\d{2}|\\d{1,2}\\s+${MONTHS})(?![\\d\\p{L}])|(?<![\\d-])(\\d{1,2}\\s+${MONTHS})\\s+(?:geboren|born)`,
      'giu',
    ),
  },
];

const weakEvidence = new WeakSet<Evidence>();

export function shapedPersonalData(text: string): Risk[] {
  const risks: Risk[] = [];
  const taken: Evidence[] = [];
  // Every shape but an e-mail address has a digit in it (\d is 0–9 in each pattern), and that has an @:
  // a text without them is not searched.
  const digit = /\d/.test(text);
  const at = text.includes('@');
  for (const d of detectors) {
    if (!(d.subtype === 'email' ? at : digit)) continue;
    const evidence: Evidence[] = [];
    for (const m of text.matchAll(d.re)) {
      if (d.valid && !d.valid(m, text)) continue;
      // A detector with a group marks only that part (the date, not "geboren op").
      const group = m[1] ?? m[2];
      let value = group ?? m[0];
      let start = m.index! + (group ? m[0].lastIndexOf(group) : 0);
      // "Woont Heiligenbergerweg 112": the verb before a street is not part of the address.
      const lead =
        d.subtype === 'address'
          ? /^(Woont|Wonen|Woonde|Wonend|Adres|Op|Aan|In|Bij|Naar|Van|Via|Richting|Tegenover|Hoek)\s/.exec(value)
          : null;
      if (lead) {
        value = value.slice(lead[0].length);
        start += lead[0].length;
      }
      const end = start + value.length;
      // A BSN inside an IBAN or a phone number is not a second finding.
      if (taken.some((t) => start < t.end && end > t.start)) continue;
      evidence.push({ start, end, text: value });
      if (d.weak) weakEvidence.add(evidence.at(-1)!);
    }
    if (evidence.length) {
      taken.push(...evidence);
      const had = risks.find((r) => r.subtype === d.subtype);
      if (had) had.evidence.push(...evidence);
      else
        risks.push({
          type: 'personal_data',
          subtype: d.subtype,
          severity: d.severity,
          confidence: d.confidence,
          evidence,
        });
    }
  }
  return risks;
}

// How personal data is shown where it is not needed in full (lists, exports): enough to recognise
// the kind, not enough to use it — "06-12345657" → "06-••••••57", "j.jansen@gmail.com" →
// "j.••••••@•••••.com". Masks keep the length and the separators, so offsets into the text (the
// spans that explain a match) stay right.
export function maskValue(subtype: string, value: string): string {
  const chars = [...value];
  const alnum = (c: string) => /[\p{L}\p{N}]/u.test(c);
  let keep: (i: number, c: string) => boolean;
  if (subtype === 'email') {
    const dot = value.lastIndexOf('.');
    keep = (i) => i === 0 || i >= dot;
  } else if (subtype === 'phone' || subtype === 'iban') {
    const positions = chars.map((c, i) => (alnum(c) ? i : -1)).filter((i) => i >= 0);
    const first = new Set(positions.slice(0, subtype === 'iban' ? 4 : 2));
    const last = new Set(positions.slice(-2));
    keep = (i) => first.has(i) || last.has(i);
  } else if (subtype === 'postcode') {
    keep = (i) => i < 2;
  } else if (subtype === 'name' || subtype === 'handle') {
    // "Anouk de Vries" → "A•••• d• V••••", "@sanne_2011" → "@s•••••••••"
    keep = (i) => i === 0 || !alnum(chars[i - 1]!);
  } else {
    keep = () => false;
  }
  return chars.map((c, i) => (alnum(c) && !keep(i, c) ? '•' : c)).join('');
}

// Where spans overlap, a character stays visible only if every span covering it keeps it.
export function maskText(text: string, risks: Risk[]): string {
  const hidden = new Uint8Array(text.length);
  for (const r of risks) {
    if (r.type !== 'personal_data') continue;
    for (const e of r.evidence) {
      if (e.start < 0 || e.end > text.length || e.start >= e.end) continue;
      const m = maskValue(r.subtype ?? '', text.slice(e.start, e.end));
      for (let i = 0; i < m.length; i++) if (m[i] === '•' && text[e.start + i] !== '•') hidden[e.start + i] = 1;
    }
  }
  // runs of kept text as slices: most texts have nothing to hide
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!hidden[i]) continue;
    out += text.slice(from, i) + '•';
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const CONFIDENCE: Record<string, number> = { name: 0.75, handle: 0.7, health: 0.75 };
const RANK = { low: 0, medium: 1, high: 2 } as const;

// Shapes first; a name inside an address ("Willem de Zwijgerlaan 5") is part of the address.
// What makes a name a leak although it is said in the ordinary way ("juf Ilse" is not; "juf Ilse is
// ontslagen omdat ze een kind sloeg" is): health, violence, a crime or an accusation, self-harm, a home
// situation, a threat or sexual content in the same sentence.
const SENSITIVE =
  /\b(\w+kanker|behandeling|drankprobleem|verslaafd|sla(at|an)|sloeg|geslagen|mishandel\w*|misbruik\w*|geweld|opgepakt|gearresteerd|aangehouden|politie|aangifte|gestolen|steelt|stal|diefstal|dealt|pedo\w*|betast\w*|aangerand|verkracht\w*|ontslagen|ontslag|geschorst|non-actief|strafblad|dronken|drinkt|zuipt|fraude|verduister\w*|zelfmoord|suïcid\w*|suicid\w*|snijdt|scheiding|gescheiden|uithuisplaatsing|jeugdzorg|veilig thuis|bedreig\w*|dreig\w*|naaktfoto\w*|nudes?|seksue\w*|ziek|ziekte|zwanger\w*|burn-?out|overspannen|depress\w*|opgenomen|ziekenhuis|kanker|leukemie|autis\w*|adhd|dyslex\w*|epileps\w*|diabetes|allergi\w*|operatie|geopereerd|miskraam|rolstoel|handicap\w*|beperking|trauma|kill|stab|shoot|hurt|police|arrested|fired|suspended|abuse\w*|sick|illness|pregnant)\b/;

const OWN_CONTACT =
  /(t\.?\s?n\.?\s?v\.? (stichting|vereniging|ouderraad|obs|cbs|school|gemeente)|rekeningnummer van de (ouderraad|school|stichting|mr)|stichting ouderraad|open dag|kijkavond|informatieavond|van de school|schoolnummer|nummer van (de )?school|administratie|receptie|conciergeloge|het secretariaat|algemeen nummer|algemene nummer|bel(len)? (met )?de school|de school (bellen|op)|ziekmeld|ziek (melden|meld)|ziek bij|afmelden|verzuim|aanmelden|rondleiding|op (hun|de|onze) website|office number|main number|school's (phone|number)|the school on)/;
const CONTACT = new Set(['phone', 'email', 'address', 'postcode', 'iban']);
// An office's mailbox, not a person's: info@, verzuim@, administratie@school.nl.
const ROLE_MAILBOX =
  /^(info|verzuim|ziekmelding|ziekmeldingen|absentie|administratie|admin|secretariaat|receptie|aanmelden|aanmelding|directie|mr|gmr|ouderraad|or|klachten|contact|communicatie|pers|press|office|mail|post|noreply|no-reply|bestuur|leerlingenadministratie|zorg|planning)@/i;

// sensitive: spans (a threat, an accusation) that make a name next to them a leak; shaped: what
// shapedPersonalData already found in this text, so it is not searched twice.
export type NameContext = { sensitive?: { start: number; end: number }[]; shaped?: Risk[] };

export function allPersonalData(
  text: string,
  folded = fold(text),
  tokens = words(text, folded),
  ctx: NameContext = {},
): Risk[] {
  const found = people(text, folded, tokens);
  const named = found.some((f) => f.subtype === 'name');
  // "bel de school op …" is the school's; "aanmelden bij Bart Wolters via bart@…" is his.
  const ownContact = (e: Evidence) =>
    (e.text.includes('@') && ROLE_MAILBOX.test(e.text)) ||
    (OWN_CONTACT.test(folded.slice(Math.max(0, e.start - 60), e.end + 60)) &&
      !found.some((f) => f.subtype === 'name' && f.evidence.end <= e.start && e.start - f.evidence.end < 40));
  // The school's own number, address or office mailbox is there to be used, not a leak.
  const risks = (ctx.shaped ?? shapedPersonalData(text))
    .map((r) => ({
      ...r,
      evidence: r.evidence.filter(
        (e) => !(CONTACT.has(r.subtype!) && ownContact(e)) && (named || !weakEvidence.has(e)),
      ),
    }))
    .filter((r) => r.evidence.length);
  const taken = risks.flatMap((r) => r.evidence);
  const bySubtype = new Map<string, Risk>();
  const healthAt = found.filter((f) => f.subtype === 'health').map((f) => f.evidence);
  const sensitiveSentence = new Map<number, boolean>();
  const sensitiveAt = (start: number) => {
    const s = sentenceAt(folded, start);
    let words = sensitiveSentence.get(s.start);
    if (words === undefined) sensitiveSentence.set(s.start, (words = SENSITIVE.test(folded.slice(s.start, s.end))));
    return words || [...healthAt, ...(ctx.sensitive ?? [])].some((h) => h.start >= s.start - 1 && h.start <= s.end);
  };
  for (const f of found) {
    // A teacher by title and name, or one's own child by first name, is no leak on its own.
    if ((f.kind === 'title' || f.kind === 'own') && !sensitiveAt(f.evidence.start)) continue;
    if (taken.some((t) => f.evidence.start < t.end && f.evidence.end > t.start)) continue;
    taken.push(f.evidence);
    const r = bySubtype.get(f.subtype) ?? {
      type: 'personal_data' as const,
      subtype: f.subtype,
      severity: f.severity,
      confidence: CONFIDENCE[f.subtype] ?? 0.7,
      evidence: [],
    };
    if (RANK[f.severity] > RANK[r.severity]) r.severity = f.severity;
    r.evidence.push(f.evidence);
    bySubtype.set(f.subtype, r);
  }
  // A disease used as a curse ("die k@nker juf") says nothing about anyone's health.
  const health = bySubtype.get('health');
  if (health) {
    const curses = shaming({ text, folded, tokens })?.evidence ?? [];
    health.evidence = health.evidence.filter((e) => !curses.some((x) => e.start < x.end && e.end > x.start));
    if (!health.evidence.length) bySubtype.delete('health');
  }
  // A name next to a birth date or a BSN, or as a bank account's holder ("t.n.v. S. Hendriks"), says whose
  // they are, also when it is only a first name or initials.
  for (const r of risks) {
    if (!['birthdate', 'bsn', 'iban'].includes(r.subtype ?? '')) continue;
    for (const e of r.evidence) {
      const s = sentenceAt(folded, e.start);
      const holder = /t\.?\s?n\.?\s?v\.?|ten name van/.exec(folded.slice(e.end, e.end + 40));
      const spans = [...namesIn(text, tokens, s.start, s.end)];
      if (holder)
        spans.push(
          ...namesIn(
            text,
            tokens,
            e.end + holder.index + holder[0].length,
            Math.min(text.length, e.end + holder.index + holder[0].length + 40),
          ).slice(0, 1),
        );
      for (const n of spans) {
        if (taken.some((t) => n.start < t.end && n.end > t.start)) continue;
        // "bij juf Annelies": the teacher is not whose birth date it is.
        if (
          /(juf|juffrouw|meester|meneer|mevrouw|mentor|docent|leraar|lerares)\s+$/.test(
            folded.slice(Math.max(0, n.start - 12), n.start),
          )
        )
          continue;
        taken.push(n);
        const name = bySubtype.get('name') ?? {
          type: 'personal_data' as const,
          subtype: 'name',
          severity: 'medium' as const,
          confidence: CONFIDENCE.name!,
          evidence: [],
        };
        name.evidence.push(n);
        bySubtype.set('name', name);
      }
    }
  }
  for (const r of bySubtype.values()) r.evidence.sort((a, b) => a.start - b.start);
  return [...risks, ...bySubtype.values()];
}
