import { fold, readList, sentenceAt, spacedWords, type Token } from './text.ts';
import { PhraseSet } from './phrases.ts';
import type { Evidence, Risk } from './types.ts';
import { harmlessSpans } from './threat.ts';
import { dedupe } from './evidence.ts';
import type { Doc } from './doc.ts';
import { defamation as defamationOf, nameCalling } from './insults.ts';

// Insults, name-calling, humiliation, bullying and defamation aimed at people or the school. Dutch
// disease curses count when they are aimed: as a compound with a person ("kankerjuf", "teringschool"),
// next to one ("die kanker leraar", "jij tyfus"), or as a wish ("krijg de tering"); about the weather
// or a test they are profanity, not shaming. A post that reports or condemns an insult ("hij werd
// uitgescholden voor …, schandalig") or talks about illness ("ik heb kanker") is not shaming.
// Precision matters more than recall here: every false alarm costs staff time.

const CURSES = readList('curses.txt')
  .map(fold)
  .sort((a, b) => b.length - a.length);
const CURSE_LETTERS = new Set(CURSES.map((c) => c[0]!));
const PERSONS = new Set(readList('person-nouns.txt').map(fold));
const INSULT_LIST = readList('insults.txt').map(fold);
const insultRe = new PhraseSet(INSULT_LIST);
const insultWords = new Set(INSULT_LIST.filter((w) => !w.includes(' ') && !w.includes('*')));
const phrasesRe = new PhraseSet(readList('shaming-phrases.txt'));
const spreadRe = new PhraseSet(readList('spread.txt'));
// A call to spread is shaming when what is spread is about someone: a film or photo of a person, an
// insult, laughter. "Deel dit!!" under news is not.
const ABOUT_SOMEONE =
  /(filmpje|foto|video|meme|screenshot|story|tiktok|plaatje|kop|gezicht|stem|schoenen|haar|kapsel)\S* (van|met) (de|die|dat|een|meneer|mevrouw|juf|meester|mn|m'n|onze) \S+|😂|🤣|😭|💀|🤡|haha|lol|@[a-z0-9_.]+/;
const condemnRe = new PhraseSet(readList('condemn.txt'));
const mockRe = new PhraseSet(readList('mockery.txt'));
const LAUGH = /😂|🤣|💀|😭|🤡|\b(haha\w*|hihi\w*|lol|lmao|xd|hahah\w*)\b/;
const EXPOSE_SRC =
  'iedereen (mag|moet) weten|laat (hem|haar|ze|die) (maar )?(eens )?(voelen|merken)|(mail|bel|app|dm) (hem|haar|die \\S+|\\S+ \\S+) ~?(maar )?(eens )?(wat|hoe)|heeft het verdiend|hebben het verdiend|spread this|share this|deel dit|delen maar|scammer|oplichter|zet (hem|haar) te kijk|weet je wie';
const EXPOSE = new RegExp(`\\b(${EXPOSE_SRC})\\b`);
const EXPOSE_ALL = new RegExp(`\\b(${EXPOSE_SRC})\\b`, 'g');
const CONTACT_DETAILS =
  /(?:\+31|\b0)[1-9](?:[\s-]?\d){8}\b|[\w.+-]+@[\w-]+\.[a-z]{2,}|\b[A-Z]{2}\d{2}\s?[A-Z]{4}|\b\p{Lu}\p{L}+(straat|weg|laan|plein|gracht|kade|singel|dijk|pad|hof)\s\d+|@[a-z0-9_.]{3,}/u;
const LOOKS =
  /\b(kapsel|haar|haren|kop|hoofd|gezicht|neus|stem|kleren|kleding|outfit|schoenen|tanden|oren|buik|bril|trui|broek) van (de|die|dat|meneer|mevrouw|juf|meester|onze|mijn|mn)\b[^\n]{0,40}?\b(net een|net of|lijkt op|lijkt wel|als een|zoals een|looks like)\b/g;
// Someone a reader can tell: a member of staff, a pupil by class, a name or an account.
const SOMEONE =
  /\b(juf|juffrouw|meester|meneer|mevrouw|docent|docente|leraar|lerares|mentor|conciërge|concierge|directeur|directrice|rector|teamleider|gymleraar|invaller|leerling|jongen|meisje|kind|gast|brugger|klasgenoot|vader|moeder|mr|mrs|ms|teacher)\w*\b|@[a-z0-9_.]+|\b(uit|in) (groep|klas|havo|vwo|\d)/;
// Insults that are also ordinary words or adjectives: only when aimed at someone.
const WEAK = new Set([
  'rat',
  'ratten',
  'oen',
  'heks',
  'homo',
  'nicht',
  'varken',
  'wijf',
  'wijven',
  'psycho',
  'kut',
  'vuile',
  'huilie',
  'mietje',
  'achterlijke',
  'achterlijk',
  'gestoord',
  'gestoorde',
  'kneus',
  'kneuzen',
  'lul',
  'lullen',
  'nicht',
  'stinkerd',
  'malloot',
  'jank',
  'janken',
  'janker',
  'jankt',
  'idiot',
  'loser',
]);
const AIM = new Set([
  'jij',
  'je',
  'jou',
  'jullie',
  'die',
  'deze',
  'wat',
  'een',
  "zo'n",
  'echte',
  'vieze',
  'vuile',
  'stomme',
  'dikke',
  'domme',
  'lelijke',
  'vette',
  'kleine',
  'bent',
  'you',
  'such',
  'a',
]);
// Words that insult when put before a person ("lelijke meneer Hoekstra", "die dikke juf").
const DEROGATORY = new Set(readList('derogatory.txt').map(fold));
const TITLES = new Set([
  'juf',
  'juffrouw',
  'meester',
  'meneer',
  'mevrouw',
  'docent',
  'leraar',
  'lerares',
  'mentor',
  'conciërge',
  'concierge',
  'directeur',
  'teamleider',
  'gymleraar',
  'leerling',
  'brugger',
  'brugpieper',
]);

export const isPerson = (w: string) => {
  if (PERSONS.has(w) || insultWords.has(w)) return true;
  for (const e of ['en', 's', 'e', "'s", 'je', 'tje'])
    if (w.endsWith(e) && PERSONS.has(w.slice(0, -e.length))) return true;
  // "teringdocent", "kankerjuffen": a compound ending in a person word.
  for (const p of [
    'docent',
    'leraar',
    'leraren',
    'lerares',
    'juf',
    'meester',
    'school',
    'leerling',
    'kind',
    'joch',
    'wijf',
    'vent',
    'mongool',
    'lijer',
    'lijder',
    'hoer',
    'homo',
    'moeder',
    'vader',
    'directeur',
    'mentor',
    'klas',
    'gast',
    'jong',
  ]) {
    if (w.endsWith(p) || w.endsWith(p + 'en') || w.endsWith(p + 's')) return true;
  }
  return false;
};

export type ShamingInput = { text: string; folded: string; tokens: Token[]; doc?: Doc };

export function shaming({ text, folded, tokens, doc }: ShamingInput): Risk | undefined {
  const found: Evidence[] = [];
  const add = (start: number, end: number) => found.push({ start, end, text: text.slice(start, end) });
  const capitalised = (t: Token) => t.upper && !!t.norm && /^\p{L}/u.test(t.norm);

  const curseWords: { norm: string; start: number; end: number; index: number }[] = tokens.map((t, index) => ({
    norm: t.norm,
    start: t.start,
    end: t.end,
    index,
  }));
  for (const s of spacedWords(folded))
    curseWords.push({ norm: s.norm, start: s.start, end: s.end, index: tokens.findIndex((t) => t.start >= s.end) - 1 });
  for (const t of curseWords) {
    const curse = CURSE_LETTERS.has(t.norm[0]!) ? CURSES.find((c) => t.norm.startsWith(c)) : undefined;
    if (!curse) continue;
    const rest = t.norm.slice(curse.length).replace(/^[-']/, '');
    if (curse.length <= 2 && rest) continue; // "kk" only as its own word
    if (rest) {
      if (rest.length >= 2 && isPerson(rest)) add(t.start, t.end);
      continue;
    }
    // A curse on its own: aimed when a person or a name is right next to it.
    const next = tokens[t.index + 1];
    const prev = t.index > 0 ? tokens[t.index - 1] : undefined;
    const gapOk = (a: number, b: number) => !/[.!?\n]/.test(folded.slice(a, b));
    if (next && gapOk(t.end, next.start) && (isPerson(next.norm) || capitalised(next))) add(t.start, next.end);
    else if (
      prev &&
      gapOk(prev.end, t.start) &&
      ['jij', 'je', 'die', 'jullie', 'deze', 'vuile', 'vieze', 'you'].includes(prev.norm)
    )
      add(prev.start, t.end);
  }

  for (const m of insultRe.all(folded)) {
    const start = m.index!;
    const end = start + m[0].length;
    const idx = tokens.findIndex((t) => t.start === start);
    const word = m[0];
    if (WEAK.has(word) || /^(achterlijke?|gestoorde?|debiele?|idiote|idioot)$/.test(word)) {
      const prev = tokens.slice(Math.max(0, idx - 2), idx).map((t) => t.norm);
      const next = tokens[idx + 1];
      // "jij idioot", "wat een sukkel", or "die juf is (echt) gestoord"
      const before3 = tokens.slice(Math.max(0, idx - 4), idx).map((t) => t.norm);
      const saidOfPerson = before3.some(
        (p, k) =>
          (TITLES.has(p) || (isPerson(p) && !['die', 'dat', 'je', 'ze', 'school', 'klas'].includes(p))) &&
          ['is', 'zijn', 'bent', 'was'].includes(before3[k + 1] ?? ''),
      );
      const aimedBefore = prev.some((p) => AIM.has(p)) || saidOfPerson;
      const adjectiveOfPerson = !!next && /e$/.test(word) && isPerson(next.norm);
      // "achterlijke regels" criticises a rule; "achterlijke juf" insults a person.
      if (/e$/.test(word) && next && !isPerson(next.norm) && !/[.!?,\n]/.test(folded.slice(end, next.start))) continue;
      if (!aimedBefore && !adjectiveOfPerson) continue;
    }
    add(start, end);
  }
  for (const s of spacedWords(folded)) {
    const w = s.norm.replace(/s$/, '');
    if (
      insultWords.has(w) ||
      insultWords.has(s.norm) ||
      INSULT_LIST.some((i) => i.endsWith('*') && w.startsWith(i.slice(0, -1)))
    )
      add(s.start, s.end);
  }
  // A derogatory word right before a person: "lelijke meneer Hoekstra", "die dikke juf".
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (!DEROGATORY.has(t.norm)) continue;
    const next = tokens[i + 1]!;
    if (/[,.!?;\n]/.test(folded.slice(t.end, next.start))) continue;
    if (
      TITLES.has(next.norm) ||
      (isPerson(next.norm) &&
        ![
          'je',
          'jij',
          'jou',
          'die',
          'dat',
          'ze',
          'zij',
          'hij',
          'jullie',
          'school',
          'scholen',
          'klas',
          'team',
          'bestuur',
          'personeel',
          'mensen',
        ].includes(next.norm))
    )
      add(t.start, next.end);
  }
  for (const m of phrasesRe.all(folded)) add(m.index!, m.index! + m[0].length);
  if (ABOUT_SOMEONE.test(folded)) {
    for (const m of spreadRe.all(folded)) {
      const s = sentenceAt(folded, m.index);
      // "stuur haar gerust een berichtje": contact, not spreading.
      if (
        /^(stuur|stuurde|sturen|stuur maar) (haar|hem|me|mij|ons|jullie|d'r|m) (gerust |maar |even |ff )?(een )?(berichtje|bericht|dm|appje|mailtje|mail)/.test(
          folded.slice(m.index, m.index + 50),
        )
      )
        continue;
      if (
        /\?/.test(folded.slice(m.index, s.end + 1)) ||
        /(niet|don't|dont|never|nooit|not)\s*$/.test(folded.slice(Math.max(0, m.index - 8), m.index))
      )
        continue;
      add(m.index, m.index + m[0].length);
    }
  }
  // Someone's phone number, e-mail, address or account posted with a call to go after them or let
  // everyone know: exposure ("Iedereen mag weten wie die asociaal is", "Laat hem maar eens voelen …").
  if (EXPOSE.test(folded) && CONTACT_DETAILS.test(text))
    for (const m of folded.matchAll(EXPOSE_ALL)) add(m.index!, m.index! + m[0].length);
  if ((LAUGH.test(folded) || /\b(meme|memes|tag iedereen)\b/.test(folded)) && SOMEONE.test(folded)) {
    for (const m of mockRe.all(folded)) add(m.index, m.index + m[0].length);
    // Someone's looks compared with a thing, across a question mark: "het kapsel van de juf? net een wc-borstel".
    for (const m of folded.matchAll(LOOKS)) add(m.index!, m.index! + m[0].length);
  }
  const accused = doc ? defamationOf(doc) : [];
  if (doc) for (const e of [...nameCalling(doc), ...accused]) add(e.start, e.end);
  if (!found.length) return undefined;
  // Hyperbole that looks like a curse: "ik ga dood van het lachen".
  const harmless = harmlessSpans(folded);
  for (let i = found.length - 1; i >= 0; i--)
    if (harmless.some((g) => found[i]!.start < g.end && found[i]!.end > g.start)) found.splice(i, 1);
  if (!found.length) return undefined;

  // Reported or condemned, or about illness: the sentence (or a short post) says so.
  const condemned = condemnRe.all(folded).map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  const quoted = (e: Evidence) => {
    const before = text.slice(Math.max(0, e.start - 2), e.start);
    return /["“„'‘«]/.test(before);
  };
  // "riepen 'mongool' naar een kind", "kinderen die 'dikzak' zeggen": an insult reported, in quotes.
  const reports =
    /\b(riep|riepen|roepen|roept|noemen|noemt|noemde|noemden|zeggen|zegt|zei|zeiden|schreef|schreven|scheldt|schelden|uitgescholden|uitschelden|uitgemaakt|uitmaken|maakte|called|calling|shouted|yelled)\b/.test(
      folded,
    );
  const inQuotes = (e: Evidence) => {
    const before = text.slice(Math.max(0, e.start - 25), e.start);
    const open = Math.max(
      before.lastIndexOf("'"),
      before.lastIndexOf('"'),
      before.lastIndexOf('‘'),
      before.lastIndexOf('“'),
    );
    return open >= 0 && !/[.!?]/.test(before.slice(open)) && /^[^.!?]{0,20}["”'’»]/.test(text.slice(e.end, e.end + 22));
  };
  // "ik ben echt zo'n sukkel", "I'm such an idiot", "als domme vader": about oneself.
  const self = (e: Evidence) => {
    const sen = sentenceAt(folded, e.start);
    return /(\b(ik|i) (ben|was|voel me|voelde me|am)\b|\bi'?m\b|^\s*(\S+\s+)?als)[^.!?,]*$/.test(
      folded.slice(sen.start, e.start),
    );
  };
  const selfDeath = (e: Evidence) =>
    /^(ga|val) (toch |maar )?dood/.test(fold(e.text)) &&
    /\b(ik|we|wij|k)\s+$/.test(folded.slice(Math.max(0, e.start - 5), e.start));
  // Humiliation reported, not done: "een meme waarin een docent wordt bespot", "werd uitgelachen om zijn
  // bril", "spreekt leerlingen aan die docent belachelijk maken".
  const reportedHumiliation = (e: Evidence) =>
    /^(belachelijk|bespot|uitgelachen|vernederd|voor schut|te kijk|uitgescholden|uitgemaakt)/.test(fold(e.text)) &&
    (/\b(wordt|werd|worden|werden|is|zijn|was) (\S+ ){0,3}$/.test(folded.slice(Math.max(0, e.start - 30), e.start)) ||
      /\b(spreekt|spreken|aangesproken|aanspreken|moet weten|melden|gemeld|ophef|opgepakt)\b/.test(folded));
  const kept = found.filter((e) => {
    if (reportedHumiliation(e)) return false;
    if (selfDeath(e) || self(e) || (reports && inQuotes(e))) return false;
    // An accusation of a crime is defamation whatever else the post says.
    if (accused.some((a) => a.start === e.start && a.end === e.end)) return true;
    const s = sentenceAt(folded, e.start);
    const near = condemned.some(
      (c) => (c.start >= s.start - 1 && c.start <= s.end) || (Math.abs(c.start - e.start) < 120 && text.length < 400),
    );
    return (
      !near || (!quoted(e) && e.end - e.start > 25 && !condemned.some((c) => c.start >= e.start && c.start < e.end))
    );
  });
  if (!kept.length) return undefined;
  const evidence = dedupe(kept);
  const minors = /\b(leerling|leerlingen|kind|kinderen|meisje|jongen|groep \d|klas|brugklas|zoon|dochter|pupil)/.test(
    folded,
  );
  const defamation = evidence.some((e) =>
    /pedo|pedofiel|kinderlokker|kinderverkrachter|misbruik|betast|zit aan|zat aan|aanrander/.test(fold(e.text)),
  );
  const severity: Risk['severity'] = defamation || minors ? 'high' : 'medium';
  const confidence = Math.min(0.95, 0.7 + 0.1 * evidence.length);
  return { type: 'shaming', severity, confidence: Math.round(confidence * 100) / 100, evidence };
}
