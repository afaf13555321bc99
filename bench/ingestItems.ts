import fs from 'node:fs';
import path from 'node:path';
import { demoPosts } from '../server/demo/mentions.ts';
import type { CollectedItem } from '../workers/collectors/types.ts';
import { IN_PLACE_BELOW } from '../workers/labelThreads.ts';

// The items bench/ingest.ts feeds the pipeline: the demo board's schools, queries, fact sheets and
// policy with 3 × SOURCES rss sources and WARM_SOURCES × 3 more for the worker processes' warm-up;
// demo posts with variations, some about namesakes, some
// stories carried by several sources (the same link, or the same words), the demo's risky posts.

export const SOURCES = 50;
// A worker process stores this many whole sources of its own before it is timed (bench/ingestLane.ts).
// After five, V8 still spent ~5 s compiling in the timed ~10 s (--trace-opt); after fifteen, ~2 s.
export const WARM_SOURCES = 20;
export const ITEMS = 200;
export const NOW = new Date('2026-03-10T10:00:00Z');

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = rng(18);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const ASIDES = [
  'Wie weet hier meer van?',
  'Ben benieuwd wat de school hierover zegt.',
  'Gisteren op het schoolplein hoorde ik het ook al.',
  'Volgende week is er een ouderavond over.',
  'Zie ook het bericht in de nieuwsbrief.',
  'Mijn dochter zit in groep 5.',
  'Lees het hele verhaal op de site.',
  'Reacties staan hieronder.',
];
// Makes each post's text its own (the same words would be copies of one story). Letters without
// vowels, not "(12.34)": that reads as a time of day to the fact check, and a digit in every post puts
// every post through the personal-data patterns, where the demo's own posts carry one in 21 of 53.
const tag = (source: number, i: number) => `${source}-${i}`.replace(/\d/g, (d) => 'qxzvwkjfgh'[Number(d)]);
// Stories that several sources carry: the same link, or the same words under another link.
const STORIES = Array.from({ length: 40 }, (_, k) => ({ post: demoPosts[k % demoPosts.length], k }));

// Each source's items are the same whichever process makes them.
export function items(source: number): CollectedItem[] {
  rand = rng(18 + source);
  return Array.from({ length: ITEMS }, (_, i) => {
    const publishedAt = new Date(NOW.getTime() - Math.floor(rand() * 48 * 3_600_000));
    const base = { externalId: `s${source}-i${i}`, author: pick(demoPosts).author, publishedAt };
    if (rand() < 0.1) {
      const { post, k } = pick(STORIES);
      const sameLink = rand() < 0.5;
      return {
        ...base,
        url: sameLink
          ? `https://nieuws.example/artikel/${k}?utm_source=bron${source}`
          : `https://bron${source}.example/${i}`,
        title: post.title,
        text: post.text,
      };
    }
    const post = pick(demoPosts);
    return {
      ...base,
      url: `https://bron${source}.example/p/${i}`,
      title: post.title,
      text: `${post.text} ${pick(ASIDES)} (${tag(source, i)})`,
      handle: rand() < 0.3 ? `@${post.author.replace(/\W+/g, '').toLowerCase() || 'iemand'}@social.example` : null,
      engagement: rand() < 0.3 ? { likes: Math.floor(rand() * 50), replies: Math.floor(rand() * 10) } : undefined,
    };
  });
}

export const boardFile = () => {
  const demo = fs.readFileSync(path.join(import.meta.dirname, '../server/demo/board.yaml'), 'utf8');
  const sources = Array.from(
    { length: SOURCES * 3 + WARM_SOURCES * 3 },
    (_, s) => `  - { kind: rss, url: "https://bron${s}.example/rss", name: Bron ${s} }`,
  );
  return `${demo.slice(0, demo.indexOf('\nsources:'))}\nsources:\n${sources.join('\n')}\n`;
};

// Items stored before the timing starts (their ids begin with `prefix`): enough that they are
// labelled on the classification threads, so those are started and warm too.
export const warmUp = (from: CollectedItem[], prefix: string): CollectedItem[] =>
  from.slice(0, IN_PLACE_BELOW * 2).map((item, i) => ({ ...item, externalId: `${prefix}-${i}` }));
