import { expect, test } from 'vitest';
import { classify } from '../../workers/classify/index.ts';
import { fold } from '../../workers/classify/text.ts';
import { PhraseSet } from '../../workers/classify/phrases.ts';
import { loadCorpus } from '../../bench/corpus.ts';

const risks = (text: string, facts: string[] = []) =>
  classify(text, { facts })
    .risks.map((r) => (r.type === 'personal_data' ? `pd:${r.subtype}` : r.type))
    .sort();
const label = (text: string) => classify(text).sentiment.label;

test('folding keeps the length, so evidence offsets point into the original', () => {
  for (const s of ['K@NKER school', 'Café “Ideeën” 06-12345678 €45', 'l00ser 🙄 $ukkel', 'İstanbul'])
    expect(fold(s).length).toBe(s.length);
  expect(fold('k@nker l00ser $ukkel')).toBe('kanker looser sukkel');
  expect(fold('@juf_anna, bel 06-12345678 of betaal € 45')).toBe('@juf_anna, bel 06-12345678 of betaal € 45');
});

test('phrases whose first word is a prefix match every word it starts, however short the prefix', () => {
  const set = new PhraseSet(['ab*', 'x* y', 'ontslag* ~ (juf|meester)']);
  expect(set.all('abc').map((m) => m[0])).toEqual(['abc']);
  expect(set.all('ab').map((m) => m[0])).toEqual(['ab']);
  expect(set.all('een xq y').map((m) => m[0])).toEqual(['xq y']);
  expect(set.all('x y').map((m) => m[0])).toEqual(['x y']);
  expect(set.all('ontslagen die juf').map((m) => m[0])).toEqual(['ontslagen die juf']);
  expect(set.all('ba ontsla juf')).toEqual([]);
  // threat-phrases.tsv: "(he|she|you|they|u)('ll| will|ll) be sorry" starts with the prefixes "he" and "u"
  for (const t of ["He'll be sorry, trust me", "u'll be sorry", 'ull be sorry']) expect(risks(t)).toContain('threat');
});

test('negation has a reach, intensifiers and contrast weigh in', () => {
  expect(label('Niet slecht, die nieuwe aanpak met weektaken.')).not.toBe('negative');
  expect(label('Niet slecht, die nieuwe aanpak. Mijn zoon weet nu veel beter wat hij moet doen.')).toBe('positive');
  expect(label('Geen enkele klacht over de begeleiding.')).toBe('positive');
  expect(label('Ik ben helemaal niet blij met hoe dit ging.')).toBe('negative');
  expect(label('Leuke juf, maar de organisatie is een puinhoop.')).toBe('negative');
  expect(label('De juf luistert nooit.')).toBe('negative');
});

test('irony turns praise around; plain questions and announcements stay neutral', () => {
  expect(label('Alweer lesuitval deze week. Geweldig hoor 🙄')).toBe('negative');
  expect(label('Lekker dan, weer een nieuwe juf voor groep 8.')).toBe('negative');
  expect(label('Zoals altijd weer een fantastische kerstmarkt. Goed bezig, team!')).toBe('positive');
  expect(label('Weet iemand wanneer de open dag is?')).toBe('neutral');
  expect(label('Hoe moeilijk kan het zijn om een rooster te maken?')).toBe('negative');
});

test('disease curses count when aimed at people, not at the weather or illness', () => {
  expect(risks('Die kankerjuf moet weg')).toContain('shaming');
  expect(risks('k a n k e r leraar, altijd strafwerk')).toContain('shaming');
  expect(risks('k@nker l00ser van een mentor')).toContain('shaming');
  expect(risks('Kankerweer vandaag, de schoolreis gaat door')).not.toContain('shaming');
  expect(risks('Ik heb kanker en de school steunt me geweldig')).toEqual([]);
  expect(risks("Mijn dochter werd uitgescholden voor 'kankerhoer', schandalig dat niemand ingreep.")).not.toContain(
    'shaming',
  );
  expect(risks('Die nieuwe regel over petten is echt idioot.')).not.toContain('shaming');
});

test('threats with evidence; hyperbole and sport are not threats; a bomb rumour is also an inaccuracy', () => {
  const c = classify('Ik weet waar je woont, meester. Pas maar op.');
  const threat = c.risks.find((r) => r.type === 'threat')!;
  expect(threat.severity).toBe('high');
  expect(threat.evidence.map((e) => e.text)).toContain('Ik weet waar je woont');
  expect(risks('als hij nog 1x iets zegt steek ik hem neer')).toContain('threat');
  expect(risks('ik ga dood van het lachen om die schoolfoto')).toEqual([]);
  expect(risks("De fotograaf heeft mooie foto's geschoten op de sportdag")).toEqual([]);
  expect(risks('De school schiet tekort in de begeleiding')).toEqual([]);
  expect(risks('Op Snapchat gaat een bericht rond dat er vrijdag een bom op school ligt.')).toEqual([
    'inaccuracy',
    'threat',
  ]);
});

test('a claim that contradicts the fact sheet quotes the fact', () => {
  const facts = [
    'De vrijwillige ouderbijdrage is € 45 per jaar.',
    'De school blijft open; er zijn geen plannen voor sluiting.',
  ];
  const c = classify('Schoolgeld bij Sint Jozef is 250 euro, anders mag je kind niet mee.', { facts });
  const ina = c.risks.find((r) => r.type === 'inaccuracy')!;
  expect(ina.evidence.find((e) => e.fact)?.fact).toBe(facts[0]);
  expect(risks('De ouderbijdrage is 45 euro per jaar, net als vorig jaar.', facts)).toEqual([]);
  expect(risks('Ik hoorde dat de school na de zomer dichtgaat??', facts)).toEqual(['inaccuracy']);
  expect(risks('De directie laat weten dat de school na de zomer verbouwt.', facts)).toEqual([]);
});

test('names, handles and health need context; public roles are not leaks', () => {
  expect(risks('Juf Ellen van groep 4 is overspannen thuis.')).toEqual(['pd:health', 'pd:name']);
  expect(risks('Sanne uit groep 7 wordt gepest, @sanne_2011 kijk je dms')).toEqual(['pd:handle', 'pd:name']);
  expect(risks('Volgende week een ouderavond over ADHD en concentratie.')).toEqual([]);
  expect(risks("'We nemen het serieus', zegt directeur Thomas Brink van het Scala College.")).toEqual([]);
  expect(risks('Mooie post van @obsderegenboog over de Kinderboekenweek!')).toEqual([]);
  const minor = classify('Daan Bosman uit groep 7 slaat steeds mijn kind.').risks.find((r) => r.subtype === 'name')!;
  expect(minor.severity).toBe('high');
});

test('other languages: only what has a shape', () => {
  const c = classify('Bitte rufen Sie mich an wegen der Schule: 06-56781234');
  expect(c.language).toBe('other');
  expect(c.risks.map((r) => r.subtype)).toEqual(['phone']);
  expect(classify('Weiß jemand, ob das Scala College auch deutschsprachige Schüler aufnimmt?').sentiment.label).toBe(
    'neutral',
  );
});

test('every label comes with evidence that is a span of the text', () => {
  for (const x of loadCorpus().slice(0, 200)) {
    const c = classify(x.text);
    for (const r of c.risks) {
      expect(r.evidence.length).toBeGreaterThan(0);
      for (const e of r.evidence) expect(x.text.slice(e.start, e.end)).toBe(e.text);
    }
    if (c.sentiment.label !== 'neutral') expect(c.sentiment.evidence?.length).toBeGreaterThan(0);
  }
});

test('the corpus is well formed and split once', () => {
  const corpus = loadCorpus();
  expect(corpus.length).toBeGreaterThanOrEqual(600);
  expect(new Set(corpus.map((x) => x.id)).size).toBe(corpus.length);
  const test = corpus.filter((x) => x.split === 'test');
  for (const r of ['shaming', 'threat', 'inaccuracy']) expect(test.some((x) => x.risks.includes(r))).toBe(true);
  for (const x of corpus) expect(['positive', 'neutral', 'negative']).toContain(x.sentiment);
});

test('a disease used as a curse is not health data; "van De Meander" after a title is not a name', () => {
  expect(risks('die k@nker juf van groep 7 is echt een heks')).toEqual(['shaming']);
  expect(risks('Juf Anja van groep 7 heeft kanker, wat verdrietig.')).toEqual(['pd:health', 'pd:name']);
  expect(risks('Als die meester van De Meander nog eens strafwerk geeft, ik weet waar hij woont.')).toEqual(['threat']);
  // v3: a teacher addressed by title and name is no leak on its own; next to a crime it is.
  expect(risks('Meneer van der Berg gaf vandaag les.')).toEqual([]);
  expect(risks('Meneer van der Berg heeft een leerling geslagen, zegt mijn zoon.')).toContain('pd:name');
});

test("a school's compound name or a platform after a title and a particle is not a surname", () => {
  expect(risks('De juf van de Jozefschool is echt heel lief voor de kinderen.')).toEqual([]);
  expect(risks('De meester van het Scalacollege gaf een mooie les.')).toEqual([]);
  expect(risks('Juf van de Velde van groep 3 is heel lief.')).toEqual([]);
  expect(risks('Juf van de Velde van groep 3 ligt in het ziekenhuis met een burn-out.')).toEqual([
    'pd:health',
    'pd:name',
  ]);
  expect(risks('Bij De Meander is de juf op Instagram bevriend met leerlingen uit haar klas.')).toEqual([]);
});
