import { expect, test } from 'vitest';
import { allPersonalData as personalData, elfproef, ibanValid, maskText } from '../../workers/classify/personalData.ts';

const found = (text: string) => personalData(text).flatMap((r) => r.evidence.map((e) => [r.subtype, e.text]));

test('checksums: the elfproef for a BSN, mod-97 for an IBAN', () => {
  expect(elfproef('123456782')).toBe(true);
  expect(elfproef('1234.56.782')).toBe(true);
  expect(elfproef('123456789')).toBe(false);
  expect(elfproef('000000000')).toBe(false);
  expect(ibanValid('NL91ABNA0417164300')).toBe(true);
  expect(ibanValid('NL91 ABNA 0417 1643 00')).toBe(true);
  expect(ibanValid('NL91ABNA0417164301')).toBe(false);
  expect(ibanValid('DE89370400440532013000')).toBe(true);
});

test('finds each kind with its exact text', () => {
  expect(found('Bel 06-12345678, +31 6 1234 5678 of 033-4567890')).toEqual([
    ['phone', '06-12345678'],
    ['phone', '+31 6 1234 5678'],
    ['phone', '033-4567890'],
  ]);
  expect(found('Mail naar j.jansen@gmail.com')).toEqual([['email', 'j.jansen@gmail.com']]);
  expect(found('BSN 123456782 en IBAN NL91 ABNA 0417 1643 00')).toEqual([
    ['iban', 'NL91 ABNA 0417 1643 00'],
    ['bsn', '123456782'],
  ]);
  expect(found('Ze woont op de Kerkstraat 12a, 3811 AB Amersfoort')).toEqual([
    ['postcode', '3811 AB'],
    ['address', 'Kerkstraat 12a'],
  ]);
  // A first name next to a birth date says whose it is.
  expect(found('Lisa is geboren op 12 maart 2014 en zit in groep 6')).toEqual([
    ['birthdate', '12 maart 2014'],
    ['name', 'Lisa'],
  ]);
  expect(found('geb. 03-04-2015')).toEqual([['birthdate', '03-04-2015']]);
});

test('look-alikes are not personal data', () => {
  expect(found('Ordernummer 123456789, prijs € 1234,56, 250 leerlingen, schooljaar 2025-2026')).toEqual([]);
  expect(found('Open dag op 12 maart 2026 van 9.00 tot 12.00 uur')).toEqual([]);
  expect(found('Postcode-actie: 1000 SS is geen postcode')).toEqual([]);
  expect(found('NL91ABNA0417164301 heeft een verkeerd controlegetal')).toEqual([]);
});

test('masking keeps the kind recognisable and the value unusable', () => {
  const text = 'Bel 06-12345657 of mail j.jansen@gmail.com; IBAN NL91ABNA0417164300; BSN 123456782';
  const masked = maskText(text, personalData(text));
  expect(masked).toBe('Bel 06-••••••57 of mail j.••••••@•••••.com; IBAN NL91••••••••••••00; BSN •••••••••');
  expect(masked.length).toBe(text.length);
});

test("v3: chat-style names with a class, the school's own contact details, birth years next to a name", () => {
  expect(found('lotte verbeek uit v3 is de grootste roddelaar')).toEqual([['name', 'lotte verbeek']]);
  expect(found('die moeder van kevin uit 3T schreeuwt altijd')).toEqual([['name', 'kevin']]);
  expect(found('roos uit de tuin geplukt')).toEqual([]);
  expect(found('Ziekmelden kan via 0570-612345 of verzuim@ijsselborgh.nl')).toEqual([]);
  expect(found('Aanmelden bij Bart Wolters via bartwolters1990@hotmail.com')).toEqual([
    ['email', 'bartwolters1990@hotmail.com'],
    ['name', 'Bart Wolters'],
  ]);
  expect(found('Kinderen geboren in 2020 kunnen zich nu aanmelden.')).toEqual([]);
  expect(found('Vandaag wordt Fleur Jansen 8! Geboren in 2018.')).toEqual([
    ['birthdate', '2018'],
    ['name', 'Fleur Jansen'],
  ]);
  expect(found('Reünie De Wilgenhoek 14 juni!')).toEqual([]);
  expect(found('het adres: molenstraat 23, 7421 BK deventer')).toEqual([
    ['postcode', '7421 BK'],
    ['address', 'molenstraat 23'],
  ]);
  expect(found('Overmaken naar NL91ABNA0417164300 t.n.v. S. Hendriks')).toEqual([
    ['iban', 'NL91ABNA0417164300'],
    ['name', 'S. Hendriks'],
  ]);
  expect(found('Volg ons op Instagram: @kcdevlinderboom.')).toEqual([]);
});

test('a post stores as masks what its labels found in title and body together, and what each field has on its own', async () => {
  const { labelMention } = await import('../../workers/labelling.ts');
  const { maskFields } = await import('../../workers/classifications.ts');
  const { CLASSIFIER } = await import('../../workers/classify/index.ts');
  const { loadPreset } = await import('../../workers/policy/presets.ts');
  const preset = loadPreset('edu-ley');
  const shown = (title: string, body: string) => {
    const labels = labelMention({ title, body, facts: [], preset });
    return { labels, ...maskFields({ title, body, masks: labels.masks!, classifier: CLASSIFIER }, labels.risks) };
  };
  // each field's own finds: in the joined text the other field's words ("directeur", "ziekmelden",
  // a street name's next word) read as a public role, the school's own number, or no address
  expect(shown('Klacht over de directeur', 'Lotte Jansen uit groep 6 is door een leraar geslagen.').text).toBe(
    'L•••• J••••• uit groep 6 is door een leraar geslagen.',
  );
  expect(shown('Ziekmelden lukt niet', 'Ik word gebeld door 06-12345678, wie is dit?').text).toBe(
    'Ik word gebeld door 06-••••••78, wie is dit?',
  );
  expect(shown('Inbraak De Clercqstraat 12', 'Vannacht is er ingebroken bij de buren.').title).not.toContain(
    'Clercqstraat',
  );
  // a name over the seam between title and body is masked on both sides (it is found only joined)
  const seam = shown('Mijn zoon wordt al weken gepest door Sanne', 'de Vries uit 2B. Niemand doet er iets aan.');
  expect(seam.title).toBe('Mijn zoon wordt al weken gepest door S••••');
  expect(seam.text).toBe('d• V•••• uit 2B. Niemand doet er iets aan.');
  expect(seam.labels.masks).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ field: 'title', subtype: 'name' }),
      expect.objectContaining({ field: 'text', start: 0, subtype: 'name' }),
    ]),
  );
  // a phone number in the title and an e-mail address in the body, each at its own offsets
  const both = shown('Bel 06-12345678 voor de oppas', 'Of mail j.jansen@gmail.com, dan hoor je het.');
  expect(both.title).toBe('Bel 06-••••••78 voor de oppas');
  expect(both.text).toBe('Of mail j.••••••@•••••.com, dan hoor je het.');
});
