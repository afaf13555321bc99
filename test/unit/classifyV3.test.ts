import { describe, expect, test } from 'vitest';
import { classify } from '../../workers/classify/index.ts';
import type { RiskType } from '../../workers/classify/types.ts';

// Classifier v3 (issue 14): risks recognised from the language, with evidence, and the harmless uses
// of the same words left alone. Sentences written for this test, not taken from any corpus.
const risks = (text: string, facts: string[] = []) =>
  classify(text, { facts })
    .risks.map((r) => (r.type === 'personal_data' ? `pd:${r.subtype}` : r.type))
    .sort();
const has = (type: RiskType, text: string, facts: string[] = []) =>
  classify(text, { facts }).risks.some((r) => r.type === type);
const evidence = (type: RiskType, text: string, facts: string[] = []) =>
  classify(text, { facts })
    .risks.find((r) => r.type === type)
    ?.evidence.map((e) => e.text) ?? [];

describe('threats, whoever the target', () => {
  test('a verb of violence in any form, with its separable part anywhere in the clause', () => {
    expect(evidence('threat', 'Ik sla die conciërge morgen helemaal in elkaar.')).toEqual([
      'sla die conciërge morgen helemaal in elkaar',
    ]);
    expect(has('threat', 'Als die docent mij nog één keer uitlacht, trap ik hem het ziekenhuis in.')).toBe(true);
    expect(has('threat', 'we gaan die hele lerarenkamer afmaken na de kerst')).toBe(true);
    expect(has('threat', 'Wie gaat er mee om die brugklassers op te wachten bij het hek?')).toBe(true);
  });
  test('wished, normative and incited harm', () => {
    expect(has('threat', 'Ik hoop echt dat dat gebouw een keer afbrandt.')).toBe(true);
    expect(has('threat', 'Die rector zou gewoon opgehangen moeten worden.')).toBe(true);
    expect(has('threat', 'Het wordt tijd dat iemand die mentor eens een lesje leert.')).toBe(true);
    expect(has('threat', 'Laten we vrijdag die jongens uit 2C in elkaar trappen.')).toBe(true);
  });
  test('veiled threats, bombs, arson, weapons and reports that a threat was made', () => {
    expect(has('threat', 'We weten precies hoe laat je naar huis fietst, juf.')).toBe(true);
    expect(has('threat', 'Die gymleraar moet maar niet meer alleen over straat.')).toBe(true);
    expect(has('threat', 'Er ligt vrijdag een bom in de aula.')).toBe(true);
    expect(has('threat', 'Ik neem maandag het mes van mijn broer mee naar school.')).toBe(true);
    expect(has('threat', 'Een vader dreigde de directeur met een honkbalknuppel.')).toBe(true);
  });
  test('spelling games and English', () => {
    expect(has('threat', 'ik ga die leraar n33rst3k3n')).toBe(true);
    expect(has('threat', 'ik ga die mentor v e r m o o r d e n')).toBe(true);
    expect(has('threat', "I'm going to stab that teacher after class.")).toBe(true);
    expect(has('threat', 'Someone should shoot the headmaster.')).toBe(true);
  });
  test('idioms, negation, sport, past incidents and condemnation are no threats', () => {
    expect(has('threat', 'Ik lach me dood om die schoolfoto van vroeger.')).toBe(false);
    expect(has('threat', 'Die toets heb ik echt vermoord, een 9!')).toBe(false);
    expect(has('threat', 'Niemand wil die meester iets aandoen, het was een grap.')).toBe(false);
    expect(has('threat', 'Vrijdag gaan we het team van De Linde inmaken in de finale.')).toBe(false);
    expect(
      has('threat', 'Gisteren is een leerling op het plein geslagen; de politie heeft de dader aangehouden.'),
    ).toBe(false);
    expect(has('threat', 'Roepen dat je een leraar neersteekt is nooit een grap, ook niet in een groepsapp.')).toBe(
      false,
    );
  });
});

describe('discrimination', () => {
  test('slurs, dehumanisation, stereotypes and calls to exclude', () => {
    expect(has('discrimination', 'die vieze Turk uit 3b moet ophouden')).toBe(true);
    expect(has('discrimination', 'Die asielzoekers zijn net kakkerlakken.')).toBe(true);
    expect(has('discrimination', 'Marokkanen stelen toch allemaal.')).toBe(true);
    expect(has('discrimination', 'Geen moslims op onze school, zo simpel is het.')).toBe(true);
    expect(has('discrimination', 'Kinderen met autisme horen niet in een gewone klas.')).toBe(true);
  });
  test('a slur at one person is name-calling as well', () => {
    expect(risks('die vieze Turk uit 3b moet ophouden')).toEqual(expect.arrayContaining(['discrimination', 'shaming']));
  });
  test('neutral and positive statements and counter-speech are not discrimination', () => {
    expect(has('discrimination', 'Veel leerlingen vasten tijdens de ramadan; de school houdt er rekening mee.')).toBe(
      false,
    );
    expect(has('discrimination', 'Wij zijn trots op onze Poolse en Syrische leerlingen.')).toBe(false);
    expect(
      has(
        'discrimination',
        "Walgelijk dat iemand 'vieze Marokkaan' riep naar mijn zoon. Racisme hoort niet op school.",
      ),
    ).toBe(false);
  });
});

describe('sexual content involving pupils or staff', () => {
  test('images going round, sextortion and grooming signs', () => {
    expect(has('sexual', 'Er gaat een naaktfoto van een meisje uit 2a rond in de klassenapp.')).toBe(true);
    expect(has('sexual', 'Iemand zegt dat hij haar nudes heeft en ze deelt als ze niet betaalt.')).toBe(true);
    expect(
      has('sexual', 'Een volwassen man stuurt mijn dochter van 12 berichtjes en zegt dat ze het geheim moet houden.'),
    ).toBe(true);
  });
  test('sex education is not', () => {
    expect(
      has(
        'sexual',
        'In groep 7 begint volgende week de Week van de Lentekriebels, met lessen over relaties en seksualiteit.',
      ),
    ).toBe(false);
  });
});

describe('shaming without curse words, spreading and defamation', () => {
  test('name-calling read from how it is said', () => {
    expect(has('shaming', 'Die nieuwe conciërge is een echte nietsnut.')).toBe(true);
    expect(has('shaming', 'Wat een sukkelige lafaard is die mentor.')).toBe(true);
    expect(has('shaming', 'That maths teacher is a complete idiot.')).toBe(true);
  });
  test('calls to spread and accusations of a crime', () => {
    expect(has('shaming', 'zet dat filmpje van meneer Dekker die valt in de groep 😂')).toBe(true);
    expect(risks('De directeur steelt geld uit de overblijfpot.')).toEqual(
      expect.arrayContaining(['shaming', 'inaccuracy']),
    );
  });
  test('criticism of a decision, talking about oneself and a reported insult are not shaming', () => {
    expect(has('shaming', 'Het nieuwe rooster is slecht geregeld.')).toBe(false);
    expect(has('shaming', 'Ik ben echt zo’n sukkel, mijn gymtas weer vergeten.')).toBe(false);
    expect(has('shaming', "Kinderen riepen 'dikzak' naar een klasgenoot; de juf greep meteen in.")).toBe(false);
  });
});

describe('inaccuracies, with and without the fact sheet', () => {
  const facts = [
    'Het Lindenhof blijft open; er zijn geen plannen voor sluiting of fusie.',
    'De ouderbijdrage is vrijwillig: € 50 per jaar.',
    'De lessen beginnen om 8.30 uur.',
    'Er geldt geen telefoonverbod; telefoons gaan in de les in de kluis.',
  ];
  test('a claim the sheet contradicts quotes the fact, whatever its wording', () => {
    const r = classify('Het Lindenhof sluit na dit schooljaar de deuren.', { facts }).risks.find(
      (x) => x.type === 'inaccuracy',
    )!;
    expect(r.evidence.find((e) => e.fact)?.fact).toBe(facts[0]);
    expect(has('inaccuracy', 'De ouderbijdrage is verplicht, anders mag je kind niet mee.', facts)).toBe(true);
    expect(has('inaccuracy', 'De ouderbijdrage is nu 120 euro.', facts)).toBe(true);
    expect(has('inaccuracy', 'De lessen beginnen voortaan om 8.00 uur.', facts)).toBe(true);
    expect(has('inaccuracy', 'Vanaf januari is er een telefoonverbod op het Lindenhof.', facts)).toBe(true);
  });
  test('a rumour stated as plain fact is a claim; agreeing, official news and questions are not', () => {
    expect(has('inaccuracy', 'De Meander gaat volgend jaar fuseren met De Pontonnier.')).toBe(true);
    expect(has('inaccuracy', 'Het Lindenhof blijft gewoon open, wat een opluchting.', facts)).toBe(false);
    expect(has('inaccuracy', 'Het bestuur laat weten dat De Meander fuseert met De Pontonnier.')).toBe(false);
    expect(has('inaccuracy', 'Klopt het dat het Lindenhof gaat sluiten?', facts)).toBe(false);
  });
});

describe('names are personal data only where they expose someone', () => {
  test('a teacher by title and name in an ordinary post is no leak', () => {
    expect(risks('Dank aan juf Ilse voor het mooie kerstspel!')).toEqual([]);
    expect(risks('Meneer Koster legt wiskunde niet goed uit.')).toEqual([]);
  });
  test('a pupil with a class, a full name, and any name next to health or a crime are', () => {
    expect(risks('Daan uit groep 7 pest mijn zoon elke dag.')).toContain('pd:name');
    expect(risks('Juf Ilse zit thuis met een burn-out.')).toEqual(['pd:health', 'pd:name']);
    expect(risks('Meester Tom is opgepakt voor diefstal, zegt iedereen.')).toContain('pd:name');
  });
  test('a parent about their own unnamed child shares no one’s health', () => {
    expect(risks('Onze zoon heeft autisme en krijgt hier een rustige plek.')).toEqual([]);
  });
});

test('every label comes with evidence spans of the text, and the same text always gives the same result', () => {
  const text = 'Die kankerjuf van 2b moet dood, ik steek haar neer. Er gaat ook een naaktfoto van haar rond.';
  const a = classify(text);
  expect(a.risks.length).toBeGreaterThan(2);
  for (const r of a.risks) {
    expect(r.evidence.length, r.type).toBeGreaterThan(0);
    for (const e of r.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
  }
  expect(JSON.stringify(classify(text))).toBe(JSON.stringify(a));
});

test('sentiment: mixed posts weigh what follows "maar", negated praise is negative, plain questions are neutral', () => {
  expect(
    classify('Leuk feest, maar de organisatie was echt rommelig en niemand wist waar hij moest zijn.').sentiment.label,
  ).toBe('negative');
  expect(classify('Even wennen in het begin, maar de juf doet het fantastisch.').sentiment.label).toBe('positive');
  expect(classify('Weet iemand hoe laat de kerstmarkt op school begint?').sentiment.label).toBe('neutral');
});

describe('v3 additions measured on the training sets', () => {
  test('a slur at one pupil is also name-calling; a stereotype about a whole group is discrimination only', () => {
    expect(risks('die turk uit 3T is gewoon een geitenneuker')).toEqual(['discrimination', 'shaming']);
    expect(
      risks('Die Poolse kinderen moeten eerst maar eens leren om niet te stelen. Dat zit bij die mensen in het bloed.'),
    ).toEqual(['discrimination']);
    // Also the learned component adds no name-calling to a stereotype about a group.
    expect(risks('die marokkanen van de meanderschool zijn gewoon apen man, moeten terug naar hun eigen land')).toEqual(
      ['discrimination'],
    );
  });

  test('insults said with the person after the verb, mockery that laughs, and calls to shut someone out', () => {
    expect(has('shaming', 'Honestly the biggest idiot at this school is my maths teacher.')).toBe(true);
    expect(has('shaming', 'zag je het kapsel van de mentor? net een wc-borstel 🤣')).toBe(true);
    expect(has('shaming', 'zag je het kapsel van de mentor? Heel mooi geknipt.')).toBe(false);
    expect(has('shaming', 'Negeer die gast uit havo 3 allemaal vanaf morgen, niemand praat er meer mee.')).toBe(true);
    expect(has('shaming', 'Juf Wilma is een ouwe heks die snauwt. Echt geen plek voor jonge kinderen.')).toBe(true);
  });

  test('an emoji before the person counts as much as after', () => {
    expect(has('sexual', '🍑🍆 juf van groep 8 is echt lekker')).toBe(true);
  });

  test('plain claims about decisions and staff, and other dates or absent fees than the fact sheet says', () => {
    expect(has('inaccuracy', 'Let op ouders, het Lindecollege schrapt volgend jaar de schoolreis!')).toBe(true);
    expect(has('inaccuracy', 'De conciërge van het Waalpoort is vorige week opgepakt voor diefstal.')).toBe(true);
    expect(
      has('inaccuracy', 'Het Lindecollege voert vanaf januari een telefoonverbod in, laat het schoolbestuur weten.'),
    ).toBe(false);
    const sheet = [
      'De open dag van het Lindecollege is op zaterdag 23 januari van 10.00 tot 14.00 uur.',
      'Ouders betalen geen ouderbijdrage.',
    ];
    expect(evidence('inaccuracy', 'De open dag van het Lindecollege is op zaterdag 30 januari.', sheet)).toEqual([
      'De open dag van het Lindecollege is op zaterdag 30 januari',
    ]);
    expect(has('inaccuracy', 'De open dag van het Lindecollege is op zaterdag 23 januari.', sheet)).toBe(false);
    expect(has('inaccuracy', 'Bij ons betaal je €50 ouderbijdrage per jaar.', sheet)).toBe(true);
  });
});

test('every phrase in the word lists can start at a word (a phrase that cannot would never match)', async () => {
  const { registry } = await import('../../workers/classify/phrases.ts');
  const stuck = registry.flatMap((set) =>
    (set as unknown as { everywhere: number[] }).everywhere.map((i) => set.phrases[i]),
  );
  expect(stuck).toEqual([]);
});

describe('the learned risk component', () => {
  test('adds a risk only above its threshold, with the words that weighed most as evidence marked by the model', async () => {
    const { modelRisks } = await import('../../workers/classify/riskModel.ts');
    const { readDoc } = await import('../../workers/classify/doc.ts');
    const { fold } = await import('../../workers/classify/text.ts');
    const model = {
      version: 't',
      risks: ['threat', 'shaming'] as const,
      thresholds: [0.6, 0.6],
      bias: [-2, -2],
      weights: { 'w:fakkel': [3, 0], 'w:gymzaal': [0.5, 0], 'w:sukkel': [0, 1] },
    };
    const m = { ...model, risks: [...model.risks], index: new Map(Object.entries(model.weights)) };
    const text = 'Morgen een fakkel in de gymzaal';
    const found = modelRisks(readDoc(text, fold(text)), () => true, m);
    expect(found.map((r) => r.type)).toEqual(['threat']);
    expect(found[0]!.confidence).toBeGreaterThan(0.6);
    expect(found[0]!.evidence.map((e) => [e.text, e.by])).toEqual([
      ['fakkel', 'model'],
      ['gymzaal', 'model'],
    ]);
    expect(modelRisks(readDoc('een sukkel', fold('een sukkel')), () => true, m)).toEqual([]); // 1/(1+e) < 0.6
    expect(modelRisks(readDoc(text, fold(text)), (t) => t !== 'threat', m)).toEqual([]);
  });

  test('a condition with a lawful consequence stays free of threats', () => {
    expect(
      has('threat', 'Meneer, als je mij nog één keer de klas uit stuurt, dan ga ik naar de vertrouwenspersoon.'),
    ).toBe(false);
    expect(has('threat', 'Als mijn kind niet overgaat, dan dien ik bezwaar in bij het bestuur.')).toBe(false);
  });
});

describe('review findings (issue 14)', () => {
  test('"wonen al 12 jaar" and "woont sinds 2019" are no addresses; an announced street is', () => {
    expect(risks('Wij wonen al 12 jaar naast de school, nooit last gehad.')).not.toContain('pd:address');
    expect(risks('Mijn moeder woont sinds 2019 in Zwolle')).not.toContain('pd:address');
    expect(evidence('personal_data', 'die leraar woont hoveniersweg 23 btw')).toEqual(['hoveniersweg 23']);
  });

  test('a teacher brought to life or on leave is no leak of a name', () => {
    expect(risks('Juf Ilse brengt geschiedenis echt tot leven!')).not.toContain('pd:name');
    expect(risks('Juf Ilse is met verlof, meester Tom neemt het over')).not.toContain('pd:name');
  });

  test('the learned component does not depend on a first name, and never quotes personal data as evidence', async () => {
    const { riskFeatures } = await import('../../workers/classify/riskModel.ts');
    const { readDoc } = await import('../../workers/classify/doc.ts');
    const { fold } = await import('../../workers/classify/text.ts');
    const names = (t: string) =>
      riskFeatures(readDoc(t, fold(t)))
        .map((f) => f.name)
        .sort();
    expect(names('die foto van lotte')).toEqual(names('die foto van sanne'));
    for (const r of classify('het adres: molenstraat 23, 7421 BK deventer. ga maar ff langs').risks)
      if (r.type !== 'personal_data')
        for (const e of r.evidence) if (e.by === 'model') expect(e.text).not.toMatch(/molenstraat|7421/);
  });

  test('one span that contradicts several facts is quoted once', () => {
    const sheet = [
      'De Meander blijft open.',
      'De Meander blijft open en fuseert niet.',
      'Er zijn geen plannen om De Meander te sluiten.',
    ];
    const spans = classify('De Meander sluit na de zomer.', { facts: sheet })
      .risks.find((r) => r.type === 'inaccuracy')!
      .evidence.map((e) => `${e.start}-${e.end}`);
    expect(new Set(spans).size).toBe(spans.length);
  });
});
