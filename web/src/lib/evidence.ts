import { t } from './i18n.svelte.ts';
import type { MessageKey } from './messages/nl.ts';

// Evidence kinds in the order they win when marks overlap: the most serious first.
export const KIND_ORDER = ['threat', 'personal_data', 'shaming', 'inaccuracy', 'negative', 'positive', 'match'];

export const evidenceLabel = (kind: string) => t((['threat', 'personal_data', 'shaming', 'inaccuracy'].includes(kind) ? `risk.${kind}` : `evidence.${kind}`) as MessageKey);
