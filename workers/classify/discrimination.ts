import type { Doc, Tok } from './doc.ts';
import { dedupe } from './evidence.ts';
import { kindsFile } from './lexicon.ts';
import { wordWeight } from './sentiment.ts';
import { targetKind } from './threat.ts';
import type { Evidence, Risk } from './types.ts';

// Abuse, dehumanisation, slurs and negative stereotypes aimed at people for a protected
// characteristic (art. 1 Grondwet: origin, religion, skin colour, gender, sexual orientation, gender
// identity, disability; group insult and incitement are offences under art. 137c/137d Sr), and calls
// to keep them out. First the people: a group word ("Marokkanen"), a group word with a person
// ("Poolse kinderen", "een lesbische juf"), a person with a characteristic ("kinderen met autisme",
// "die juf met die hoofddoek"). Then what is said of them in their clause (or the next sentence, when
// it refers back): a slur, a comparison with animals or vermin, a negative trait, a feeling word, or
// that they should go. Named plainly, praised, defended, or as victims ("worden gepest") is not
// discrimination, and a sentence that condemns racism or reports a slur to condemn it is counter-speech.

const GROUP = kindsFile('groups.tsv');
const WORDS = kindsFile('discrimination.tsv');
const PHRASES = new Map<string, string[][]>();
for (const [w, kinds] of WORDS)
  if (w.includes(' ')) for (const k of kinds) PHRASES.set(k, [...(PHRASES.get(k) ?? []), w.split(' ')]);
const is = (t: Tok | undefined, kind: string) => !!t && !!WORDS.get(t.key)?.has(kind);
// Group words that are ordinary words too: "zwarte jas", "trans", "down", "speciaal", "vrouw".
const AMBIGUOUS = new Set([
  'getinte',
  'zwarte',
  'donkere',
  'bruine',
  'blanke',
  'black',
  'brown',
  'trans',
  'down',
  'speciaal',
  'beperking',
  'beperkingen',
  'syndroom',
  'pool',
  'turk',
  'dove',
  'doof',
  'gay',
  'vrouw',
  'mannen',
  'meisjes',
  'meiden',
  'vrouwen',
  'girls',
  'women',
  'females',
  'vrouwelijke',
  'roze',
  'isk',
  'azc',
  'blinde',
  'adhd',
  'dyslexie',
  'rolstoel',
  'stotteren',
  'christelijke',
  'christen',
  'christenen',
  'joodse',
  'islamitische',
  'chinese',
  'chinees',
]);
const GENDER_OR_LOOSE = new Set([
  'vrouw',
  'mannen',
  'meisjes',
  'meiden',
  'vrouwen',
  'girls',
  'women',
  'females',
  'vrouwelijke',
]);
// The group as victim or the subject of care: "worden gepest", "hebben het zwaar".
const VICTIM =
  /^\s*(\S+\s+){0,2}(wordt|worden|werd|werden|zijn|is|was|waren|voelen zich|voelt zich|hebben het|heeft het)\s+(\S+\s+){0,2}(gepest|uitgescholden|gediscrimineerd|buitengesloten|bedreigd|geslagen|aangevallen|lastiggevallen|uitgelachen|genegeerd|moeilijk|zwaar|bang|slachtoffer)|^\s*(\S+\s+){0,2}(voelen|voelt|voelden) zich (\S+\s+){0,2}(niet welkom|niet veilig|onveilig|buitengesloten)/;
const STRONG_COUNTER =
  /^(racis|discrimin|gediscrimineerd|homofo|transfo|antisemit|islamofob|moslimhaat|jodenhaat|vreemdelingenhaat|vooroordee|stereotyp|prejudice|gelijkwaardig|inclusie|diversiteit|solidariteit|uitgescholden|uitschelden|uitgemaakt|scheldwoord|scheldpartij|genoemd|noemde|noemden)/;
// "te veel Marokkanen", "school vol allochtonen", "full of foreigners"
const FLOOD = /(te veel|teveel|vol met|vol|overspoeld (met|door)|full of|too many|alleen maar)\s*$/;
// "moeten weg", "horen hier gewoon niet", "horen op een speciale school", "bij hun eigen mensen"
const EXCLUDE =
  /^\s*(\S+\s+){0,6}?(can't|cannot|cant|couldn't) (even )?(read|speak|write|count|drive|learn|do|think)\b|^\s*(\S+\s+){0,6}?(horen|hoort|hoorden) (hier |daar |gewoon |echt |toch |helemaal |dus )*(niet|nergens)\b|^\s*(\S+\s+){0,6}?(horen|hoort) (gewoon |echt |toch |dus )*(op|in|bij) (een |het )?(speciaal|speciale|eigen|aparte|apart)|\bbij (hun|jullie|je) eigen (mensen|soort|volk|land)|\bgeen\b.{0,40}\btoelaten\b|^\s*(\S+\s+){0,4}?(kunnen|kan|can't|cannot|cant) (gewoon |toch |nou eenmaal |echt |nooit |eens )*(geen|niet|nooit)\b/;
const DISABILITY_SLUR = new Set([
  'mongool',
  'mongolen',
  'mongooltje',
  'spast',
  'spasten',
  'downie',
  'downies',
  'debiel',
  'debielen',
  'retard',
  'retards',
  'retarded',
  'spaz',
  'spasticus',
  'zwakzinnige',
  'zwakzinnig',
  'zwakzinnigen',
]);
const DISABILITY_CONTEXT =
  /(basisklas|rolstoel|speciaal onderwijs|speciale school|beperking|autis|syndroom|down|gehandicapt|zorgklas|lvb|praktijkonderwijs|kwijlen|special needs|disab|wheelchair|doof|dove|blind|slechtziend|slechthorend|stotter|dyslex|adhd|gebarentaal)/;
const BACK = new Set(['die', 'ze', 'zij', 'zulke', 'hun', 'haar', 'hem', 'zo', 'dat', 'they', 'them', 'those', 'such']);

// Words that can begin a reference without being a group word: "kinderen met autisme".
const PERSONISH_KEYS = new Set([
  'kind',
  'kinderen',
  'kindje',
  'leerling',
  'leerlingen',
  'jongen',
  'jongens',
  'meisje',
  'meisjes',
  'juf',
  'meester',
  'leraar',
  'lerares',
  'docent',
  'moeder',
  'vader',
  'ouders',
  'mensen',
  'man',
  'vrouw',
  'kid',
  'kids',
  'child',
  'children',
  'student',
  'students',
  'boy',
  'girl',
  'pupil',
  'pupils',
]);

const ground = (key: string) => {
  const kinds = GROUP.get(key);
  return kinds ? [...kinds].find((k) => k !== 'country') : undefined;
};
const VERBS = new Set([
  'zijn',
  'is',
  'kunnen',
  'kan',
  'moeten',
  'moet',
  'horen',
  'hoort',
  'mogen',
  'mag',
  'hebben',
  'heeft',
  'willen',
  'wil',
  'doen',
  'doet',
  'gaan',
  'gaat',
  'stelen',
  'zitten',
  'zit',
  'komen',
  'krijgen',
  'verpesten',
  'are',
  'can',
  'cant',
  "can't",
  'should',
  "shouldn't",
  'shouldnt',
  'have',
  'do',
  'steal',
  'dont',
  "don't",
  'never',
  'always',
  'zijn',
  'waren',
]);
const PREP = new Set(['uit', 'van', 'in', 'op', 'bij', 'met', 'from', 'in', 'at']);

// A reference to people by a protected characteristic, with the tokens it spans.
function reference(
  doc: Doc,
  t: Tok,
): { start: number; end: number; last: number; ground: string; loose: boolean; slur?: boolean } | undefined {
  const g = ground(t.key) ?? t.key.split('-').map(ground).find(Boolean);
  const next = doc.toks[t.i + 1];
  const person = (x: Tok | undefined) =>
    !!x && x.clause === t.clause && ['person', 'group'].includes(targetKind(x) ?? '');
  if (g) {
    // "Poolse kinderen", "zwarte juf", "homoseksuele mentor"
    if (person(next)) return { start: t.start, end: next!.end, last: next!.i, ground: g, loose: false };
    // "autistisch", "Poolse": an adjective names people only before a person ("Poolse kinderen").
    if (
      /(isch|ische|sche|ese|aanse|ense|kse|lse|ijnse)$/.test(t.key) &&
      !['chinese', 'japanese', 'vietnamese'].includes(t.key)
    )
      return undefined;
    if (!AMBIGUOUS.has(t.key))
      return { start: t.start, end: t.end, last: t.i, ground: g, loose: GENDER_OR_LOOSE.has(t.key) };
    const prev = doc.toks[t.i - 1];
    const det =
      !!prev &&
      ([
        'die',
        'deze',
        'alle',
        'zulke',
        'jullie',
        'de',
        'those',
        'all',
        'the',
        'een',
        "zo'n",
        'zon',
        'dat',
        'van',
      ].includes(prev.key) ||
        is(prev, 'adjective'));
    const verbAfter = !!next && next.clause === t.clause && VERBS.has(next.key);
    const plural = /(en|s|'s)$/.test(t.key);
    const loose = GENDER_OR_LOOSE.has(t.key);
    // "Meisjes kunnen …", "alle vrouwen zijn …" speak of a gender; "die meiden van groep 8" of some girls.
    if (loose) {
      const specific =
        (!!prev &&
          prev.sentence === t.sentence &&
          ['die', 'deze', 'de', 'onze', 'mijn', 'jullie', 'those', 'the'].includes(prev.key)) ||
        (!!next && ['van', 'uit', 'in', 'op', 'bij', 'from', 'in'].includes(next.key));
      const dehumanNear = doc.toks.slice(t.i + 1, Math.min(doc.toks.length, t.i + 9)).some((x) => is(x, 'dehuman'));
      return plural && (!specific || dehumanNear) && (verbAfter || dehumanNear)
        ? { start: t.start, end: t.end, last: t.i, ground: g, loose: true }
        : undefined;
    }
    if (
      (det &&
        prev!.sentence === t.sentence &&
        (!next || next.clause !== t.clause || !/^\p{L}/u.test(next.key) || verbAfter || PREP.has(next.key))) ||
      (plural && verbAfter)
    )
      return { start: t.start, end: t.end, last: t.i, ground: g, loose: false };
    return undefined;
  }
  // "kinderen met autisme", "die juf met die hoofddoek", "een kind in een rolstoel", "kinderen uit Afrika"
  const slurLike = is(t, 'dehuman') || is(t, 'slur');
  if ((person(t) || slurLike) && next && ['met', 'with', 'uit', 'from', 'in'].includes(next.key)) {
    for (let i = t.i + 2; i < Math.min(doc.toks.length, t.i + 6); i++) {
      const x = doc.toks[i]!;
      if (x.clause !== t.clause) break;
      const kinds = GROUP.get(x.key);
      if (!kinds) continue;
      if ((next.key === 'uit' || next.key === 'from') && !kinds.has('country')) continue;
      if (next.key === 'in' && x.key !== 'rolstoel') continue;
      const gx = [...kinds].find((k) => k !== 'country') ?? 'origin';
      if (gx !== 'gender') return { start: t.start, end: x.end, last: i, ground: gx, loose: false, slur: slurLike };
    }
  }
  return undefined;
}

function phraseAt(doc: Doc, kind: string, i: number): { start: number; end: number } | undefined {
  const t = doc.toks[i]!;
  if (is(t, kind)) return { start: t.start, end: t.end };
  for (const p of PHRASES.get(kind) ?? [])
    if (p.every((w, j) => doc.toks[i + j]?.key === w)) return { start: t.start, end: doc.toks[i + p.length - 1]!.end };
  return undefined;
}

// "kankermarokkaan", "tyfusjood": a curse fused to a group word is a slur.
const CURSES = [...WORDS].filter(([, kinds]) => kinds.has('curse')).map(([w]) => w);
function cursedGroup(t: Tok): boolean {
  if (t.key.length < 6) return false;
  for (const w of CURSES) {
    if (!t.key.startsWith(w) || t.key.length <= w.length + 2) continue;
    const rest = t.key.slice(w.length).replace(/^-/, '');
    if (GROUP.has(rest) && !GENDER_OR_LOOSE.has(rest)) return true;
  }
  return false;
}

export function discrimination(
  doc: Doc,
  language = 'nl',
  threats: { start: number; end: number }[] = [],
): Risk | undefined {
  const found: Evidence[] = [];
  const add = (start: number, end: number) => found.push({ start, end, text: doc.text.slice(start, end) });
  // Quoted and reported ("op de deur staat 'alle homo's dood'"), or a sentence that condemns it.
  const reported =
    /\b(staat|stond|stonden|schreef|schreven|riep|riepen|roepen|roept|schreeuwen|schreeuwde|schreeuwt|gespoten|gekalkt|gepost|postte|zei|zeiden|zeggen|zegt|noemde|noemden|noemen|noemt|geroepen|gezegd|geschreven|hoorde|hoorden|uitschelden|scheldt|schold)\b/.test(
      doc.folded,
    );
  // Only words about discrimination itself ("racisme", "discriminatie") condemn a statement; a bigot can
  // call something "onacceptabel" too. Words of disgust count for a quoted or reported slur.
  const strongIn = new Set<number>();
  const weakIn = new Set<number>();
  for (const x of doc.toks) {
    if (!is(x, 'counter')) continue;
    weakIn.add(x.sentence);
    if (STRONG_COUNTER.test(x.key)) strongIn.add(x.sentence);
  }
  const counter = (t: Tok, strict = false) => {
    if (strongIn.has(t.sentence)) return true;
    if (strict) return false;
    return weakIn.has(t.sentence) || (t.quoted && (reported || weakIn.size > 0));
  };
  for (let k = 0; k < doc.toks.length; k++) {
    const t = doc.toks[k]!;
    // Most words are none of these: look them up once.
    if (
      !WORDS.has(t.key) &&
      !GROUP.has(t.key) &&
      !DISABILITY_SLUR.has(t.key) &&
      t.key !== 'ching' &&
      t.key !== 'tjing' &&
      t.key !== 'pot' &&
      t.key !== 'nicht' &&
      !t.key.includes('-') &&
      !PERSONISH_KEYS.has(t.key) &&
      t.key.length < 6 &&
      !['person', 'group'].includes(targetKind(t) ?? '')
    )
      continue;
    if (is(t, 'slur') || cursedGroup(t)) {
      if (!counter(t, !t.quoted)) add(t.start, t.end);
      continue;
    }
    // "die mongool uit de basisklas", "die spast in de rolstoel": a disability slur where disability is
    // the subject; aimed at anyone else it is an insult (shaming) only.
    if (DISABILITY_SLUR.has(t.key) && DISABILITY_CONTEXT.test(doc.folded) && !counter(t, !t.quoted)) {
      add(t.start, t.end);
      continue;
    }
    if (/(ching chong|tjing tjong)/.test(doc.folded.slice(t.start, t.start + 12)) && !counter(t)) {
      add(t.start, t.start + 11);
      continue;
    }
    if (
      ((t.key === 'nicht' &&
        /(is|bent|ben) (echt |gewoon |zo'n |zon )?(een )?$/.test(
          doc.folded.slice(Math.max(0, t.start - 22), t.start),
        )) ||
        (t.key === 'pot' && /^(die|jij|vieze|die vieze)$/.test(doc.toks[t.i - 1]?.key ?? ''))) &&
      !counter(t)
    ) {
      add(t.start, t.end);
      continue;
    }
    // "bruine aap", "zwarte aap": a colour or origin word before an animal is a slur.
    const nextTok = doc.toks[t.i + 1];
    if (
      nextTok &&
      nextTok.clause === t.clause &&
      ['colour', 'origin'].includes(ground(t.key) ?? '') &&
      is(nextTok, 'dehuman') &&
      !counter(t, !t.quoted)
    ) {
      add(t.start, nextTok.end);
      continue;
    }
    const ref = reference(doc, t);
    // Quoted words about a group are reported or refuted ("zo veel voor 'meisjes kunnen geen wiskunde'").
    if (!ref || t.quoted || counter(t, true)) continue;
    if (ref.slur) {
      add(ref.start, ref.end);
      continue;
    }
    if (FLOOD.test(doc.folded.slice(Math.max(0, ref.start - 24), ref.start))) {
      add(ref.start, ref.end);
      continue;
    }
    const prev = doc.toks[t.i - 1];
    // "vieze Turken", "die domme homo's" (not "domme meiden": an insult of its own).
    if (prev && !ref.loose && is(prev, 'adjective') && prev.clause === t.clause) {
      add(prev.start, ref.end);
      continue;
    }
    if (VICTIM.test(doc.folded.slice(ref.end, ref.end + 60))) continue;
    // What is said of them: the rest of the sentence, and the next one when it refers back.
    const s = doc.sentences[t.sentence]!;
    let end = s.end;
    for (let n = 1; n <= 2; n++) {
      const nextS = doc.sentences[t.sentence + n];
      if (!nextS) break;
      const head = doc.toks.slice(nextS.start, Math.min(nextS.end, nextS.start + 4));
      if (
        head.some((x) => BACK.has(x.key) || x.key === 'het') ||
        doc.toks.slice(nextS.start, nextS.end).some((x) => is(x, 'general') && x.key !== 'alle')
      )
        end = nextS.end;
    }
    const tail = doc.folded.slice(ref.end, doc.toks[end - 1]!.end);
    if (
      EXCLUDE.test(tail) ||
      (!ref.loose && threats.some((h) => h.start >= doc.toks[s.start]!.start && h.start < doc.toks[s.end - 1]!.end))
    ) {
      add(ref.start, ref.end);
      continue;
    }
    const before = Math.max(s.start, t.i - 5);
    let hit: { start: number; end: number } | undefined;
    for (let i = ref.last + 1; i < end && !hit; i++) {
      if (doc.toks[i]!.sentence === t.sentence && doc.toks[i]!.clause !== t.clause && i > ref.last + 12) break;
      hit = phraseAt(doc, 'dehuman', i) ?? phraseAt(doc, 'exclude', i) ?? phraseAt(doc, 'trait', i);
      if (!hit && !ref.loose) {
        const w = wordWeight(doc.toks[i]!.key, language);
        if (w !== undefined && w <= -2) hit = { start: doc.toks[i]!.start, end: doc.toks[i]!.end };
      }
    }
    // "weg met de homo's", "geen Polen op onze school"
    for (let i = before; i < t.i && !hit; i++) hit = phraseAt(doc, 'exclude', i);
    if (
      !hit &&
      prev &&
      (prev.key === 'geen' || prev.key === 'no') &&
      /^\s*(meer )?(op|in|voor|bij|toelaten|aannemen|inschrijven|hier|welkom|school|klas|buurt|land|wijk|groep|allowed|at|in)\b/.test(
        doc.folded.slice(ref.end, ref.end + 30),
      )
    )
      hit = { start: prev.start, end: ref.end };
    // "haal je kind weg als er Poolse kinderen komen", "een dierentuin met al die …"
    const sentenceText = doc.folded.slice(doc.toks[s.start]!.start, doc.toks[s.end - 1]!.end);
    if (
      !hit &&
      /haal (je|jullie|uw|onze|je eigen) (kind|kinderen|zoon|dochter) (weg|eraf|van school)|(dierentuin|apenkooi|apenhok|zoo) .{0,30}(met|vol) (al )?(die|deze|zulke)/.test(
        sentenceText,
      )
    )
      hit = { start: ref.start, end: ref.end };
    // A loose group word ("vrouwen", "meisjes") needs a generalisation: "meisjes kunnen gewoon geen wiskunde".
    if (hit) add(Math.min(ref.start, hit.start), Math.max(ref.end, hit.end));
  }
  // "ga terug naar je eigen land" aimed at someone, without naming the group.
  for (const m of doc.folded.matchAll(
    /\b(terug naar (je|jullie|hun|jouw) (eigen )?(land|kamp|woestijn|hok)|go back to (your|their) (own )?country)\b/g,
  )) {
    const t = doc.toks.find((x) => x.start >= m.index!);
    if (t && !counter(t)) add(m.index!, m.index! + m[0].length);
  }
  if (!found.length) return undefined;
  return {
    type: 'discrimination',
    severity: 'high',
    confidence: Math.min(0.95, 0.7 + 0.1 * found.length),
    evidence: dedupe(found),
  };
}

// Whether a span calls people names (a slur, an animal, an insulting adjective) rather than only
// stereotyping or excluding them: a slur at one person is name-calling as well (index.ts).
// Words that are names only when aimed (no slur on their own: "mijn nicht", "een robot").
const NAME_WORDS = new Set([
  'nicht',
  'wijven',
  'wijf',
  'robot',
  'ching',
  'chong',
  'mietje',
  'janet',
  'manwijf',
  'terrorist',
  'aap',
  'apen',
]);
export function insulting(span: string): boolean {
  return span
    .toLowerCase()
    .split(/[^\p{L}*']+/u)
    .some(
      (w) =>
        DISABILITY_SLUR.has(w) ||
        NAME_WORDS.has(w) ||
        ['slur', 'dehuman', 'adjective', 'curse'].some((k) => WORDS.get(w)?.has(k)) ||
        [...(WORDS.get('kanker') ? ['kanker', 'kk', 'tyfus', 'tering', 'kut'] : [])].some(
          (c) => w.startsWith(c) && w.length > c.length + 2,
        ),
    );
}
