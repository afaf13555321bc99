import { readDoc } from '../workers/classify/doc.ts';
import { MODEL_RISKS, riskFeatures, type RiskModel } from '../workers/classify/riskModel.ts';
import { fold } from '../workers/classify/text.ts';
import type { Labelled } from './corpus.ts';

// Risk types: one logistic regression each over the same words, positives weighted up to half the
// negatives, fitted in corpus order (deterministic). Thresholds from a cross-writer check: trained on
// core and extra, measured on blind1 (another writer), as README "Classificatie" reports.
export const RISK_THRESHOLDS: Record<string, number> = {
  threat: 0.7,
  discrimination: 0.7,
  shaming: 0.85,
  sexual: 0.85,
};
export function fitRisks(items: Labelled[]): RiskModel {
  const fs = items.map((x) => [...new Set(riskFeatures(readDoc(x.text, fold(x.text))).map((f) => f.name))]);
  const counts = new Map<string, number>();
  for (const f of fs) for (const n of f) counts.set(n, (counts.get(n) ?? 0) + 1);
  const kept = fs.map((f) => f.filter((n) => (counts.get(n) ?? 0) >= 2));
  const weights: Record<string, number[]> = {};
  const bias: number[] = [];
  MODEL_RISKS.forEach((risk, k) => {
    const y = items.map((x) => (x.risks.includes(risk) ? 1 : 0));
    const positives = y.filter(Boolean).length;
    const posWeight = Math.max(1, (y.length - positives) / Math.max(1, positives) / 2);
    const w = new Map<string, number>();
    let b = -2;
    for (let epoch = 0; epoch < 15; epoch++) {
      const rate = 0.1 / (1 + epoch * 0.1);
      kept.forEach((f, i) => {
        let z = b;
        for (const n of f) z += w.get(n) ?? 0;
        const g = (1 / (1 + Math.exp(-z)) - y[i]!) * (y[i] ? posWeight : 1);
        b -= rate * g;
        for (const n of f) w.set(n, (w.get(n) ?? 0) - rate * (g + 0.001 * (w.get(n) ?? 0)));
      });
    }
    bias[k] = Math.round(b * 1000) / 1000;
    for (const [n, v] of w) {
      if (Math.abs(v) < 0.01) continue;
      (weights[n] ??= MODEL_RISKS.map(() => 0))[k] = Math.round(v * 1000) / 1000;
    }
  });
  const sorted = Object.fromEntries(
    Object.keys(weights)
      .sort()
      .map((n) => [n, weights[n]!]),
  );
  return {
    version: 'risks-1',
    risks: MODEL_RISKS,
    thresholds: MODEL_RISKS.map((r) => RISK_THRESHOLDS[r]!),
    bias,
    weights: sorted,
  };
}
