// `node --import tsx bench/crosswriter.ts <checkout>`: the check behind the risk model's thresholds
// (bench/riskTrain.ts), repeatable. The model is trained on core (train + dev) and extra only and
// measured on blind1 — written by another helper session — together with the rules of <checkout>, the
// commit measured on blind1 before it was used for tuning (2677465:
// `git worktree add /tmp/v30rc 2677465 && ln -s "$PWD/node_modules" /tmp/v30rc/`). It never reads blind2.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readDoc } from '../workers/classify/doc.ts';
import { modelRisks } from '../workers/classify/riskModel.ts';
import { fold } from '../workers/classify/text.ts';
import type { Classification } from '../workers/classify/types.ts';
import { loadSet, predictedRisks } from './corpus.ts';
import { fitRisks, RISK_THRESHOLDS } from './riskTrain.ts';

const dir = process.argv[2];
if (!dir || !existsSync(resolve(dir, 'workers/classify/index.ts'))) {
  console.error(
    'Geef de map van de checkout met de regels van vóór blind1 (bijv. git worktree add /tmp/v30rc 2677465).',
  );
  process.exit(2);
}
const old = (await import(pathToFileURL(resolve(dir, 'workers/classify/index.ts')).href)) as {
  classify: (t: string, o: object) => Classification;
};
const model = fitRisks([...loadSet('core').filter((x) => x.split !== 'test'), ...loadSet('extra')]);
const test = loadSet('blind1');
const rules = test.map((x) => predictedRisks(old.classify(x.text, { facts: x.facts })));
const docs = test.map((x) => readDoc(x.text, fold(x.text)));
const pr = (tp: number, fp: number, fn: number) =>
  `P ${(tp / Math.max(1, tp + fp)).toFixed(2)} R ${(tp / Math.max(1, tp + fn)).toFixed(2)}`;
console.log(
  `Risicomodel getraind op core + extra (${Object.keys(model.weights).length} kenmerken), gemeten op blind1 (n=${test.length}) samen met de regels van ${dir}`,
);
model.risks.forEach((risk, k) => {
  for (const threshold of [0.5, 0.7, 0.85]) {
    const m = {
      ...model,
      thresholds: model.thresholds.map((t, j) => (j === k ? threshold : 2)),
      index: new Map(Object.entries(model.weights)),
    };
    const c = { rules: [0, 0, 0], union: [0, 0, 0] };
    test.forEach((x, i) => {
      const gold = x.risks.includes(risk);
      const r = rules[i]!.includes(risk);
      const u = r || modelRisks(docs[i]!, (t) => t === risk, m).length > 0;
      for (const [key, p] of [
        ['rules', r],
        ['union', u],
      ] as const) {
        if (p && gold) c[key][0]!++;
        else if (p) c[key][1]!++;
        else if (gold) c[key][2]!++;
      }
    });
    console.log(
      `  ${risk.padEnd(15)} drempel ${threshold.toFixed(2)}${threshold === RISK_THRESHOLDS[risk] ? ' (gekozen)' : '           '}  regels ${pr(c.rules[0]!, c.rules[1]!, c.rules[2]!)}  regels + model ${pr(c.union[0]!, c.union[1]!, c.union[2]!)}`,
    );
  }
});
