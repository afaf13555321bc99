import { fold, readList } from './text.ts';

// Shared readers for the word lists in lexicon/: "kind<TAB>a|b|c" files become a word → kinds map.

export function kindsFile(name: string): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const line of readList(name)) {
    const [kind, list] = line.split('\t');
    if (!kind || !list) continue;
    for (const w of list.split('|')) {
      const word = fold(w.trim());
      if (!word) continue;
      const set = map.get(word) ?? new Set<string>();
      set.add(kind.trim());
      map.set(word, set);
    }
  }
  return map;
}

// Phrases are matched on folded text, so they lose their accents too ("öldüreceğim").
const plain = (p: string) => p.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

// "kind<TAB>phrase" files, grouped by kind.
export function phrasesByKind(name: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of readList(name)) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const kind = line.slice(0, tab).trim();
    map.set(kind, [...(map.get(kind) ?? []), plain(line.slice(tab + 1).trim())]);
  }
  return map;
}

// Words a writer left a letter out of or put one too many in ("vrmoorden", "neersteeken"): the
// single deletions of every listed word point back to it. Words under seven letters are never guessed.
export class NearWords {
  private readonly exact = new Set<string>();
  private readonly deletes = new Map<string, string>();
  constructor(words: Iterable<string>) {
    for (const w of words) {
      this.exact.add(w);
      if (w.length < 6 || w.includes(' ')) continue;
      for (let i = 0; i < w.length; i++) {
        const d = w.slice(0, i) + w.slice(i + 1);
        if (!this.deletes.has(d)) this.deletes.set(d, w);
      }
    }
  }
  find(word: string): string | undefined {
    if (this.exact.has(word)) return word;
    if (word.length < 6 || word.length > 24) return undefined;
    const missing = this.deletes.get(word); // a letter left out
    if (missing && missing.length >= 7) return missing;
    // A letter too many; a wrong letter is not guessed ("opvang" is no "ophang").
    for (let i = 0; i < word.length; i++) {
      const d = word.slice(0, i) + word.slice(i + 1);
      if (d.length >= 7 && this.exact.has(d)) return d;
    }
    return undefined;
  }
}
