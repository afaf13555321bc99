import stemmer from 'natural/lib/natural/stemmers/porter_stemmer_nl.js';
import stopwordsNl from 'natural/lib/natural/util/stopwords_nl.js';
import { fold, readWeights } from '../classify/text.ts';
import type { Risk } from '../classify/types.ts';
import type { Action, ActionType } from '../policy/types.ts';

// Which mentions are one discussion, as pure functions: the pipeline stores, this decides.
// Related mentions share a case, so staff get one prompt per discussion, not one per post.

const nl = stemmer as { stem: (w: string) => string };
// natural's Dutch stemmer keeps one flag across calls: until a word has lost a final -e, it leaves
// "-bar" on ("kantinebar"), after that it takes it off. One such word first, so every word is stemmed
// as it is from then on, and the same word always the same way.
nl.stem('lange');
// A board's posts reuse the same words: each word is stemmed once (the memo starts over past 50,000
// words, so it stays small).
const stems = new Map<string, string>();
const stem = (w: string) => {
  let s = stems.get(w);
  if (s === undefined) {
    if (stems.size >= 50_000) stems.clear();
    stems.set(w, (s = nl.stem(w)));
  }
  return s;
};
// Feeling words ("slecht geregeld", "geweldig") say how a post feels, not what it is about: two angry
// posts about different things are two discussions. They come from the classifier's lexicons.
// A word our own list weighs 0 ("ouderbijdrage", "kamp") is a topic, whatever lupje says.
export const FEELING = (() => {
  const own = readWeights('sentiment-nl.tsv');
  const out = new Set([...own].filter(([, w]) => w !== 0).map(([k]) => k));
  for (const f of ['lupje.tsv', 'lupje-review.tsv', 'sentiment-en.tsv'])
    for (const [k, w] of readWeights(f)) if (Math.abs(w) >= 3 && !own.has(k)) out.add(k);
  for (const k of readWeights('intensifiers.tsv').keys()) out.add(k);
  return out;
})();

// Words every post about a school shares, which say nothing about what the discussion is about.
export const GENERIC = new Set([
  ...(stopwordsNl as { words: string[] }).words,
  ...'school scholen basisschool obs kind kinderen ouder ouders leerling leerlingen juf juffen meester meesters leraar leraren docent klas groep week jaar dag vandaag gisteren morgen echt gewoon weer alweer heel erg iemand niemand iedereen iets niets wel niet geen meer zeer toch even eens allemaal zijn hebben worden kunnen moeten willen gaan komen zeggen weten vinden denk vind hoor hoorde hoe wat waar wanneer waarom'.split(
    ' ',
  ),
]);

// Folded word stems that carry the topic, without the school's own names (every post about the
// school has those). At most 24, longest words first: Dutch compounds ("ouderbijdrage",
// "lesuitval") say the most.
// Personal data (names, addresses) never becomes a topic word: its spans are blanked first.
export function topicWords(
  text: string,
  schoolNames: string[] = [],
  risks: Pick<Risk, 'type' | 'evidence'>[] = [],
): string[] {
  const own = new Set(schoolNames.flatMap((n) => fold(n).split(/[^\p{L}\p{N}]+/u)).filter(Boolean));
  let plain = text;
  for (const e of risks.filter((r) => r.type === 'personal_data').flatMap((r) => r.evidence))
    plain = plain.slice(0, e.start) + ' '.repeat(e.end - e.start) + plain.slice(e.end);
  // Punctuation off before folding, which would read "Gevaarlijk!" as a spelling game.
  const words = fold(plain.replace(/https?:\/\/\S+/g, ' ').replace(/[^\p{L}\s]+/gu, ' '))
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 4 && !GENERIC.has(w) && !FEELING.has(w) && !own.has(w));
  const stems = [...new Set(words.map((w) => stem(w)))].filter((s) => s.length >= 4);
  return stems.sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, 24);
}

// Same topic: two shared stems, or one long one (a compound names a topic on its own).
export function sameTopic(a: string[], b: string[]): boolean {
  const shared = a.filter((w) => b.includes(w));
  return shared.length >= 2 || shared.some((w) => w.length >= 9);
}

// Keys that tie a post to its thread and story: a reply joins the case of the post it answers.
export function threadKeys(m: {
  externalId: string;
  threadId?: string | null;
  replyTo?: string | null;
  storyId?: string | null;
  id: string;
}): string[] {
  const keys = [`m:${m.externalId}`, `s:${m.storyId ?? m.id}`];
  if (m.threadId) keys.push(`t:${m.threadId}`, `m:${m.threadId}`);
  if (m.replyTo) keys.push(`m:${m.replyTo}`);
  return [...new Set(keys)];
}

const GOOD_NEWS: readonly ActionType[] = ['amplify', 'check_consent', 'monitor'];
export type CaseKind = 'concern' | 'good_news';

// Nothing to track when the protocol asks nothing; good news is its own kind of case.
export function caseKind(actions: Pick<Action, 'type'>[]): CaseKind | undefined {
  if (!actions.some((a) => a.type !== 'monitor')) return undefined;
  return actions.some((a) => !GOOD_NEWS.includes(a.type)) ? 'concern' : 'good_news';
}

const RANK = { low: 0, medium: 1, high: 2 } as const;
export type Severity = keyof typeof RANK;
export const maxSeverity = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);

// How urgent a case is: a criminal threat, the Meldcode or sensitive personal data is high.
export function severityOf(risks: Pick<Risk, 'severity'>[], actions: Pick<Action, 'type'>[]): Severity {
  let s: Severity = risks.reduce<Severity>((acc, r) => maxSeverity(acc, r.severity), 'low');
  if (actions.some((a) => a.type === 'report_police' || a.type === 'meldcode' || a.type === 'notify_inspector'))
    s = 'high';
  else if (actions.some((a) => a.type === 'escalate' || a.type === 'remove_personal_data'))
    s = maxSeverity(s, 'medium');
  return s;
}
