import { expect, test } from 'vitest';
import { functionalScores } from '../../bench/functional.ts';
import { expandSuite, suiteFunctionalities } from '../functional/expand.ts';

// The functional suite (test/functional/, written by a helper session from the label definitions only):
// per functionality the share of its cases the classifier gets right — recall where a label should be
// found, 1 − false alarms where it should not, accuracy for sentiment. The floors are the figures
// measured for classifier v3.0 less a margin (README, Classificatie): a change that loses ground on
// any phenomenon fails here, and a better classifier raises them.
const FLOORS: Record<string, number> = {
  threat_direct: 0.95,
  threat_idiom: 0.95,
  threat_conditional: 0.85,
  threat_conditional_nonviolent: 0.95,
  threat_wished: 0.95,
  threat_incitement: 0.95,
  threat_veiled: 0.85,
  threat_building: 0.75,
  threat_group: 0.95,
  threat_weapon: 0.9,
  threat_weapon_neutral: 0.95,
  threat_reported: 0.95,
  threat_spelling: 0.85,
  threat_english: 0.9,
  threat_english_idiom: 0.95,
  threat_quoted_condemned: 0.7,
  threat_negated: 0.95,
  threat_sport_gaming: 0.75,
  threat_news_incident: 0.75,
  disc_slur_person: 0.85,
  disc_counter_speech: 0.9,
  disc_dehumanising: 0.85,
  disc_stereotype: 0.7,
  disc_neutral_group: 0.95,
  disc_exclude: 0.85,
  disc_positive: 0.95,
  disc_disability: 0.9,
  disc_identity_school_context: 0.95,
  shaming_insult_plain: 0.85,
  shaming_criticism: 0.95,
  shaming_insult_curse: 0.95,
  shaming_profanity_untargeted: 0.95,
  shaming_english: 0.95,
  shaming_spread_exclude: 0.95,
  shaming_defamation: 0.65,
  shaming_mockery: 0.95,
  shaming_obfuscated: 0.7,
  shaming_condemned: 0.95,
  sexual_nudes: 0.95,
  sexual_sextortion: 0.95,
  sexual_grooming: 0.95,
  sexual_remarks: 0.95,
  sexual_education: 0.95,
  inacc_hearsay: 0.9,
  inacc_question: 0.95,
  inacc_no_marker: 0.85,
  inacc_official: 0.95,
  inacc_contradict_closure: 0.75,
  inacc_contradict_fee: 0.7,
  inacc_contradict_schedule: 0.85,
  inacc_contradict_rule: 0.7,
  inacc_agrees_facts: 0.95,
  pd_name_pupil: 0.95,
  pd_name_teacher_ordinary: 0.95,
  pd_name_health: 0.85,
  pd_name_public_official: 0.95,
  pd_name_first_name_only: 0.95,
  sent_negated_positive: 0.7,
  sent_sarcasm: 0.75,
  sent_mixed_negative: 0.75,
  sent_mixed_positive: 0.95,
  sent_neutral_question: 0.95,
  sent_praise: 0.95,
  sent_negated_negative: 0.75,
};

test('the suite has at least 30 functionalities of at least 20 cases, and expands the same way every time', () => {
  const fs = suiteFunctionalities();
  expect(fs.length).toBeGreaterThanOrEqual(30);
  for (const f of fs) expect(f.count, f.id).toBeGreaterThanOrEqual(20);
  expect(JSON.stringify(expandSuite())).toBe(JSON.stringify(expandSuite()));
  expect(Object.keys(FLOORS).sort()).toEqual(fs.map((f) => f.id).sort());
});

test('every functionality stays at or above its floor', () => {
  const { scores } = functionalScores();
  const below = scores.filter((s) => s.rate < FLOORS[s.id]!).map((s) => `${s.id}: ${s.rate} < ${FLOORS[s.id]}`);
  expect(below).toEqual([]);
});
