// Which words and phrases characterise a period's negative (or positive) posts: pure scoring of the
// rollup's term counts (server/db/stats/themes.ts) against the school's own baseline before.

// Themes of a period against the school's own baseline: terms said clearly more often per day now
// than in the weeks before (a smoothed ratio of rates; shares of a handful of posts would say little),
// seen in at least `minPosts` posts. A phrase hides the single words it
// is made of when it is as frequent.
export function distinctive(
  now: { term: string; label: string; mentions: number }[],
  before: Map<string, number>,
  days: { now: number; before: number },
  opts: { minPosts?: number; limit?: number } = {},
): { term: string; label: string; mentions: number; before: number; lift: number }[] {
  const minPosts = opts.minPosts ?? 2;
  const scored = now
    .filter((t) => t.mentions >= minPosts)
    .map((t) => {
      const b = before.get(t.term) ?? 0;
      const lift = (t.mentions + 0.5) / days.now / ((b + 0.5) / days.before);
      return { ...t, before: b, lift: Number(lift.toFixed(2)) };
    })
    .filter((t) => t.lift >= 1.5);
  const phrases = scored.filter((t) => t.term.includes(' '));
  const kept = scored.filter(
    (t) => t.term.includes(' ') || !phrases.some((p) => p.term.split(' ').includes(t.term) && p.mentions >= t.mentions),
  );
  return kept
    .sort(
      (a, b) =>
        b.mentions * Math.log2(1 + b.lift) - a.mentions * Math.log2(1 + a.lift) || a.label.localeCompare(b.label),
    )
    .slice(0, opts.limit ?? 12);
}
