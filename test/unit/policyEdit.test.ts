import { expect, test } from 'vitest';
import { buildPreset, describeChanges, editorView } from '../../workers/policy/edit.ts';
import { decide } from '../../workers/policy/engine.ts';
import { loadPreset, PRESET_IDS } from '../../workers/policy/presets.ts';
import type { Risk } from '../../workers/classify/types.ts';

// Editing a preset in the dashboard: every shipped preset passes its own checks unchanged, an edit
// reaches the engine, and the conditions of a rule cannot be sent along.
const asEdit = (id: string) => {
  const v = editorView(loadPreset(id));
  return {
    presetId: id,
    spike: { ...v.spike },
    rules: v.rules.map((r) => ({
      id: r.id,
      enabled: r.enabled,
      actions: r.actions.map((a) => ({ ...a, guidance: a.guidance.map((g) => ({ ...g })) })),
    })),
  };
};

test.each(PRESET_IDS)('%s as shipped passes the editor checks and comes back the same', (id) => {
  const { preset, problems } = buildPreset(asEdit(id));
  expect(problems).toEqual([]);
  expect(preset).toEqual(loadPreset(id));
  expect(describeChanges(loadPreset(id), preset!)).toEqual([]);
});

test('a switched-off rule no longer decides; an edited text and due date reach the prompt as the board’s own text', () => {
  const edit = asEdit('model-protocol');
  edit.rules.find((r) => r.id === 'threat-police')!.enabled = false;
  const escalate = edit.rules.find((r) => r.id === 'threat-escalate')!.actions[0]!;
  escalate.guidance = [
    {
      text: '  Bel   vandaag de leidinggevende\nen de vertrouwenspersoon van de school.  ',
      basis: 'protocol',
      article: 'A.8',
    },
  ];
  escalate.dueDays = 1;
  const { preset, problems } = buildPreset(edit);
  expect(problems).toEqual([]);
  const threat: Risk = { type: 'threat', severity: 'high', confidence: 0.9, evidence: [] };
  const actions = decide(preset!, {
    labels: { sentiment: { label: 'negative', score: -1 }, risks: [threat] },
    now: new Date('2026-11-22T09:00:00Z'),
  });
  expect(actions.map((a) => a.type)).toEqual(['escalate', 'real_life']);
  expect(actions[0]).toMatchObject({
    guidance: 'Bel vandaag de leidinggevende en de vertrouwenspersoon van de school.',
    dueDays: 1,
    due: '2026-11-23T09:00:00.000Z',
  });
  // A changed text claims no article: it is the board's, whatever the request said.
  expect(actions[0]!.parts).toEqual([
    { basis: 'board', text: 'Bel vandaag de leidinggevende en de vertrouwenspersoon van de school.' },
  ]);
  expect(editorView(preset!).rules.find((r) => r.id === 'threat-police')).toMatchObject({
    enabled: false,
    locked: false,
    title: 'Mogelijk strafbaar (bedreiging): melding of aangifte overwegen',
  });
});

test('the conditions come from the protocol file, whatever the edit carries', () => {
  const edit = asEdit('edu-ley');
  const negative = edit.rules.find((r) => r.id === 'negative')! as Record<string, unknown>;
  negative.when = { sentiment: ['positive'] };
  const { preset } = buildPreset(edit);
  expect(preset!.rules.find((r) => r.id === 'negative')!.when).toEqual({ sentiment: ['negative'] });
});
