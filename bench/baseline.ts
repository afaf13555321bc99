// `node --import tsx bench/baseline.ts <checkout>`: measures an earlier classifier on today's sets and
// functional suite, for `npm run bench` to show side by side (bench/baseline-v2.3.json). The checkout is
// the older commit, e.g. `git worktree add /tmp/v23 78b5205 && ln -s "$PWD/node_modules" /tmp/v23/`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BLIND, evaluate, loadSet, type Labelled } from './corpus.ts';
import { functionalScores } from './functional.ts';
import type { Classification } from '../workers/classify/types.ts';

const dir = process.argv[2];
if (!dir || !existsSync(resolve(dir, 'workers/classify/index.ts'))) {
  console.error(
    'Geef de map van een oudere checkout, met workers/classify/index.ts (bijv. git worktree add /tmp/v23 78b5205).',
  );
  process.exit(2);
}
const mod = (await import(pathToFileURL(resolve(dir, 'workers/classify/index.ts')).href)) as {
  classify: (t: string, o: object) => Classification;
  CLASSIFIER?: string;
};
const version =
  mod.CLASSIFIER ??
  readFileSync(resolve(dir, 'workers/classify/index.ts'), 'utf8').match(/CLASSIFIER = '([^']+)'/)?.[1] ??
  'unknown';
const run = (x: Labelled) => mod.classify(x.text, { facts: x.facts });
const figures = (e: ReturnType<typeof evaluate>) => ({
  n: e.results.length,
  sentiment: { accuracy: e.sentiment.accuracy, macroF1: e.sentiment.macroF1 },
  risks: Object.fromEntries(
    Object.entries(e.risks).map(([k, v]) => [
      k,
      { precision: v.precision, recall: v.recall, f1: v.f1, support: v.support, fp: v.fp },
    ]),
  ),
  personalData: Object.fromEntries(
    Object.entries(e.personalData).map(([k, v]) => [
      k,
      { precision: v.precision, recall: v.recall, f1: v.f1, support: v.support, fp: v.fp },
    ]),
  ),
});
const out = {
  classifier: version,
  note: `Classifier ${version} measured on the same sets (current labels) and functional suite as today's classifier, by bench/baseline.ts.`,
  coreTest: figures(
    evaluate(
      loadSet('core').filter((x) => x.split === 'test'),
      run,
    ),
  ),
  blind: figures(evaluate(loadSet(BLIND), run)),
  functional: Object.fromEntries(
    functionalScores((c) => mod.classify(c.text, { facts: c.facts })).scores.map((s) => [s.id, s.rate]),
  ),
};
const file = new URL(`./baseline-${version}.json`, import.meta.url);
writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
console.log(
  `${file.pathname}: ${version}, kern-test n=${out.coreTest.n}, blind n=${out.blind.n}, ${Object.keys(out.functional).length} functionaliteiten`,
);
