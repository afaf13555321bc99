import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Risk, RiskType, SentimentLabel } from '../../workers/classify/types.ts';
import { articleProblem, articlesOf, PROTOCOL_FILES, type ArticleIndex } from '../../workers/policy/articles.ts';
import { buildPreset, editorView, rebase } from '../../workers/policy/edit.ts';
import { decide, type Situation } from '../../workers/policy/engine.ts';
import { loadPreset, presetFrom, PRESET_IDS } from '../../workers/policy/presets.ts';
import stored from '../../workers/policy/protocol-articles.json' with { type: 'json' };
import { ONLINE_ACTIONS, type Action, type GuidancePart, type Preset } from '../../workers/policy/types.ts';

// Issue 15: each preset says what its protocol says. Every rule and every sentence of guidance
// carries its basis — the protocol with an article that exists in that protocol's text, the law with
// its article, or Klankbord's advice — and each deviation found by reading the presets next to the
// five texts has a test here.
const root = path.resolve(process.env.KLANKBORD_SHARED_DIR ?? '../shared', 'protocols');
const haveTexts = fs.existsSync(root);
const index = stored as Record<string, ArticleIndex>;

const now = new Date('2026-11-22T09:00:00Z');
const risk = (type: RiskType, severity: Risk['severity'] = 'high'): Risk => ({
  type,
  severity,
  confidence: 0.9,
  evidence: [{ start: 0, end: 4, text: 'test' }],
});
const sit = (sentiment: SentimentLabel, risks: Risk[] = [], extra: Partial<Situation> = {}): Situation => ({
  labels: { sentiment: { label: sentiment, score: 0 }, risks },
  now,
  ...extra,
});
const act = (id: string, s: Situation) => decide(loadPreset(id), s);
const find = (id: string, s: Situation, type: Action['type']) => act(id, s).find((a) => a.type === type);
const partsOf = (p: Preset): GuidancePart[] => [
  ...(p.stance ? [p.stance] : []),
  ...p.spike.guidance,
  ...p.rules.flatMap((r) => r.actions.flatMap((a) => a.guidance)),
];
const DUTY = ['edu-ley', 'scala-coenecoop', 'st-jozef-pontonnier'] as const;

describe('every rule and every sentence has a basis that exists', () => {
  test.skipIf(!haveTexts)('the stored article list is what the protocol texts in shared/protocols hold', () => {
    for (const id of PRESET_IDS)
      expect(articlesOf(fs.readFileSync(path.join(root, PROTOCOL_FILES[id]!), 'utf8')), id).toEqual(index[id]);
  });

  test('the article list knows each protocol’s sections and numbering (the model protocol numbers every item "1.")', () => {
    expect(index['edu-ley']!['Profilering']).toEqual(['', 'a', 'b', 'c', 'd', 'e', 'f']);
    expect(index['model-protocol']!['A']!.at(-1)).toBe('9');
    expect(index['model-protocol']!['Sancties en gevolgen']!.at(-1)).toBe('7');
    expect(index['obs-meander']!['Sociale media in de school']!.at(-1)).toBe('8');
    expect(index['scala-coenecoop']!['Uitgangspunten']!.at(-1)).toBe('13');
    expect(articleProblem(index['edu-ley']!, 'Sancties en gevolgen 1 en 3')).toBeUndefined();
    expect(articleProblem(index['edu-ley']!, 'B.1 en C.2')).toBeUndefined();
    expect(articleProblem(index['edu-ley']!, 'Sancties en gevolgen 7')).toMatch(/staat niet in het protocol/);
    expect(articleProblem(index['edu-ley']!, 'A.9')).toMatch(/staat niet in het protocol/);
    expect(articleProblem(index['edu-ley']!, 'Profilering g')).toMatch(/staat niet in het protocol/);
    expect(articleProblem(index['obs-meander']!, 'B.2')).toMatch(/staat niet in het protocol/);
    expect(articleProblem(index['st-jozef-pontonnier']!, 'Uitgangspunten 4')).toBeUndefined();
    expect(articleProblem(index['st-jozef-pontonnier']!, 'Artikel 12')).toMatch(/geen artikel/);
  });

  test.each(PRESET_IDS)(
    '%s: every rule and part has a basis; every protocol basis names an article of its text; law names its article',
    (id) => {
      const p = loadPreset(id);
      const refs = [p.spike, ...p.rules, ...partsOf(p)];
      for (const r of refs) {
        expect(['protocol', 'law', 'advice'], JSON.stringify(r).slice(0, 80)).toContain(r.basis);
        if (r.basis === 'protocol')
          expect(articleProblem(index[id]!, r.article!), `${id}: ${r.article}`).toBeUndefined();
        if (r.basis === 'law') expect(r.article, id).toMatch(/Wetboek|Meldcode|AVG|Wet /);
        if (r.basis === 'advice') expect(r.article, id).toBeUndefined();
      }
      for (const r of p.rules) for (const a of r.actions) expect(a.guidance.length, `${id} ${r.id}`).toBeGreaterThan(0);
    },
  );

  test('the law is cited as it stands since the Wet seksuele misdrijven (2024): no art. 240b or 248e', () => {
    for (const id of PRESET_IDS)
      for (const part of partsOf(loadPreset(id)))
        expect(`${part.article ?? ''} ${part.text}`, id).not.toMatch(/240b|248e/);
  });
});

describe('wrong: the police where a protocol says the school zal aangifte doen', () => {
  const criminal: [string, Situation][] = [
    ['threat', sit('negative', [risk('threat')])],
    ['discrimination', sit('negative', [risk('discrimination')])],
    ['sexual content', sit('negative', [risk('sexual')])],
    [
      'stalking',
      sit('negative', [], { text: 'Die vader stalkt de juf al weken, hij staat elke dag voor de deur bij haar huis.' }),
    ],
    [
      'intimate images',
      sit('negative', [], { text: 'Er gaan naaktfoto’s van een meisje uit 3b rond, ze worden overal gedeeld.' }),
    ],
    [
      'hacking',
      sit('negative', [], {
        text: 'Iemand heeft het Instagram-account van meester Joost gehackt en zet er rare dingen op.',
      }),
    ],
  ];
  test.each(DUTY)('%s: "Aangifte doen — het protocol schrijft dit voor" on every risk that may be criminal', (id) => {
    for (const [what, s] of criminal) {
      const police = find(id, s, 'report_police');
      expect(police, `${id} ${what}`).toBeDefined();
      expect(police!.parts[0], `${id} ${what}`).toMatchObject({
        basis: 'protocol',
        text: expect.stringContaining('Aangifte doen — het protocol schrijft dit voor'),
      });
      expect(police!.guidance, `${id} ${what}`).not.toMatch(/overwegen|beslist/);
    }
  });
  test.each(DUTY)('%s: the police rules are locked like the rules from the law', (id) => {
    const view = editorView(loadPreset(id));
    const police = view.rules.filter((r) => r.actions.some((a) => a.type === 'report_police'));
    expect(police.length).toBeGreaterThanOrEqual(6);
    for (const r of police)
      expect(r, r.id).toMatchObject({ locked: true, title: expect.stringContaining('aangifte doen') });
    const edit = {
      presetId: id,
      spike: view.spike,
      rules: view.rules.map((r) => ({ id: r.id, enabled: r.id !== 'threat-police', actions: r.actions })),
    };
    expect(buildPreset(edit).problems).toEqual(
      expect.arrayContaining([expect.stringContaining('schrijft het protocol voor en blijft aan')]),
    );
    // nor can a board soften the protocol's sentence
    const softened = {
      ...edit,
      rules: view.rules.map((r) => ({
        id: r.id,
        enabled: true,
        actions:
          r.id === 'threat-police'
            ? r.actions.map((a) => ({
                ...a,
                guidance: [{ text: 'Aangifte overwegen; de directeur beslist of het nodig is.' }],
              }))
            : r.actions,
      })),
    };
    const problems = buildPreset(softened).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems)
      expect(p).toMatch(
        /^Regel "Mogelijk strafbaar \(bedreiging\): aangifte doen", "Politie: aangifte of melding": de tekst uit (het protocol|de wet) \(.+\) blijft ongewijzigd staan$/,
      );
  });
  test('the model protocol’s "kan melding of aangifte" (Sancties 7) stays a decision; obs Meander has no article, so the law is cited', () => {
    const model = find('model-protocol', sit('negative', [risk('threat')]), 'report_police')!;
    expect(model).toMatchObject({ article: 'Sancties en gevolgen 7', basis: 'protocol' });
    expect(model.guidance).toContain('kan de school melding of aangifte doen');
    expect(editorView(loadPreset('model-protocol')).rules.find((r) => r.id === 'threat-police')!.locked).toBe(false);
    const meander = find('obs-meander', sit('negative', [risk('threat')]), 'report_police')!;
    expect(meander).toMatchObject({ basis: 'law', article: 'Wetboek van Strafrecht art. 285' });
    expect(meander.parts[0]).toMatchObject({ basis: 'advice', text: expect.stringContaining('noemt de politie niet') });
  });
});

describe('wrong: photos, film and sound', () => {
  test('Edu-Ley cites A.6 (consent of those involved) instead of Profilering d, and covers sound recordings', () => {
    const photo = find('edu-ley', sit('neutral', [], { hasMedia: true }), 'check_consent')!;
    expect(photo.article).toBe('A.6');
    expect(photo.parts[0]).toMatchObject({
      basis: 'protocol',
      article: 'A.6',
      text: expect.stringContaining('betrokkenen uitdrukkelijk toestemming'),
    });
    expect(JSON.stringify(loadPreset('edu-ley'))).not.toContain('Profilering d');
    const sound = find(
      'edu-ley',
      sit('neutral', [], { text: 'Hier is een geluidsopname van wat meester Bas in de les tegen ons zei' }),
      'check_consent',
    );
    expect(sound).toMatchObject({ article: 'A.6', rule: 'recordings' });
  });
  test.each(PRESET_IDS)('%s: never a prompt to share a post whose consent is still to be checked', (id) => {
    const actions = act(id, sit('positive', [], { hasMedia: true })).map((a) => a.type);
    expect(actions).toContain('check_consent');
    expect(actions).not.toContain('amplify');
    expect(act(id, sit('positive')).map((a) => a.type)).toEqual(['amplify']);
  });
  test('model protocol: recording a remote lesson is banned (A.7), not a consent check; in-class recordings without prior consent are A.1', () => {
    const remote = act(
      'model-protocol',
      sit('neutral', [], { text: 'Kijk deze opname van de online les van meneer, hahaha' }),
    );
    expect(remote.map((a) => `${a.type}@${a.article}`)).toEqual(['real_life@A.7']);
    expect(remote[0]!.parts[0]!.text).toContain('niet toegestaan');
    const inClass = act(
      'model-protocol',
      sit('neutral', [], { text: 'Ik heb het gefilmd tijdens de les van mevrouw Jansen' }),
    );
    expect(inClass.map((a) => `${a.type}@${a.article}`)).toEqual(['check_consent@A.1']);
    expect(inClass[0]!.parts[0]!.text).toContain('vooraf toestemming');
  });
});

describe('wrong: Profilering e, the correction guidance and Scala’s inspector number', () => {
  test('Edu-Ley cites Profilering e for the dialogue it allows, never to justify not replying', () => {
    const e = partsOf(loadPreset('edu-ley')).filter((p) => p.article === 'Profilering e');
    expect(e.length).toBeGreaterThan(0);
    for (const p of e) {
      expect(p.text).toContain('dialoog');
      expect(p.text).not.toMatch(/niet (online|via sociale media)|reageer niet/i);
    }
  });
  test('"the only situation in which Edu-Ley reacts online" says: on negative discussion', () => {
    const correction = find('edu-ley', sit('negative', [risk('inaccuracy')]), 'correct_online')!;
    expect(correction.parts[0]).toMatchObject({
      basis: 'protocol',
      article: 'Profilering c',
      text: expect.stringContaining('de enige situatie waarin Edu-Ley online reageert op negatieve discussie'),
    });
    expect(JSON.stringify(loadPreset('edu-ley'))).not.toMatch(/enige situatie waarin Edu-Ley online reageert[.:]/);
  });
  test('Scala’s inspector number is the national number, not Scala’s text', () => {
    const inspector = find(
      'scala-coenecoop',
      sit('negative', [], { text: 'Die meester van groep 8 stuurt ongepaste berichten naar leerlingen' }),
      'notify_inspector',
    )!;
    expect(inspector.parts[0]).toMatchObject({ basis: 'protocol', article: 'Sancties en gevolgen 2' });
    expect(inspector.parts[0]!.text).not.toContain('0900');
    const number = inspector.parts.find((p) => p.text.includes('0900-1113111'))!;
    expect(number).toMatchObject({ basis: 'advice', text: expect.stringContaining('landelijke nummer') });
    // the model protocol itself gives the number
    const model = find(
      'model-protocol',
      sit('negative', [], { text: 'Die meester van groep 8 stuurt ongepaste berichten naar leerlingen' }),
      'notify_inspector',
    )!;
    expect(model.parts[0]).toMatchObject({
      basis: 'protocol',
      article: 'Sancties en gevolgen 3',
      text: expect.stringContaining('0900-1113111'),
    });
  });
});

describe('missing: what the protocols ask and the presets left out', () => {
  test('model A.9: report to the schoolleiding or the bestuur; Sancties 6: measures offered as steps, not automated', () => {
    for (const r of [risk('shaming'), risk('threat'), risk('discrimination'), risk('sexual')]) {
      const escalate = find('model-protocol', sit('negative', [r]), 'escalate')!;
      expect(escalate.parts, r.type).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            basis: 'protocol',
            article: 'A.9',
            text: expect.stringContaining('schoolleiding of het bestuur'),
          }),
          expect.objectContaining({
            basis: 'protocol',
            article: 'Sancties en gevolgen 6',
            text: expect.stringMatching(/devices in bewaring.*berichten en\/of beelden/),
          }),
          expect.objectContaining({ basis: 'advice', text: expect.stringContaining('Klankbord voert er geen uit') }),
        ]),
      );
    }
  });
  test('Scala Uitgangspunten 6 and 11: "bij twijfel niet publiceren", overleg met de leidinggevende, in the correction', () => {
    const correction = find('scala-coenecoop', sit('negative', [risk('inaccuracy')]), 'correct_online')!;
    expect(correction.parts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          basis: 'protocol',
          article: 'Uitgangspunten 6 en 11',
          text: expect.stringMatching(/Bij twijfel niet publiceren.*leidinggevende/),
        }),
      ]),
    );
  });
  test('a post by staff about the school: a prompt to say you work there (Edu-Ley B.1/C.2 and siblings)', () => {
    const text = 'Als leerkracht van De Meander wil ik even zeggen dat de plannen voor het nieuwe rooster prima zijn.';
    const expected: Record<string, string> = {
      'edu-ley': 'B.1 en C.2',
      'model-protocol': 'B.2 en C.3',
      'scala-coenecoop': 'B.1 en C.3',
      'st-jozef-pontonnier': 'C.2',
    };
    for (const [id, article] of Object.entries(expected)) {
      const remind = find(id, sit('positive', [], { text }), 'remind_staff');
      expect(remind, id).toMatchObject({ article, roles: ['leidinggevende'] });
      expect(remind!.guidance, id).toMatch(/medewerker/);
    }
    // obs Meander's protocol has no such article
    expect(find('obs-meander', sit('positive', [], { text }), 'remind_staff')).toBeUndefined();
    // a parent is not staff
    expect(
      find(
        'edu-ley',
        sit('positive', [], { text: 'Als ouder van De Meander ben ik blij met het nieuwe rooster.' }),
        'remind_staff',
      ),
    ).toBeUndefined();
  });
});

describe('invented: sentences that cite an article that does not say them', () => {
  const offline = /niet online|reageer niet|niet via sociale media|niet in discussie/i;
  // Not answering online rests on an article only where the text says it: Edu-Ley Profilering c, and
  // Scala B.4 (no discussion with a pupil or parent). Elsewhere it is advice — rules, guidance, spike prompts.
  const allowed: Record<string, string[]> = {
    'edu-ley': ['Profilering c'],
    'scala-coenecoop': ['B.4'],
    'model-protocol': [],
    'obs-meander': [],
    'st-jozef-pontonnier': [],
  };
  test.each(PRESET_IDS)('%s: "reageer niet online" cites only an article that says it', (id) => {
    const said = partsOf(loadPreset(id)).filter((p) => offline.test(p.text));
    expect(said.length).toBeGreaterThan(0);
    for (const part of said)
      if (part.basis !== 'advice') expect(allowed[id], `${id}: ${part.text.slice(0, 60)}`).toContain(part.article);
    if (id === 'edu-ley') expect(said.filter((p) => p.article === 'Profilering c').length).toBeGreaterThan(2);
  });
  test('the negative-discussion rule itself is advice where the protocol has no article for it', () => {
    for (const id of ['model-protocol', 'obs-meander', 'st-jozef-pontonnier']) {
      const negative = loadPreset(id).rules.find((r) => r.id === 'negative')!;
      expect(negative, id).toMatchObject({ basis: 'advice' });
      expect(negative.article, id).toBeUndefined();
      expect(
        loadPreset(id)
          .spike.guidance.filter((p) => offline.test(p.text))
          .every((p) => p.basis === 'advice'),
        id,
      ).toBe(true);
    }
  });
  test('the online correction rests on no article in the model, St. Jozef and Scala: it is advice, and "school account only" is not B.4', () => {
    for (const id of ['model-protocol', 'st-jozef-pontonnier', 'scala-coenecoop']) {
      const rule = loadPreset(id).rules.find((r) => r.id === 'inaccuracy')!;
      expect(rule, id).toMatchObject({ basis: 'advice' });
      const correction = rule.actions.find((a) => a.type === 'correct_online')!;
      expect(
        correction.guidance.find((p) => /schoolaccount|kanalen van de school/.test(p.text)),
        id,
      ).toMatchObject({ basis: 'advice' });
      expect(JSON.stringify(rule), id).not.toContain('Uitgangspunten 4');
    }
  });
  test('the directie’s approval of a correction and the roles named for Profilering c are product choices: advice', () => {
    for (const id of PRESET_IDS)
      for (const part of partsOf(loadPreset(id)).filter((p) => /goedkeur|keurt .* goed/.test(p.text)))
        expect(part.basis, `${id}: ${part.text.slice(0, 60)}`).toBe('advice');
    const negative = find('edu-ley', sit('negative'), 'real_life')!;
    const roles = negative.parts.find((p) => p.text.includes('mentor, leerkracht, teamleider'))!;
    expect(roles.basis).toBe('advice');
  });
});

describe('obs Meander art. 8: the school itself may react', () => {
  const aboutSchool = 'Het nieuwe rooster van De Meander is slecht geregeld en de communicatie is rommelig.';
  test('a negative post about the school, not about a person, gets the offer of a reply from the school account, drafted and approved', () => {
    const actions = act('obs-meander', sit('negative', [], { text: aboutSchool }));
    expect(actions.map((a) => `${a.type}@${a.article}`)).toEqual([
      'reply_online@Sociale media in de school 8',
      'real_life@Sociale media in de school 8',
    ]);
    expect(actions[0]!.parts[0]).toMatchObject({ basis: 'protocol', text: expect.stringContaining('reageren') });
    expect(actions[0]!.parts[1]).toMatchObject({
      basis: 'advice',
      text: expect.stringMatching(/directie keurt het goed.*nooit zelf/),
    });
  });
  test('not when the post is about a person, has a risk, or the preset is another one', () => {
    expect(
      act('obs-meander', sit('negative', [], { text: 'Die juf van groep 5 is slecht en rommelig.' })).map(
        (a) => a.type,
      ),
    ).toEqual(['real_life']);
    expect(
      act('obs-meander', sit('negative', [risk('shaming')], { text: aboutSchool })).some((a) =>
        ONLINE_ACTIONS.includes(a.type),
      ),
    ).toBe(false);
    for (const id of PRESET_IDS.filter((x) => x !== 'obs-meander'))
      expect(
        act(id, sit('negative', [], { text: aboutSchool })).some((a) => ONLINE_ACTIONS.includes(a.type)),
        id,
      ).toBe(false);
  });
  test('a board cannot add a reply where its protocol gives none', () => {
    for (const id of PRESET_IDS)
      for (const r of editorView(loadPreset(id)).rules)
        expect(r.allowed.includes('reply_online'), `${id} ${r.id}`).toBe(
          r.actions.some((a) => a.type === 'reply_online'),
        );
  });
});

describe('a board’s stored version is read against the current file', () => {
  test('a version stored before guidance had parts: the protocol’s duties as shipped, the old texts as the board’s own', () => {
    const file = loadPreset('edu-ley');
    // the shape versions had before: one string per guidance, police as a decision
    const legacy = {
      ...file,
      spike: {
        article: 'B.2',
        roles: ['directie'],
        dueDays: 1,
        guidance: 'Bespreek het vandaag met de directie. Reageer niet online op de discussie.',
      },
      rules: file.rules
        .filter((r) => r.id !== 'stalking-police' && r.id !== 'befriending')
        .map((r) => ({
          id: r.id,
          title: r.title,
          article: r.article ?? 'Profilering c',
          when: r.when,
          actions: r.actions.map((a) => ({
            ...a,
            guidance:
              r.id === 'threat-police'
                ? 'Aangifte overwegen: de directeur beslist vandaag.'
                : a.guidance.map((g) => g.text).join(' '),
          })),
        })),
    };
    const p = rebase(presetFrom(legacy));
    const police = p.rules.find((r) => r.id === 'threat-police')!;
    expect(police).toMatchObject({ basis: 'protocol', locked: true });
    expect(police.actions[0]!.guidance).toEqual(file.rules.find((r) => r.id === 'threat-police')!.actions[0]!.guidance);
    // a locked rule the version did not have is on; an unlocked one stays off
    expect(p.rules.some((r) => r.id === 'stalking-police')).toBe(true);
    expect(p.rules.some((r) => r.id === 'befriending')).toBe(false);
    // an old text claims no article any more
    const shaming = p.rules.find((r) => r.id === 'shaming')!.actions[0]!;
    expect(shaming.guidance).toEqual([{ basis: 'board', text: expect.stringContaining('Iemand wordt gekwetst') }]);
    expect(p.spike).toMatchObject({
      basis: 'protocol',
      article: 'B.2',
      roles: ['directie'],
      dueDays: 1,
      guidance: [{ basis: 'board', text: expect.stringContaining('Bespreek het vandaag') }],
    });
  });
});

describe('found by an independent reading of the five texts next to the presets', () => {
  test('the dossier is that of who acted against the protocol, not of who was hurt', () => {
    for (const id of ['edu-ley', 'model-protocol', 'scala-coenecoop', 'st-jozef-pontonnier']) {
      const dossier = partsOf(loadPreset(id)).filter((p) => /dossier/.test(p.text) && p.basis === 'protocol');
      expect(dossier.length, id).toBeGreaterThan(0);
      for (const p of dossier) expect(p.text, id).toContain('van wie dat deed');
    }
  });
  test('insults and doxing may be criminal too: the police article and the law, decided with who is hurt', () => {
    const shaming = find('edu-ley', sit('negative', [risk('shaming')]), 'escalate')!;
    expect(shaming.parts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ basis: 'protocol', article: 'Sancties en gevolgen 5' }),
        expect.objectContaining({
          basis: 'law',
          article: 'Wetboek van Strafrecht art. 261, 262 en 266',
          text: expect.stringContaining('klacht'),
        }),
      ]),
    );
    const pd = find('edu-ley', sit('neutral', [risk('personal_data', 'high')]), 'remove_personal_data')!;
    expect(pd.parts).toEqual(
      expect.arrayContaining([expect.objectContaining({ basis: 'law', article: 'Wetboek van Strafrecht art. 285d' })]),
    );
  });
  test('the reporting duty for sexual offences is cited from the act for the school type, and covers everyone working at the school', () => {
    const law = (id: string) =>
      find(id, sit('negative', [risk('sexual')]), 'meldcode')!.parts.find((p) => /aangifteplicht/.test(p.text))!;
    expect(law('scala-coenecoop').article).toMatch(/Wet voortgezet onderwijs 2020/);
    expect(law('scala-coenecoop').article).not.toMatch(/primair/);
    expect(law('model-protocol').article).toMatch(/primair onderwijs.*voortgezet onderwijs/);
    expect(law('edu-ley').text).toContain('stagiair of vrijwilliger');
  });
  test('stalking, hacking and spreading images are conduct: the presets say they apply the "uitlating" article to them', () => {
    for (const id of DUTY) {
      const police = find(
        id,
        sit('negative', [], { text: 'Iemand heeft het Instagram-account van meester Joost gehackt.' }),
        'report_police',
      )!;
      expect(police.parts[1], id).toMatchObject({
        basis: 'advice',
        text: expect.stringContaining('spreekt over uitlatingen'),
      });
    }
  });
});
