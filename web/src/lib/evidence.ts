import { t } from './i18n.svelte.ts';
import type { MessageKey } from './messages/nl.ts';

// Evidence kinds in the order they win when marks overlap: the most serious first.
export const KIND_ORDER = [
  'threat',
  'sexual',
  'discrimination',
  'personal_data',
  'shaming',
  'inaccuracy',
  'negative',
  'positive',
  'match',
];
// The risk types in the order the dashboard lists them: the most serious first.
export const RISK_ORDER = ['threat', 'sexual', 'discrimination', 'personal_data', 'shaming', 'inaccuracy'] as const;

export const evidenceLabel = (kind: string) =>
  t(((RISK_ORDER as readonly string[]).includes(kind) ? `risk.${kind}` : `evidence.${kind}`) as MessageKey);
