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

test('the masks a post stores are what its labels found in title and body together, mapped back to each field', async () => {
  const { labelMention, masksOf } = await import('../../workers/labelling.ts');
  const { loadPreset } = await import('../../workers/policy/presets.ts');
  const title = 'Bel 06-12345678 voor de oppas';
  const body = 'Of mail j.jansen@gmail.com, dan hoor je het.';
  const labels = labelMention({ title, body, facts: [], preset: loadPreset('edu-ley') });
  const shown = (field: 'title' | 'text') =>
    labels.masks!.filter((m) => m.field === field).map((m) => (field === 'title' ? title : body).slice(m.start, m.end));
  expect(shown('title')).toEqual(['06-12345678']);
  expect(shown('text')).toEqual(['j.jansen@gmail.com']);
  // every personal-data span of the labels is a mask: none found only on one side
  const spans = labels.risks.filter((r) => r.type === 'personal_data').flatMap((r) => r.evidence);
  expect(labels.masks).toHaveLength(spans.length);
  // a span over the seam between title and body ("…Kerkstraat 12" + "\n\n" + "3811 AB…") is masked on both sides
  const t = 'Woont op de Kerkstraat 12';
  const b = '3811 AB Amersfoort';
  const joined = `${t}\n\n${b}`;
  const start = joined.indexOf('Kerkstraat');
  const end = joined.indexOf(' Amersfoort');
  const risks = [
    {
      type: 'personal_data' as const,
      subtype: 'address',
      severity: 'high' as const,
      confidence: 1,
      evidence: [{ start, end, text: joined.slice(start, end) }],
    },
  ];
  expect(masksOf({ risks }, t, b)).toEqual([
    { field: 'title', start: t.indexOf('Kerkstraat'), end: t.length, subtype: 'address' },
    { field: 'text', start: 0, end: '3811 AB'.length, subtype: 'address' },
  ]);
});
