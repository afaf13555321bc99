import { describe, expect, test } from 'vitest';
import { classifyLine } from '../../server/cli/classify.ts';
import { classify } from '../../workers/classify/index.ts';
import type { Risk, RiskType, SentimentLabel } from '../../workers/classify/types.ts';
import { decide, type Situation } from '../../workers/policy/engine.ts';
import { loadPreset, parsePreset, PRESET_IDS } from '../../workers/policy/presets.ts';
import { ONLINE_ACTIONS } from '../../workers/policy/types.ts';

// The policy engine: presets as data, one engine, and the Edu-Ley invariant — negative discussion
// is never answered online unless it contains an inaccuracy (Profilering c).
const now = new Date('2026-11-22T09:00:00Z');
const risk = (type: RiskType, severity: Risk['severity'] = 'medium', subtype?: string): Risk => ({
  type,
  severity,
  confidence: 0.9,
  evidence: [{ start: 0, end: 4, text: 'test' }],
  ...(subtype ? { subtype } : {}),
});
const situation = (sentiment: SentimentLabel, risks: Risk[] = [], extra: Partial<Situation> = {}): Situation => ({
  labels: { sentiment: { label: sentiment, score: 0 }, risks },
  now,
  ...extra,
});
const act = (preset: string, s: Situation) => decide(loadPreset(preset), s);
const types = (preset: string, s: Situation) => act(preset, s).map((a) => `${a.type}@${a.article}`);
const eduLey = (s: Situation) => types('edu-ley', s);

describe('Edu-Ley preset, rule by rule', () => {
  test('a threat: Edu-Ley reports it to the police today, as the protocol says (Sancties 5), escalation and a conversation with who is threatened (A.8)', () => {
    expect(eduLey(situation('negative', [risk('threat', 'high')]))).toEqual([
      'report_police@Sancties en gevolgen 5',
      'escalate@A.8',
      'real_life@A.8',
    ]);
    const [police] = act('edu-ley', situation('negative', [risk('threat', 'high')]));
    expect(police).toMatchObject({ roles: ['directie'], dueDays: 0, due: now.toISOString(), basis: 'protocol' });
    expect(police!.guidance).toContain('Aangifte doen — het protocol schrijft dit voor');
    expect(police!.guidance).toContain('nooit zelf aangifte');
  });

  test('signals of abuse follow the Meldcode, a legal duty rather than a protocol article', () => {
    const text = 'Die jongen uit groep 6 wordt thuis geslagen, hij heeft steeds blauwe plekken';
    const [meldcode] = act('edu-ley', situation('negative', [], { text }));
    expect(meldcode).toMatchObject({ type: 'meldcode', basis: 'law', roles: ['vertrouwenspersoon', 'directie'] });
    expect(meldcode!.guidance).toContain('Veilig Thuis');
  });

  test('personal data: removal asked today when serious (a minor, health, an address), within two days otherwise (A.2)', () => {
    const serious = act('edu-ley', situation('neutral', [risk('personal_data', 'high', 'health')]));
    expect(serious.map((a) => [a.type, a.rule, a.dueDays])).toEqual([
      ['remove_personal_data', 'personal-data-serious', 0],
    ]);
    expect(serious[0]!.guidance).toContain('72 uur');
    expect(
      act('edu-ley', situation('neutral', [risk('personal_data', 'medium', 'phone')])).map((a) => [a.rule, a.dueDays]),
    ).toEqual([['personal-data', 2]]);
  });

  test('shaming goes to the leidinggevende and the anti-pestcoördinator, plus a conversation with who was hurt (A.8)', () => {
    const actions = act('edu-ley', situation('negative', [risk('shaming')]));
    expect(actions.map((a) => `${a.type}@${a.article}`)).toEqual(['escalate@A.8', 'real_life@A.8']);
    expect(actions[0]!.roles).toEqual(['leidinggevende', 'anti_pest']);
    expect(actions[0]!.guidance).toContain('dossier');
  });

  test('a staff member befriending pupils is escalated: forbidden by A.7', () => {
    expect(
      eduLey(situation('neutral', [], { text: 'Die meester van groep 7 is vrienden met leerlingen op Snapchat' })),
    ).toEqual(['escalate@A.7']);
  });

  test('an inaccuracy gets the one allowed online correction, quoting the contradicted fact, and still a real-life prompt (Profilering c)', () => {
    const labels = classify('Ik hoorde dat De Meander na de zomer dichtgaat', { facts: ['De Meander blijft open.'] });
    const actions = act('edu-ley', { labels, text: 'Ik hoorde dat De Meander na de zomer dichtgaat', now });
    expect(actions.map((a) => `${a.type}@${a.article}`)).toEqual([
      'correct_online@Profilering c',
      'real_life@Profilering c',
    ]);
    expect(actions[0]).toMatchObject({ roles: ['communicatie', 'directie'], facts: ['De Meander blijft open.'] });
    expect(actions[1]!.points).toEqual(['Ik hoorde dat De Meander na de zomer dichtgaat']);
  });

  test('talking points are whole sentences from the title or the body, never words across them', () => {
    const title = 'Schoolgeld Jozefschool';
    const body =
      'Schijnbaar is de ouderbijdrage op de Jozefschool nu 150 euro en mag je kind niet mee op kamp. Schandalig, echt slecht geregeld.';
    const text = `${title}\n\n${body}`;
    const labels = classify(text, { facts: ['De vrijwillige ouderbijdrage is € 45 per jaar.'] });
    const points = act('edu-ley', { labels, text, now }).find((a) => a.type === 'real_life')!.points!;
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) expect(title.includes(p) || body.includes(p)).toBe(true);
    expect(points).toContain('Schandalig, echt slecht geregeld.');
  });

  test('negative discussion gets a real-life conversation with talking points from the post, due in five days (Profilering c)', () => {
    const text = 'Alweer lesuitval bij groep 6. Slechte communicatie, ik ben het zat.';
    const [prompt, ...rest] = act('edu-ley', { labels: classify(text), text, now });
    expect(rest).toEqual([]);
    expect(prompt).toMatchObject({
      type: 'real_life',
      article: 'Profilering c',
      roles: ['teamleider', 'mentor'],
      due: '2026-11-27T09:00:00.000Z',
    });
    expect(prompt!.points).toEqual(['Alweer lesuitval bij groep 6.', 'Slechte communicatie, ik ben het zat.']);
    expect(prompt!.parts[0]).toMatchObject({
      basis: 'protocol',
      article: 'Profilering c',
      text: expect.stringContaining('niet via sociale media'),
    });
    expect(prompt!.parts[1]).toMatchObject({
      basis: 'advice',
      text: expect.stringContaining('mentor, leerkracht, teamleider'),
    });
  });

  test('photos or video: the consent of those involved (A.6), and nothing shared before it is there', () => {
    expect(eduLey(situation('positive', [], { hasMedia: true }))).toEqual(['check_consent@A.6']);
  });

  test('good news is shared via the school’s own channels (Profilering a); neutral news needs nothing (Profilering b)', () => {
    expect(eduLey(situation('positive'))).toEqual(['amplify@Profilering a']);
    expect(eduLey(situation('neutral'))).toEqual(['monitor@Profilering b']);
    // "nothing to do" never sits next to something to do
    expect(eduLey(situation('neutral', [], { text: 'De juf is bevriend met leerlingen op Instagram' }))).toEqual([
      'escalate@A.7',
    ]);
  });

  test('positive words next to a risk are not amplified', () => {
    expect(eduLey(situation('positive', [risk('personal_data', 'medium', 'phone')]))).toEqual([
      'remove_personal_data@A.2',
    ]);
  });
});

describe('the Edu-Ley invariant: no online response to negative discussion without an inaccuracy', () => {
  const subsets = <T>(xs: T[]): T[][] => xs.reduce<T[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);
  const others: RiskType[] = ['personal_data', 'shaming', 'threat', 'discrimination', 'sexual'];
  const texts = ['', 'De juf is vrienden met leerlingen', 'Hij wordt thuis geslagen', 'Ze hebben de les gefilmd'];
  test('holds for every combination of risks, severity, media, source and text', () => {
    let cases = 0;
    for (const set of subsets(others))
      for (const severity of ['low', 'medium', 'high'] as const)
        for (const hasMedia of [false, true])
          for (const sourceKind of ['rss', 'report', 'mastodon'])
            for (const text of texts) {
              const actions = act(
                'edu-ley',
                situation(
                  'negative',
                  set.map((t) => risk(t, severity)),
                  { hasMedia, sourceKind, text },
                ),
              );
              cases++;
              expect(actions.filter((a) => ONLINE_ACTIONS.includes(a.type))).toEqual([]);
              expect(actions.length).toBeGreaterThan(0);
            }
    expect(cases).toBe(32 * 3 * 2 * 3 * 4);
  });
  test('with an inaccuracy the correction is offered, always together with a real-life prompt', () => {
    for (const set of subsets(others)) {
      const actions = act('edu-ley', situation('negative', [...set.map((t) => risk(t)), risk('inaccuracy')]));
      expect(actions.map((a) => a.type)).toEqual(expect.arrayContaining(['correct_online', 'real_life']));
    }
  });
});

describe('the other presets differ where their protocols differ', () => {
  const staffMisconduct = { text: 'Die meester van groep 8 stuurt ongepaste berichten naar leerlingen' };
  const befriending = { text: 'Die meester van groep 7 is vrienden met leerlingen op Snapchat' };

  test('all five presets load, every rule cites an article, and each has the core rules', () => {
    for (const id of PRESET_IDS) {
      const p = loadPreset(id);
      expect(p.id).toBe(id);
      for (const r of p.rules)
        expect(r.basis === 'advice' ? r.article === undefined : !!r.article, `${id} ${r.id}`).toBe(true);
      expect(p.rules.map((r) => r.id)).toEqual(
        expect.arrayContaining([
          'threat-police',
          'meldcode',
          'personal-data',
          'shaming',
          'inaccuracy',
          'negative',
          'photos',
          'positive',
          'neutral',
        ]),
      );
    }
  });

  test('the Landelijke Vertrouwensinspecteur only where the protocol names it: model (Sancties 3) and Scala (Sancties 2)', () => {
    const inspector = (id: string) =>
      act(id, situation('negative', [], staffMisconduct)).find((a) => a.type === 'notify_inspector');
    expect(inspector('model-protocol')).toMatchObject({ article: 'Sancties en gevolgen 3' });
    expect(inspector('model-protocol')!.guidance).toContain('0900-1113111');
    expect(inspector('scala-coenecoop')).toMatchObject({ article: 'Sancties en gevolgen 2' });
    for (const id of ['edu-ley', 'obs-meander', 'st-jozef-pontonnier']) expect(inspector(id)).toBeUndefined();
  });

  test('escalation goes to the directie at obs Meander, to the leidinggevende elsewhere', () => {
    const escalate = (id: string) =>
      act(id, situation('negative', [risk('threat', 'high')])).find((a) => a.type === 'escalate')!;
    expect(escalate('obs-meander')).toMatchObject({
      roles: ['directie'],
      article: 'Sociale media in de school 4 en 5',
    });
    for (const id of ['edu-ley', 'model-protocol', 'scala-coenecoop', 'st-jozef-pontonnier'])
      expect(escalate(id).roles).toContain('leidinggevende');
  });

  test('a police report: "zal aangifte" at Edu-Ley, Scala and St. Jozef, "kan" in the model; obs Meander has no article, so the law is cited', () => {
    const police = (id: string) =>
      act(id, situation('negative', [risk('threat', 'high')])).find((a) => a.type === 'report_police')!;
    expect(police('edu-ley').article).toBe('Sancties en gevolgen 5');
    expect(police('scala-coenecoop').article).toBe('Sancties en gevolgen 6');
    expect(police('st-jozef-pontonnier').article).toBe('Sancties en gevolgen 5');
    expect(police('model-protocol')).toMatchObject({ article: 'Sancties en gevolgen 7' });
    expect(police('model-protocol').guidance).toContain('kan de school melding of aangifte doen');
    expect(police('obs-meander')).toMatchObject({ basis: 'law', article: expect.stringContaining('art. 285') });
  });

  test('befriending pupils: forbidden (escalate) at Edu-Ley, model, Meander and Scala; discouraged (a conversation) at St. Jozef', () => {
    for (const id of ['edu-ley', 'model-protocol', 'obs-meander', 'scala-coenecoop'])
      expect(types(id, situation('neutral', [], befriending))[0]).toMatch(/^escalate@/);
    const jozef = act('st-jozef-pontonnier', situation('neutral', [], befriending));
    expect(jozef.map((a) => `${a.type}@${a.article}`)).toEqual(['real_life@A.6']);
    expect(jozef[0]!.guidance).toContain('raadt medewerkers af');
  });

  test('befriending parents is named only by the model protocol and obs Meander', () => {
    const parents = situation('neutral', [], { text: 'De juf is bevriend met ouders op Facebook' });
    expect(types('model-protocol', parents)).toEqual(['escalate@A.6']);
    expect(types('obs-meander', parents)).toEqual(['escalate@Sociale media in de school 8']);
    expect(types('edu-ley', parents)).toEqual(['monitor@Profilering b']);
  });

  test('Scala: staff stay out of pupils’ group apps (B.6), and negative discussion cites "niet in discussie" (B.4)', () => {
    expect(
      types('scala-coenecoop', situation('neutral', [], { text: 'Meneer zit gewoon in onze klassenapp' })),
    ).toEqual(['escalate@B.6']);
    const prompt = act('scala-coenecoop', situation('negative'))[0]!;
    expect(prompt).toMatchObject({ type: 'real_life', article: 'B.4' });
    expect(prompt.guidance).toContain('niet in discussie');
  });

  test('the model protocol forbids sharing recorded lessons (A.7); photos need written consent, pupils from 16 themselves (A.5)', () => {
    expect(
      types('model-protocol', situation('neutral', [], { text: 'Kijk deze opname van de online les van meneer' })),
    ).toEqual(['real_life@A.7']);
    expect(act('model-protocol', situation('neutral', [], { hasMedia: true }))[0]!.guidance).toContain('vanaf 16 jaar');
    expect(act('obs-meander', situation('neutral', [], { hasMedia: true }))[0]).toMatchObject({
      roles: ['directie'],
      article: 'Sociale media in de school 7',
    });
  });

  test('every preset keeps negative discussion offline unless there is an inaccuracy (or, at obs Meander, a post about the school)', () => {
    for (const id of PRESET_IDS) {
      for (const risks of [[risk('shaming')], [risk('threat', 'high')], [risk('personal_data', 'high', 'name')]]) {
        expect(act(id, situation('negative', risks)).some((a) => ONLINE_ACTIONS.includes(a.type))).toBe(false);
      }
      expect(
        act(id, situation('negative', [], { text: 'Slecht geregeld weer' })).some((a) =>
          ONLINE_ACTIONS.includes(a.type),
        ),
      ).toBe(id === 'obs-meander');
      expect(act(id, situation('negative', [risk('inaccuracy')])).map((a) => a.type)).toEqual([
        'correct_online',
        'real_life',
      ]);
    }
  });
});

describe('discrimination and sexual content in every preset (issue 14)', () => {
  test('sexual content goes to the police, the Meldcode and escalation in all five presets; never shared, never a consent check on the images', () => {
    for (const id of PRESET_IDS) {
      const actions = act(id, situation('negative', [risk('sexual', 'high')], { hasMedia: true }));
      const kinds = actions.map((a) => a.type);
      expect(kinds, id).toEqual(expect.arrayContaining(['report_police', 'meldcode', 'escalate']));
      expect(kinds, id).not.toContain('amplify');
      expect(kinds, id).not.toContain('check_consent');
      expect(kinds, id).not.toContain('correct_online');
      const meldcode = actions.find((a) => a.type === 'meldcode')!;
      expect(meldcode.basis, id).toBe('law');
      // The guidance says never to open, keep or forward the material.
      expect(actions.find((a) => a.type === 'report_police')!.guidance, id).toMatch(/niet door|Open, download, bewaar/);
    }
  });
  test('discrimination: a police report where the protocol says so, escalation and a conversation with who was hurt, each citing its article', () => {
    const expected: Record<string, string> = {
      'edu-ley': 'Sancties en gevolgen 5',
      'model-protocol': 'Sancties en gevolgen 7',
      'scala-coenecoop': 'Sancties en gevolgen 6',
      'st-jozef-pontonnier': 'Sancties en gevolgen 5',
    };
    for (const id of PRESET_IDS) {
      const actions = act(id, situation('negative', [risk('discrimination', 'high')]));
      expect(
        actions.map((a) => a.type),
        id,
      ).toEqual(expect.arrayContaining(['report_police', 'escalate', 'real_life']));
      const police = actions.find((a) => a.type === 'report_police')!;
      if (expected[id]) expect(police.article, id).toBe(expected[id]);
      else expect(police).toMatchObject({ basis: 'law', article: expect.stringMatching(/137c/) });
    }
  });
  test('a classified post carries the new risk types into the prompts', () => {
    const c = classify('Die vieze Marokkanen op het Scala moeten gewoon terug naar hun eigen land.');
    expect(c.risks.map((r) => r.type)).toContain('discrimination');
    const actions = act('edu-ley', { labels: c, text: 'x', now });
    expect(actions.map((a) => a.type)).toContain('report_police');
  });
});

describe('presets as data', () => {
  test('a broken preset file is refused with the reason', () => {
    expect(() =>
      parsePreset(
        'id: x\nname: X\nsource: s\ndescription: d\nrules:\n  - { id: a, article: A.1, when: {}, actions: [{ type: monitor, roles: [communicatie], dueDays: 0, guidance: "Niets te doen, echt niets hoor." }] }',
      ),
    ).toThrow(/voorwaarden/);
    expect(() =>
      parsePreset(
        'id: x\nname: X\nsource: s\ndescription: d\nrules:\n  - { id: a, article: A.1, when: { noRisks: true }, actions: [{ type: tweet, roles: [communicatie], dueDays: 0, guidance: "Zomaar iets online zetten dan." }] }',
      ),
    ).toThrow();
    expect(() => loadPreset('../../etc/passwd')).toThrow(/Onbekend beleid/);
  });

  test('klankbord classify --policy fills actions per line; without a policy they stay empty', () => {
    const line = JSON.stringify({ id: 'm1', text: 'Slechte communicatie, alweer lesuitval. Ik ben het zat.' });
    const out = JSON.parse(classifyLine(line, loadPreset('edu-ley'), now)!);
    expect(out.actions).toEqual([
      expect.objectContaining({
        type: 'real_life',
        article: 'Profilering c',
        roles: ['teamleider', 'mentor'],
        due: '2026-11-27T09:00:00.000Z',
      }),
    ]);
    expect(Object.keys(out.actions[0]).slice(0, 3)).toEqual(['type', 'article', 'basis']);
    expect(JSON.parse(classifyLine(line)!).actions).toEqual([]);
    const withFacts = JSON.parse(
      classifyLine(
        JSON.stringify({ id: 2, text: 'Ik hoorde dat De Meander dichtgaat', facts: ['De Meander blijft open.'] }),
        loadPreset('edu-ley'),
        now,
      )!,
    );
    expect(withFacts.actions[0]).toMatchObject({ type: 'correct_online', facts: ['De Meander blijft open.'] });
  });
});

test('a copy of a preset (read again, or sent to a classification thread) reuses the compiled phrase lists', async () => {
  const { registry } = await import('../../workers/classify/phrases.ts');
  const s = situation('negative', [risk('shaming')], { text: 'De juf zette een foto van de klas op Instagram.' });
  for (const id of PRESET_IDS) decide(loadPreset(id), s);
  const compiled = registry.length;
  for (let copy = 0; copy < 3; copy++)
    for (const id of PRESET_IDS) expect(decide(structuredClone(loadPreset(id)), s)).toEqual(decide(loadPreset(id), s));
  expect(registry.length).toBe(compiled);
});
