import type { Doc } from './doc.ts';
import { dedupe } from './evidence.ts';
import { phrasesByKind } from './lexicon.ts';
import { PhraseSet } from './phrases.ts';
import type { Evidence, Risk } from './types.ts';

// Sexual content involving pupils or staff: intimate images or videos going round, sexting,
// sextortion, grooming signs (an adult seeking secret or private contact with a child, gifts, asking
// for photos), sexual touching, remarks and gestures, filming where people undress. Always high
// severity: the presets route it to escalation, the Meldcode and the police, never to opening or
// sharing the material. Lessons, campaigns and sex education use the same words harmlessly, unless
// the post also tells of something that happened.

const phrases = phrasesByKind('sexual.tsv');
const set = (kind: string) => new PhraseSet(phrases.get(kind) ?? []);
const MATERIAL = set('material');
const EXTORTION = set('extortion');
const HARASSMENT = set('harassment');
// An adult, also inside a compound ("kantinemedewerker", "voorleesvrijwilliger").
const ADULT =
  /(\bman|\bvrouw|volwassen\w*|\boudere|\bonbekende|\bvreemde|trainer|coach|begeleider|docent|leraar|lerares|\bjuf|meester|stagiair\w*|medewerker|vrijwilliger|invaller|concierge|\bvader|\bopa|mentor|\bleider|\bvent|\bkerel|\badult|\bguy|teacher)\b/;
const CONTACT = set('contact');
const SECRET = set('secret');
const EDUCATION = set('education');
// Something happened: images shared, sent, going round, found; a person did or does it.
const HAPPENED =
  /(gaat rond|gingen rond|ging rond|rondgaat|rondgaan|rondgestuurd|gedeeld|deelt|delen|verspreid|verspreidt|verspreiden|gestuurd|stuurt|stuurde|gepost|online gezet|op snap|in de groep|in de klassengroep|doorgestuurd|doorsturen|verkoopt|verkocht|heeft|hebben|kreeg|krijgt|ontving|gemaakt|maakt|filmde|gefilmd|staat op|staan op|dreigt|gechanteerd|mijn dochter|mijn zoon|mn zusje|leerling meldt|melding|politie|aangifte|going around|shared|sent|sending|posted)/;
// Who grooming is aimed at: a child or pupil.
const MINOR =
  /(brugger|\b(havo|vwo|vmbo|mavo) \d|\b\d (havo|vwo|vmbo|mavo)\b|\buit \d[a-z]\b|kind|kinderen|kindje|meisje|meisjes|meiden|jongen|jongens|leerling|leerlinge|leerlingen|dochter|zoon|zusje|broertje|groep [1-8]|brugklas|klas|van (\d|1[0-5])\b|\(\d{1,2}\)|\b(\d|1[0-5]) jaar|girl|boy|kids|child|student|pupil)/;

const spans = (re: PhraseSet, folded: string) =>
  re.all(folded).map((m) => ({ start: m.index, end: m.index + m[0].length }));

const EMOJI_AT =
  /(?:🍑|🥵|🍆|😏)(?:[^.!?\n\p{L}]|\p{L}+\s){0,12}?(?:juf|docente|lerares|stagiaire|meisje|meiden|juffie|teacher)\b/gu;

export function sexual(doc: Doc): Risk | undefined {
  const f = doc.folded;
  const found: Evidence[] = [];
  const add = (s: { start: number; end: number }) => found.push({ ...s, text: doc.text.slice(s.start, s.end) });
  const education = EDUCATION.test(f);
  const happened = HAPPENED.test(f);
  // "een gastles over nudes en sexting", "de ouderavond over sexting en grooming": the subject of a lesson.
  const lessonAbout = (s: { start: number }) =>
    education && /\b(over|about|rond|tegen)\s+(\S+\s+){0,4}$/.test(f.slice(Math.max(0, s.start - 40), s.start));
  for (const s of spans(EXTORTION, f)) add(s);
  for (const s of spans(HARASSMENT, f)) if (!lessonAbout(s)) add(s);
  // An emoji before the person ("🍑🍆 juf van groep 8"); phrases start at a word, so this one is a pattern.
  for (const m of f.matchAll(EMOJI_AT)) add({ start: m.index!, end: m.index! + m[0].length });
  // Material: a lesson about sexting is not sexting; a post saying a photo goes round is.
  if (!education || happened) for (const s of spans(MATERIAL, f)) if (!lessonAbout(s)) add(s);
  // Grooming: an adult, contact with a child, and a sign (secret, photos, meeting, gifts, flattery).
  const contact = spans(CONTACT, f);
  const secret = spans(SECRET, f);
  const strongSecret = secret.some((s) =>
    /geheim|stiekem|niemand|niet tegen|tussen|zonder dat|secret|tell/.test(f.slice(s.start, s.end)),
  );
  if (ADULT.test(f) && (contact.length || strongSecret) && secret.length && MINOR.test(f) && (!education || happened)) {
    for (const s of secret) add(s);
    if (contact[0]) add(contact[0]);
  }
  if (!found.length) return undefined;
  return {
    type: 'sexual',
    severity: 'high',
    confidence: Math.min(0.95, 0.75 + 0.1 * found.length),
    evidence: dedupe(found),
  };
}
