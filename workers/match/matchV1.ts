import { foldText } from '../normalise.ts';

// Matching v1: a post is about a school when it names the school or one of its aliases, on word
// boundaries, ignoring case and accents. The query language replaces this in a later version.

export type SchoolTerms = { id: string; name: string; aliases: readonly string[] };
export type Match = { schoolId: string; matched: string[] };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type Matcher = (text: string) => Match[];

export function compileMatcher(schools: readonly SchoolTerms[]): Matcher {
  const compiled = schools.map((s) => {
    const terms = [...new Set([s.name, ...s.aliases].map((t) => t.trim()).filter(Boolean))];
    return {
      id: s.id,
      patterns: terms.map((t) => ({
        term: t,
        // \p{L}\p{N} boundaries instead of \b, which treats "ë" as a boundary
        re: new RegExp(`(?<![\\p{L}\\p{N}_#@])${escape(foldText(t))}(?![\\p{L}\\p{N}_])`, 'u'),
      })),
    };
  });
  return (text) => {
    const folded = foldText(text);
    const out: Match[] = [];
    for (const s of compiled) {
      const matched = s.patterns.filter((p) => p.re.test(folded)).map((p) => p.term);
      if (matched.length) out.push({ schoolId: s.id, matched });
    }
    return out;
  };
}
