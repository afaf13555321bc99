import type { PolicyForm } from './api.ts';
import { t } from './i18n.svelte.ts';
import type { MessageKey } from './messages/nl.ts';

// When a rule applies, in words: "sentiment Negatief · risico Bedreiging". The phrase patterns of a
// words-rule are shown on request; they are the protocol's, not something staff edit.
type When = PolicyForm['rules'][number]['when'];

const list = (xs: string[], key: (x: string) => string) =>
  xs.map((x) => t(key(x) as MessageKey).toLowerCase()).join(t('policy.when.or'));

export function describeWhen(w: When): string {
  const parts: string[] = [];
  if (w.sentiment) parts.push(t('policy.when.sentiment', { list: list(w.sentiment, (s) => `sentiment.${s}`) }));
  if (w.risks) parts.push(t('policy.when.risks', { list: list(w.risks, (r) => `risk.${r}`) }));
  if (w.notRisks) parts.push(t('policy.when.notRisks', { list: list(w.notRisks, (r) => `risk.${r}`) }));
  if (w.noRisks === true) parts.push(t('policy.when.noRisks'));
  if (w.minSeverity)
    parts.push(t('policy.when.minSeverity', { level: t(`risk.severity.${w.minSeverity}` as MessageKey) }));
  if (w.subtypes) parts.push(t('policy.when.subtypes', { list: w.subtypes.join(t('policy.when.or')) }));
  if (w.media !== undefined) parts.push(t(w.media ? 'policy.when.media' : 'policy.when.noMedia'));
  if (w.sources) parts.push(t('policy.when.sources', { list: w.sources.join(t('policy.when.or')) }));
  if (w.words) parts.push(t('policy.rule.words'));
  return parts.join(' · ');
}

export const dueText = (days: number) => (days === 0 ? t('policy.action.today') : t('policy.action.days', { n: days }));
