// `npm run train`: fits the sentiment model (workers/classify/model.ts) on the train and dev splits of
// the corpora (never the test split or the blind set) and writes workers/classify/model/sentiment.json.
// Deterministic: a fixed order, a seeded shuffle, plain gradient descent with L2.
// `npm run train -- --dev` fits on train only and reports dev macro-F1 per setting, to choose them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { sentimentFeatures } from '../workers/classify/index.ts';
import { fitRisks } from './riskTrain.ts';
import { LABELS, scores, type Feature, type Model } from '../workers/classify/model.ts';
import { sentimentScores, tuning, type Labelled } from './corpus.ts';

type Example = { fs: Feature[]; y: number };
const toExample = (x: Labelled): Example => ({
  fs: sentimentFeatures(x.text, { facts: x.facts }),
  y: LABELS.indexOf(x.sentiment as never),
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export function fit(data: Example[], opts: { epochs: number; rate: number; l2: number; minCount: number }): Model {
  const counts = new Map<string, number>();
  for (const d of data) for (const f of new Set(d.fs.map((f) => f.name))) counts.set(f, (counts.get(f) ?? 0) + 1);
  const keep = (n: string) => n.startsWith('r:') || (counts.get(n) ?? 0) >= opts.minCount;
  const weights: Record<string, number[]> = {};
  const bias = [0, 0, 0];
  const random = rng(20261130);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = opts.rate / (1 + epoch * 0.1);
    for (const idx of order) {
      const d = data[idx]!;
      const fs = d.fs.filter((f) => keep(f.name));
      const p = scores({ labels: LABELS, bias, weights, version: '', index: new Map(Object.entries(weights)) }, fs);
      for (let k = 0; k < 3; k++) {
        const g = p[k]! - (k === d.y ? 1 : 0);
        bias[k]! -= rate * g;
        for (const f of fs) {
          const w = (weights[f.name] ??= [0, 0, 0]);
          w[k]! -= rate * (g * f.value + opts.l2 * w[k]!);
        }
      }
    }
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const pruned: Record<string, number[]> = {};
  for (const name of Object.keys(weights).sort()) {
    const w = weights[name]!.map(round);
    if (w.some((v) => Math.abs(v) >= 0.01)) pruned[name] = w;
  }
  return { labels: LABELS, bias: bias.map(round), weights: pruned, version: 'sentiment-1' };
}

const predict = (m: Model, d: Example) => {
  const p = scores(m, d.fs);
  return LABELS[p.indexOf(Math.max(...p))]!;
};

if (process.argv.includes('--dev')) {
  const train = tuning('train').map(toExample);
  const devItems = tuning('dev');
  const dev = devItems.map(toExample);
  for (const epochs of [10, 20])
    for (const rate of [0.05])
      for (const l2 of [0.002, 0.005])
        for (const minCount of [2, 3]) {
          const m = fit(train, { epochs, rate, l2, minCount });
          const s = sentimentScores(
            devItems.map((x) => x.sentiment),
            dev.map((d) => predict(m, d)),
          );
          console.log(
            JSON.stringify({
              epochs,
              rate,
              l2,
              minCount,
              features: Object.keys(m.weights).length,
              dev: s.macroF1,
              acc: s.accuracy,
            }),
          );
        }
} else {
  // The risk model first: the sentiment model sees the risk types found, the model's included.
  mkdirSync(new URL('../workers/classify/model/', import.meta.url), { recursive: true });
  const risks = fitRisks(tuning('traindev'));
  writeFileSync(new URL('../workers/classify/model/risks.json', import.meta.url), JSON.stringify(risks) + '\n');
  console.log(`risk model: ${Object.keys(risks.weights).length} features for ${risks.risks.join(', ')}`);
  const all = tuning('traindev').map(toExample);
  const m = fit(all, { epochs: 10, rate: 0.05, l2: 0.005, minCount: 2 });
  writeFileSync(new URL('../workers/classify/model/sentiment.json', import.meta.url), JSON.stringify(m) + '\n');
  console.log(
    `sentiment model: ${Object.keys(m.weights).length} features, trained on ${all.length} mentions (train + dev)`,
  );
}
