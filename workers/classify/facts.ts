import type { Doc } from './doc.ts';
import { fold, QUESTION_ONLY, readList } from './text.ts';
import { PhraseSet, splitTop } from './phrases.ts';
import type { Evidence } from './types.ts';

// A post against the school's own fact sheet, whatever its wording: the same subject (a shared word
// of the fact, or one of its synonyms) and a different value — the other side of an axis in
// lexicon/fact-axes.tsv ("sluit" against "blijft open", "verplicht" against "vrijwillig", "mag niet"
// against "toegestaan"), another amount of money, or another time of day. The fact goes with the
// evidence, so a correction can quote it.

type Side = 'yes' | 'no' | 'both';

const AXES = new Map<string, { yes: PhraseSet; no: PhraseSet }>();
const AXIS_WORDS = new Set<string>();
{
  const lists = new Map<string, { yes: string[]; no: string[] }>();
  for (const line of readList('fact-axes.tsv')) {
    const [axis, side, words] = line.split('\t').map((c) => c?.trim());
    if (!axis || !words || (side !== 'yes' && side !== 'no')) continue;
    const l = lists.get(axis) ?? { yes: [], no: [] };
    l[side].push(
      ...splitTop(words)
        .map((w) => w.trim())
        .filter(Boolean),
    );
    lists.set(axis, l);
  }
  for (const [axis, l] of lists) AXES.set(axis, { yes: new PhraseSet(l.yes), no: new PhraseSet(l.no) });
  // The words of the axes say how, not what about: they are never a shared subject.
  for (const l of lists.values())
    for (const p of [...l.yes, ...l.no])
      for (const w of p.split(/[\s|()*?~]+/)) if (w && !/^\d+$/.test(w)) AXIS_WORDS.add(w);
}

// Words that say nothing about the subject, and synonyms that do.
const STOP = new Set(
  'goed goede slecht slechte fijn leuk mooi helemaal eigenlijk gewoon voelt vind vindt denk de het een en van in op is zijn voor met te dat die deze dit niet geen ook er als maar bij aan om uit tot naar wordt worden heeft hebben kan mag moet moeten per jaar jaren kind kinderen leerling leerlingen school scholen ouders ouder groep groepen dag dagen week weken uur euro alle andere gewoon echt nog wel meer al nu dan toch over onder door wat hoe waar wie welke zo heel erg veel weinig eerder later vanaf sinds tussen binnen buiten hun haar zijn ons onze jullie jij je ik we wij zij ze hij the and for with this that are not they their our your you from about only also just still have has been was were will would can does'.split(
    ' ',
  ),
);
const SYNONYMS: string[][] = [
  ['telefoon', 'mobiel', 'mobieltje', 'gsm', 'smartphone', 'phone'],
  ['ouderbijdrage', 'bijdrage', 'schoolgeld', 'contribution', 'fee'],
  ['opvang', 'bso', 'kinderopvang', 'naschoolse', 'daycare', 'afterschool'],
  ['tweetalig', 'tweetalige', 'tto', 'bilingual'],
  ['inspectie', 'onderwijsinspectie', 'inspecteur', 'inspection', 'inspectorate'],
  ['doopbewijs', 'gedoopt', 'kerk', 'geloof', 'geloofsovertuiging', 'baptised', 'baptized', 'church'],
  ['overblijven', 'overblijf', 'tso', 'tussenschoolse'],
  ['schoolreis', 'schoolreisje', 'schooluitje'],
  ['locatie', 'pand', 'gebouw', 'verhuist', 'verhuizen', 'verhuisplannen', 'huurcontract', 'building'],
  ['fusie', 'fuseert', 'fuseren', 'samengaan', 'samengevoegd', 'zelfstandig', 'merger', 'merging'],
  ['uniform', 'schooluniform', 'uniforms'],
  ['laptop', 'chromebook', 'ipad', 'tablet'],
  [
    'rooster',
    'schooltijden',
    'lestijden',
    'continurooster',
    'les',
    'lessen',
    'eerste',
    'uit',
    'vrij',
    'begint',
    'eindigt',
    'start',
  ],
  ['asbest', 'asbestos'],
  ['hoofddoek', 'hoofddoeken', 'hoofddoekverbod', 'headscarf', 'headscarves'],
  ['pet', 'petten', 'capuchon', 'capuchons'],
  ['grieks', 'latijn', 'klassieke'],
  ['nieuwbouw', 'verhuist', 'units'],
  ['romereis', 'rome', 'werkweek'],
  [
    'leerkracht',
    'leerkrachten',
    'leraar',
    'leraren',
    'lerares',
    'docent',
    'docenten',
    'docente',
    'meester',
    'juf',
    'personeel',
    'teacher',
    'teachers',
  ],
];
const SYN = new Map<string, number>();
SYNONYMS.forEach((g, i) => g.forEach((w) => SYN.set(w, i)));

// What the school or its board says itself is news, not a rumour (the inspectie or police are not the school).
const OFFICIAL =
  /\b(zegt|zei|aldus|bevestigd|gemeld|bevestigt|bevestigde|meldt|meldde|laat weten|liet weten|laten weten|maakt bekend|maakte bekend|schrijft|schreef|kondigt|kondigde)\b.{0,30}\b(bestuur|directie|directeur|school|rector|schoolleiding|stichting|woordvoerder)\b|\b(bestuur|directie|directeur|rector|schoolleiding|stichting|woordvoerder)\b.{0,40}\b(bevestigt|bevestigde|meldt|meldde|laat weten|liet weten|laten weten|heeft laten weten|maakt bekend|schrijft|schreef|zegt|zei)\b|in een brief|in de nieuwsbrief|op de website van de school|according to (the|a|their) (newsletter|school|board|letter|website)|volgens de (nieuwsbrief|school|website|brief)/;

// "pauzes" and "pauze" both to "pauz": endings off twice, keeping four letters.
const stem1 = (w: string) => (w.length > 5 ? w.replace(/(tjes|jes|tje|je|en|s|e)$/, '') : w.replace(/(en|s|e)$/, ''));
const stemmed = new Map<string, string>();
const stem = (w: string) => {
  let out = stemmed.get(w);
  if (out === undefined) {
    const a = stem1(w);
    out = /es$/.test(w) && /e$/.test(a) && a.length > 4 ? a.slice(0, -1) : a;
    if (stemmed.size >= 50_000) stemmed.clear();
    stemmed.set(w, out);
  }
  return out;
};
const MONEY = /(?:€\s?(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s?(?:euro|eur)\b)/g;
const TIME =
  /\b(\d{1,2})[.:](\d{2})\b|\bhalf (een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)\b|\b(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf) uur\b|\bkwart (over|voor) (een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)\b/g;
const MONTH_NAMES = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];
const DATE = new RegExp(`\\b(\\d{1,2}) (${MONTH_NAMES.join('|')})\\b`, 'g');
const SCHEDULE =
  /\b(closes|opens|starts|ends|finishes|close|open|uit|vrij|les|lessen|begint|beginnen|begon|start|starten|eindigt|eindigen|tot|schooltijd|schooltijden|rooster|open|dicht|dichtgaat|sluit|school|opvang|overblijf|lesuur|lesdag|woensdag|vrijdag|dagen)\b/;
const HOURS: Record<string, number> = {
  een: 1,
  twee: 2,
  drie: 3,
  vier: 4,
  vijf: 5,
  zes: 6,
  zeven: 7,
  acht: 8,
  negen: 9,
  tien: 10,
  elf: 11,
  twaalf: 12,
};
// Words of a school's name ("OBS De Wilgenhoek", "Scheldemond Lyceum") are not a subject.
const NAME_CONTEXT =
  /^(de|het|obs|cbs|pcbs|rkbs|basisschool|kindcentrum|gymnasium|college|lyceum|isk|sint|st|stedelijk)$/;

type View = {
  anchors: Set<string>;
  syn: Set<number>;
  sides: Map<string, { side: Side; start: number; end: number }>;
  money: number[];
  times: number[];
  dates: number[];
  absent: Set<string>;
  asserted: Set<string>;
};

type AxisMatch = { axis: string; side: 'yes' | 'no'; index: number; 0: string };
// Every axis phrase of a text, found once for the whole text (a sentence's view takes its share).
function axisMatches(folded: string): AxisMatch[] {
  const out: AxisMatch[] = [];
  for (const [axis, sets] of AXES)
    for (const side of ['no', 'yes'] as const)
      for (const m of sets[side].all(folded)) out.push({ axis, side, index: m.index, 0: m[0] });
  return out;
}

function view(text: string, folded: string, offset = 0, matches?: AxisMatch[]): View {
  const words = [...folded.matchAll(/[\p{L}][\p{L}\p{N}'-]*/gu)];
  const anchors = new Set<string>();
  const syn = new Set<number>();
  words.forEach((m, i) => {
    const w = m[0];
    const original = text.slice(m.index!, m.index! + w.length);
    const prev = words[i - 1]?.[0] ?? '';
    const capital = /^\p{Lu}/u.test(original) && i > 0;
    if (capital && (NAME_CONTEXT.test(prev) || /^(in|te|aan|naar)$/.test(prev))) return;
    for (const part of w.split('-')) {
      const s = SYN.get(part) ?? SYN.get(stem(part));
      if (s !== undefined) syn.add(s);
      if (part.length >= 4 && !STOP.has(part) && !AXIS_WORDS.has(part) && !capital) anchors.add(stem(part));
    }
  });
  const sides = new Map<string, { side: Side; start: number; end: number }>();
  const all = matches ?? axisMatches(folded);
  for (const axis of AXES.keys()) {
    const taken: { start: number; end: number }[] = [];
    for (const side of ['no', 'yes'] as const) {
      for (const m of all.filter((x) => x.axis === axis && x.side === side)) {
        // "fuseert niet" is one finding, not also "fuseert".
        if (taken.some((t) => m.index < t.end && m.index + m[0].length > t.start)) continue;
        taken.push({ start: m.index, end: m.index + m[0].length });
        const before = folded
          .slice(Math.max(0, m.index - 40), m.index)
          .split(/[,;:.!?]/)
          .at(-1)!;
        const after = folded.slice(m.index + m[0].length, m.index + m[0].length + 30);
        // "iemand laten verdwijnen": not about the school.
        if (/\b(laten|laat|liet)\s+$/.test(before)) continue;
        // "sluit aan bij", "sluit zich aan": joining, not closing.
        if (/^sluit/.test(m[0]) && /^\s*(zich\b|aan\b|\S+\s+aan\b)/.test(after)) continue;
        // "hij stopt met tto", "ik ga verhuizen": about a person, not the school.
        if (
          side === 'no' &&
          axis !== 'allow' &&
          /\b(hij|zij|ze|ik|we|wij|mijn|m'n|mn|onze|he|she|i)\s+(\S+\s+)?$/.test(before)
        )
          continue;
        // "niet verplicht", "geen plannen om te fuseren", "geen plannen voor sluiting, fusie of verhuizing",
        // "fusie … van de baan": turned round.
        const list = folded
          .slice(Math.max(0, m.index - 70), m.index)
          .split(/[.;!?]/)
          .at(-1)!;
        const negatedList = /\b(geen|niet|nooit|no|not)\b(\s+\S+){0,3}\s+(\S+,\s+|\S+\s+(of|en|or|and)\s+)+$/.test(
          list,
        );
        const flipped =
          ((/\b(niet|geen|nooit|not|no|never)\b(\s+\S+){0,3}\s+$/.test(before) || negatedList) &&
            !/^(niet|geen|nooit)/.test(m[0])) !==
          /^\s*(\S+\s+){0,2}(van de baan|gaat niet door|gaan niet door|afgeblazen|niet aan de orde|klopt niet|is niet waar)/.test(
            after,
          );
        const found = {
          side: flipped ? (side === 'yes' ? 'no' : 'yes') : side,
          start: offset + m.index,
          end: offset + m.index + m[0].length,
        } as const;
        const had = sides.get(axis);
        // Both sides in one sentence ("geen plannen om te fuseren … blijft zelfstandig" reads both ways): undecided.
        if (had && had.side !== found.side) sides.set(axis, { ...had, side: 'both' as Side });
        else if (!had) sides.set(axis, found);
      }
    }
  }
  // "telefoonverbod", "hoofddoekverbod": a ban; "geen telefoonverbod": none.
  if (!sides.has('allow')) {
    for (const m of folded.matchAll(/\b(\p{L}+)verbod\b/gu)) {
      const negated = /\b(geen|niet|nooit|no)\s+(\S+\s+)?$/.test(folded.slice(Math.max(0, m.index! - 15), m.index!));
      sides.set('allow', {
        side: negated ? 'yes' : 'no',
        start: offset + m.index!,
        end: offset + m.index! + m[0].length,
      });
      break;
    }
  }
  const money = [...folded.matchAll(MONEY)].map((m) => Number((m[1] ?? m[2])!.replace(',', '.')));
  // Times of the school day only: "om 12.00 uur uit", "les tot 15.00", "begint om 8.00" — not "ik was er om 8.40".
  const times = [...folded.matchAll(TIME)]
    .filter(
      (m) =>
        SCHEDULE.test(folded.slice(Math.max(0, m.index! - 30), m.index! + m[0].length + 25)) &&
        !/\b(ik|we|geboren|was er|waren er|kwam|kwamen)\b[^,.]{0,20}$/.test(
          folded.slice(Math.max(0, m.index! - 25), m.index!),
        ),
    )
    .map((m) =>
      m[1]
        ? Number(m[1]) * 60 + Number(m[2])
        : m[3]
          ? (HOURS[m[3]]! - 1) * 60 + 30
          : m[4]
            ? HOURS[m[4]]! * 60
            : HOURS[m[6]!]! * 60 + (m[5] === 'over' ? 15 : -15),
    )
    .map((t) => (t < 7 * 60 ? t + 12 * 60 : t));
  // "geen schooluniform": something the school does not have; "er komt een schooluniform" asserts it.
  const absent = new Set<string>();
  for (const m of folded.matchAll(/\bgeen (\p{L}{5,})/gu)) absent.add(stem(m[1]!));
  const asserted = new Set<string>();
  if (
    /\b(komt|komen|wordt|worden|ingevoerd|invoeren|voert|verplicht|verplichte|moet|moeten|krijgt|krijgen|heeft nu|hebben nu|vragen|vraagt|betaal|betaalt|betalen|kost|kosten)\b/.test(
      folded,
    ) &&
    !/\b(geen|niet|nooit)\b/.test(folded)
  )
    for (const w of anchors) asserted.add(w);
  const dates = [...folded.matchAll(DATE)].map((m) => (MONTH_NAMES.indexOf(m[2]!) + 1) * 100 + Number(m[1]));
  return { anchors, syn, sides, money, times, dates, absent, asserted };
}

// A fact and its parts ("mogen hun mobiel in de pauzes gebruiken; tijdens de lessen zit de telefoon in
// de kluis" holds two rules): a post is held against the part that shares most of its words.
const factViews = new Map<string, View[]>();
const factParts = (fact: string) => {
  let v = factViews.get(fact);
  if (!v) {
    if (factViews.size > 5000) factViews.clear();
    const parts = fact.split(/;\s+|:\s+/).filter((p) => p.trim().length > 8);
    v = [view(fact, fold(fact)), ...(parts.length > 1 ? parts.map((p) => view(p, fold(p))) : [])];
    factViews.set(fact, v);
  }
  return v;
};
const factView = (fact: string) => factParts(fact)[0]!;
// Shared words count double: a synonym group ("les", "rooster") is shared more easily.
const overlap = (a: View, b: View) =>
  2 * [...a.anchors].filter((w) => b.anchors.has(w)).length + [...a.syn].filter((s) => b.syn.has(s)).length;
// Claims about the school as a whole: closing, merging, moving, no longer admitting.
const SCHOOL_WIDE =
  /\b(gaat dicht|gaan dicht|dichtgaat|dicht gaat|sluit (de deuren|definitief|na|per|volgend|aan het eind|binnenkort|over)|wordt (gesloten|opgeheven)|worden (gesloten|opgeheven)|houdt op te bestaan|stopt (na|per|volgend|ermee|aan het eind|over)|fuseert|fuseren|gaat samen met|gaan samen met|verhuist|verhuizen|gaat verhuizen|neemt (volgend jaar |dit jaar |vanaf \S+ )?geen|nemen geen|aanmeldstop|loting|loten|is closing|will close|closes|merging|moving)\b/;
// A wish, a demand or a fear is no claim: "de school moet hem ontslaan", "bang dat het zou stoppen".
const NOT_A_CLAIM =
  /\b(moet|moeten|zou|zouden|should|vind dat|vind ik|vinden dat|hoop|hopen|wil|willen|eis|eisen|bang dat|angst dat|als ze|stel dat)\b/;
// A post that asks the school to say whether a story is true passes it on to have it checked.
const ASKS = /\b(duidelijkheid|kan de school|kan het \S+ hier|graag een reactie|wil de school)\b/;
// Parts of a school that can close or move on their own: "de gymzaal gaat dicht" is not the school.
const PART_OF_SCHOOL =
  /\b(gymzaal|kantine|bieb|bibliotheek|zwembad|speeltuin|lokaal|lokalen|toiletten|wc|parkeerplaats|fietsenstalling|kiosk|aula|winkel|opvang|bso|keuken|website|app|weg|straat|brug|ingang)\b/;

function sameSubject(a: View, b: View): boolean {
  for (const s of a.syn) if (b.syn.has(s)) return true;
  for (const w of a.anchors) {
    if (b.anchors.has(w)) return true;
    // Compounds: "telefoonverbod" is about the "telefoon", "tto-bijdrage" about the "bijdrage".
    if (w.length >= 6) for (const x of b.anchors) if (x.length >= 6 && (w.includes(x) || x.includes(w))) return true;
  }
  return false;
}

// The words of a fact sheet (and their synonyms): a sentence with none of them, no money, no time of
// day and no claim about the school as a whole cannot contradict it.
const sheetWords = new Map<string, Set<string>>();
function wordsOfSheet(facts: string[]): Set<string> {
  const key = facts.join('\n');
  let set = sheetWords.get(key);
  if (!set) {
    set = new Set<string>();
    for (const f of facts) {
      const v = factView(f);
      for (const a of v.anchors) set.add(a);
      for (const g of v.syn) for (const w of SYNONYMS[g]!) set.add(stem(w));
    }
    if (sheetWords.size > 1000) sheetWords.clear();
    sheetWords.set(key, set);
  }
  return set;
}

export function contradictedFacts(doc: Doc, facts: string[]): Evidence[] {
  if (!facts.length) return [];
  const sheet = wordsOfSheet(facts);
  const long = [...sheet].filter((w) => w.length >= 6);
  const relevant = new Set<number>();
  for (const t of doc.toks) {
    if (relevant.has(t.sentence)) continue;
    const st = stem(t.key);
    if (sheet.has(st) || (st.length >= 6 && long.some((w) => st.includes(w) || w.includes(st))))
      relevant.add(t.sentence);
  }
  if (
    /€|euro|\d[.:]\d\d|\buur\b|\bkwart (over|voor)\b/.test(doc.folded) ||
    SCHOOL_WIDE.test(doc.folded) ||
    /verbod/.test(doc.folded)
  )
    for (let i = 0; i < doc.sentences.length; i++) relevant.add(i);
  if (!relevant.size) return [];
  const out: Evidence[] = [];
  const allTimes = facts.flatMap((f) => factView(f).times);
  const docMatches = axisMatches(doc.folded);
  for (const [si, s] of doc.sentences.entries()) {
    if (s.end <= s.start || !relevant.has(si)) continue;
    const start = doc.toks[s.start]!.start;
    const end = doc.toks[s.end - 1]!.end;
    // A question asks; it does not claim ("…dichtgaat, weet iemand meer?" does claim).
    if (QUESTION_ONLY.test(doc.folded.slice(start, end + 2))) continue;
    const sentence = doc.folded.slice(start, end);
    if (OFFICIAL.test(sentence) || ASKS.test(doc.folded)) continue;
    const c = view(
      doc.text.slice(start, end),
      sentence,
      start,
      docMatches.filter((m) => m.index >= start && m.index < end).map((m) => ({ ...m, index: m.index - start })),
    );
    for (const fact of facts) {
      const whole = factView(fact);
      // The school as a whole (open, merging, moving, admitting) needs no shared word: the post is about it.
      const schoolWide =
        SCHOOL_WIDE.test(sentence) &&
        [...c.sides.keys()].some((a) => ['exists', 'merge', 'place', 'admit'].includes(a) && whole.sides.has(a)) &&
        !PART_OF_SCHOOL.test(sentence);
      if (!sameSubject(c, whole) && !schoolWide) continue;
      const parts = factParts(fact);
      const best = parts.length > 1 ? parts.slice(1).reduce((a, b) => (overlap(c, b) > overlap(c, a) ? b : a)) : whole;
      const f = overlap(c, best) > 0 ? best : whole;
      let span: { start: number; end: number } | undefined;
      for (const [axis, side] of c.sides) {
        if (NOT_A_CLAIM.test(doc.folded.slice(start, side.start))) continue;
        const other = f.sides.get(axis) ?? whole.sides.get(axis);
        // A time of day is a schedule, not a closure: "sluit om 17.30".
        if (axis === 'exists' && c.times.length) continue;
        if (other && other.side !== side.side && other.side !== 'both' && side.side !== 'both') span = side;
      }
      // Money: only about the same thing ("ouderbijdrage", "schoolreis"), not any "bijdrage".
      // "geen schooluniform" against "er komt een verplicht schooluniform"
      if (!span && [...whole.absent].some((w) => c.asserted.has(w))) span = { start, end };
      const feeWords = /\b(ouderbijdrage|schoolgeld|vrijwillige bijdrage|schoolfonds)\b/;
      const sameFee = feeWords.test(sentence) && feeWords.test(fold(fact));
      const sameThing =
        sameFee ||
        [...c.syn].some(
          (g) => f.syn.has(g) && !['rooster', 'leerkracht', 'ouderbijdrage'].includes(SYNONYMS[g]![0]!),
        ) ||
        [...c.anchors].some(
          (w) => w.length >= 6 && w !== 'bijdrag' && [...f.anchors].some((x) => x.includes(w) || w.includes(x)),
        );
      if (!span && c.money.length && whole.money.length && c.money.some((m) => !whole.money.includes(m)) && sameThing)
        span = { start, end };
      // "€50 ouderbijdrage" where the sheet says there is none.
      const says = (w: string) =>
        c.anchors.has(w) || [...c.anchors].some((x) => x.length >= 6 && (x.includes(w) || w.includes(x)));
      if (
        !span &&
        c.money.some((m) => !whole.money.includes(m)) &&
        [...whole.absent].some((w) => says(w) && ![...c.absent].some((x) => x.includes(w) || w.includes(x)))
      )
        span = { start, end };
      // A time of day that appears nowhere on the sheet, about a schedule the sheet gives.
      if (!span && c.times.length && whole.times.length && c.times.some((t) => !allTimes.includes(t)))
        span = { start, end };
      // Another date for the same event ("de open dag is op 30 januari" against "op zaterdag 23 januari").
      if (
        !span &&
        c.dates.length &&
        whole.dates.length &&
        c.dates.some((d) => !whole.dates.includes(d)) &&
        [...c.anchors].some((w) => whole.anchors.has(w))
      )
        span = { start, end };
      if (span) out.push({ start: span.start, end: span.end, text: doc.text.slice(span.start, span.end), fact });
    }
  }
  return out;
}
