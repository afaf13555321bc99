import { fold, PhraseSet } from '../classify/text.ts';
import type { Classification, Evidence, Risk } from '../classify/types.ts';
import { guidanceText, type Action, type Preset, type Rule, type When } from './types.ts';

export type Situation = {
  labels: Pick<Classification, 'sentiment' | 'risks'>;
  text?: string;
  sourceKind?: string;
  hasMedia?: boolean;
  now?: Date; // due dates count from here
};

const SEVERITY = { low: 0, medium: 1, high: 2 } as const;
const phraseSets = new WeakMap<string[], PhraseSet>();
const phrases = (words: string[]) => {
  let set = phraseSets.get(words);
  if (!set) phraseSets.set(words, (set = new PhraseSet(words)));
  return set;
};

function applies(w: When, s: Situation, folded: string): boolean {
  const risks = s.labels.risks;
  const named = w.risks ? risks.filter((r) => w.risks!.includes(r.type)) : risks;
  const checks: boolean[] = [];
  if (w.sentiment) checks.push(w.sentiment.includes(s.labels.sentiment.label));
  if (w.risks) checks.push(named.length > 0);
  if (w.notRisks) checks.push(!risks.some((r) => w.notRisks!.includes(r.type)));
  if (w.noRisks !== undefined) checks.push(w.noRisks === (risks.length === 0));
  if (w.minSeverity) checks.push(named.some((r) => SEVERITY[r.severity] >= SEVERITY[w.minSeverity!]));
  if (w.subtypes) checks.push(named.some((r) => !!r.subtype && w.subtypes!.includes(r.subtype)));
  if (w.media !== undefined) checks.push(w.media === !!s.hasMedia);
  if (w.sources) checks.push(!!s.sourceKind && w.sources.includes(s.sourceKind));
  if (w.words) checks.push(!!folded && phrases(w.words).test(folded));
  if (w.notWords) checks.push(!folded || !phrases(w.notWords).test(folded));
  return checks.length > 0 && checks.every(Boolean);
}

// Talking points for a conversation: the words that carried the feeling, and what the risks quote —
// never a span that is personal data.
function pointsOf(labels: Situation['labels'], type: Action['type']): string[] | undefined {
  if (type !== 'real_life' && type !== 'amplify') return undefined;
  const personal = labels.risks.filter((r) => r.type === 'personal_data').flatMap((r) => r.evidence);
  const clean = (e: Evidence) => !personal.some((p) => p.start < e.end && e.start < p.end);
  const wanted = type === 'amplify' ? (w: number) => w > 0 : (w: number) => w < 0;
  // The lexicon's feeling words, not the words a learned model leaned on.
  const words = (labels.sentiment.evidence ?? [])
    .filter((e) => e.weight !== undefined && e.by !== 'model' && wanted(e.weight) && clean(e))
    .map((e) => e.text.toLowerCase());
  const claims =
    type === 'real_life'
      ? labels.risks
          .filter((r) => r.type === 'inaccuracy')
          .flatMap((r) => r.evidence.filter(clean).map((e) => e.text.toLowerCase()))
      : [];
  const all = [...new Set([...claims, ...words])];
  // "vieze heks" says what "vieze" and "heks" say
  const out = all.filter((p) => !all.some((q) => q !== p && q.includes(p))).slice(0, 6);
  return out.length ? out : undefined;
}

const factsOf = (risks: Risk[]) => [
  ...new Set(risks.flatMap((r) => r.evidence.map((e) => e.fact).filter((f): f is string => !!f))),
];

// One engine for every preset: the rules that apply, in file order; each action type once, from
// the first rule that gives it (so a preset lists its most specific rules first); `monitor` only
// when nothing else applies; no `amplify` beside `check_consent`.
export function decide(preset: Preset, s: Situation): Action[] {
  const folded = s.text ? fold(s.text) : '';
  const now = s.now ?? new Date();
  const out: Action[] = [];
  for (const rule of preset.rules as Rule[]) {
    if (!applies(rule.when, s, folded)) continue;
    for (const a of rule.actions) {
      if (out.some((o) => o.type === a.type)) continue;
      const facts = a.type === 'correct_online' ? factsOf(s.labels.risks) : [];
      const points = pointsOf(s.labels, a.type);
      out.push({
        type: a.type,
        article: rule.article ?? '',
        basis: rule.basis,
        roles: a.roles,
        due: new Date(now.getTime() + a.dueDays * 86_400_000).toISOString(),
        dueDays: a.dueDays,
        guidance: guidanceText(a.guidance),
        parts: a.guidance,
        rule: rule.id,
        ...(points ? { points } : {}),
        ...(facts.length ? { facts } : {}),
      });
    }
  }
  // Never a prompt to share a post whose consent for its images is still to be checked; "nothing to
  // do" only where there is nothing else to do.
  const consent = out.some((a) => a.type === 'check_consent');
  const kept = consent ? out.filter((a) => a.type !== 'amplify') : out;
  return kept.length > 1 ? kept.filter((a) => a.type !== 'monitor') : kept;
}
