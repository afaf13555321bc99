import { fold } from '../classify/text.ts';
import { PhraseSet } from '../classify/phrases.ts';
import type { Classification, Evidence, Risk } from '../classify/types.ts';
import { guidanceText, type Action, type Preset, type Rule, type When } from './types.ts';

export type Situation = {
  labels: Pick<Classification, 'sentiment' | 'risks'>;
  text?: string;
  // spans of `text` the lists mask as personal data beyond the labels' own (a field's own finds,
  // workers/labelling.ts masksOf): no talking point quotes them either
  masked?: { start: number; end: number }[];
  sourceKind?: string;
  hasMedia?: boolean;
  now?: Date; // due dates count from here
};

const SEVERITY = { low: 0, medium: 1, high: 2 } as const;
// A rule's phrase list compiled once per wording, not per copy of the rules: a preset read again (in a
// transaction, which misses server/db/policy.ts's cache) or sent to a classification thread is a new
// object with the same words, and every PhraseSet stays in the shared phrase index for good — compiled
// per copy, the index grew with every batch and each post took longer to label.
// Looked up by the list itself first: joining a long list for its key, for each rule of each post, cost
// more than the test.
const phraseSets = new Map<string, PhraseSet>();
const byList = new WeakMap<string[], PhraseSet>();
const phrases = (words: string[]) => {
  let set = byList.get(words);
  if (set) return set;
  const key = words.join('\n');
  set = phraseSets.get(key);
  if (!set) phraseSets.set(key, (set = new PhraseSet(words)));
  byList.set(words, set);
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

// Talking points for a conversation: the sentences of the post that carried the feeling, and the
// claims the risks quote — each a whole sentence (or a phrase cut at words when a sentence is long),
// never words taken from different sentences, never a sentence with personal data in it.
const MAX_POINT = 160;

function sentenceAround(text: string, e: Evidence): string | null {
  const inside = text.slice(e.start, e.end);
  if (/[.!?](\s|$)|\n/.test(inside.trimEnd())) return null; // spans two sentences (or title and body)
  let from = e.start;
  while (from > 0 && !/[.!?\n]/.test(text[from - 1]!)) from--;
  let to = e.end;
  while (to < text.length && !/[.!?\n]/.test(text[to]!)) to++;
  if (to < text.length && text[to] !== '\n') to++; // keep the sentence's own full stop
  let sentence = text.slice(from, to).trim();
  if (sentence.length > MAX_POINT) {
    // the words around the evidence, cut at word boundaries
    const left = Math.max(from, e.start - 60);
    const right = Math.min(to, e.end + 60);
    const a = left > from ? text.indexOf(' ', left) + 1 || left : from;
    const b = right < to ? text.lastIndexOf(' ', right) : to;
    sentence = `${a > from ? '…' : ''}${text.slice(a, Math.max(b, e.end)).trim()}${b < to ? '…' : ''}`;
  }
  return sentence.length >= 8 ? sentence : null;
}

function pointsOf(
  labels: Situation['labels'],
  type: Action['type'],
  text: string | undefined,
  masked: Situation['masked'] = [],
): string[] | undefined {
  if ((type !== 'real_life' && type !== 'amplify') || !text) return undefined;
  const personal = [...labels.risks.filter((r) => r.type === 'personal_data').flatMap((r) => r.evidence), ...masked];
  const wanted = type === 'amplify' ? (w: number) => w > 0 : (w: number) => w < 0;
  // Claims first (what a conversation must set right), then the lexicon's feeling words — not the
  // words a learned model leaned on.
  const evidence = [
    ...(type === 'real_life' ? labels.risks.filter((r) => r.type === 'inaccuracy').flatMap((r) => r.evidence) : []),
    ...(labels.sentiment.evidence ?? []).filter((e) => e.weight !== undefined && e.by !== 'model' && wanted(e.weight)),
  ];
  const out: string[] = [];
  for (const e of evidence) {
    const sentence = sentenceAround(text, e);
    if (!sentence || out.includes(sentence)) continue;
    const at = text.indexOf(sentence.replace(/^…|…$/g, ''));
    const end = at + sentence.length;
    if (personal.some((p) => at >= 0 && p.start < end && at < p.end)) continue;
    out.push(sentence);
    if (out.length === 3) break;
  }
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
      const points = pointsOf(s.labels, a.type, s.text, s.masked);
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
