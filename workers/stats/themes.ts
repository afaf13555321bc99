import stemmer from 'natural/lib/natural/stemmers/porter_stemmer_nl.js';
import { fold, readWeights } from '../classify/text.ts';
import { GENERIC } from '../cases/discussion.ts';

// What a post is about, for the directors' themes: Dutch word stems ("invallers" and "invaller" are
// one theme) and two-word phrases from one sentence ("gratis schoolreis"), each with a form as it was
// written to show. Pure. Feeling words say how, not what; the school's own names say nothing; and
// names of people are left out: a capitalised word inside a sentence is taken for a name, and the
// text given here is the masked search text, where personal data is already blanked.

const nl = stemmer as { stem: (w: string) => string };
const MIN_LENGTH = 4;
// Feeling words from the general lexicons (lupje: "geweldig", "slecht") and the strongest of our own;
// our own list also weighs topics ("lesuitval" −3), and those are exactly the themes a director wants.
const FEELING = (() => {
  const out = new Set<string>();
  for (const f of ['lupje.tsv', 'lupje-review.tsv', 'sentiment-en.tsv'])
    for (const [k, w] of readWeights(f)) if (Math.abs(w) >= 2) out.add(k);
  for (const [k, w] of readWeights('sentiment-nl.tsv')) if (Math.abs(w) >= 4) out.add(k);
  for (const k of readWeights('intensifiers.tsv').keys()) out.add(k);
  return out;
})();
const VERBS = new Set(
  'werk eerste tweede derde vierde maand maanden keer keren nieuws geregeld gedaan gemaakt gezegd gehoord gezien gekregen gekomen gegaan zegt zeggen gaat gaan komt komen doet doen krijgt krijgen staat staan wordt worden heeft hebben moet moeten kunnen zouden willen laten maakt maken zien ziet vindt vinden weten denken blijft blijven'.split(
    ' ',
  ),
);

export type Terms = Map<string, string>; // stem or "stem stem" → label

export function themeTerms(text: string, schoolNames: string[] = []): Terms {
  const own = new Set(schoolNames.flatMap((n) => fold(n).split(/[^\p{L}\p{N}]+/u)).filter(Boolean));
  const out: Terms = new Map();
  const sentences = text.replace(/https?:\/\/\S+/g, ' ').split(/[.!?\n]+|\s[-–—]\s/u);
  for (const sentence of sentences) {
    const raw = sentence.split(/[^\p{L}\p{N}'’]+/u).filter(Boolean);
    let prev: { stem: string; label: string } | null = null;
    raw.forEach((w, i) => {
      const word = w.replace(/['’]/g, '');
      const folded = fold(word);
      const name = i > 0 && /^\p{Lu}/u.test(word) && !/^\p{Lu}+$/u.test(word);
      const keep =
        /^\p{L}+$/u.test(word) &&
        folded.length >= MIN_LENGTH &&
        !name &&
        !GENERIC.has(folded) &&
        !VERBS.has(folded) &&
        !FEELING.has(folded) &&
        !own.has(folded);
      if (!keep) {
        prev = null;
        return;
      }
      const s = nl.stem(folded);
      if (s.length < MIN_LENGTH) {
        prev = null;
        return;
      }
      const label = word.toLowerCase();
      if (!out.has(s)) out.set(s, label);
      if (prev && prev.stem !== s) {
        const key = `${prev.stem} ${s}`;
        if (!out.has(key)) out.set(key, `${prev.label} ${label}`);
      }
      prev = { stem: s, label };
    });
  }
  return out;
}

// Counts per term over posts (each post once), with the label most often written.
export function countTerms(posts: Terms[]): { term: string; label: string; mentions: number }[] {
  const counts = new Map<string, { n: number; labels: Map<string, number> }>();
  for (const p of posts)
    for (const [term, label] of p) {
      const c = counts.get(term) ?? { n: 0, labels: new Map() };
      c.n++;
      c.labels.set(label, (c.labels.get(label) ?? 0) + 1);
      counts.set(term, c);
    }
  return [...counts].map(([term, c]) => ({
    term,
    label: [...c.labels].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0],
    mentions: c.n,
  }));
}
