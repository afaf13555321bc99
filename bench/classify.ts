import { performance } from 'node:perf_hooks';
import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import dutchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_nl.js';
import AggressiveTokenizerNl from 'natural/lib/natural/tokenizers/aggressive_tokenizer_nl.js';
import { existsSync, readFileSync } from 'node:fs';
import { CLASSIFIER, classify } from '../workers/classify/index.ts';
import { BLIND, evaluate, FACTS, loadCorpus, loadSet, sentimentScores, type Labelled } from './corpus.ts';
import { functionalScores } from './functional.ts';

// Classification (issues 5 and 14), measured on what was never used for tuning — the core corpus's
// test split and the blind set: sentiment accuracy and macro-F1, P/R/F1 per risk type and
// personal-data subtype, natural's Dutch Pattern analyser and classifier v2.3 as baselines, the
// functional suite per functionality, and throughput on ~280-character texts next to natural's.

type Analyzer = { getSentiment(tokens: string[]): number };
type Ctor<T> = new (...args: never[]) => T;
const unwrap = <T>(m: unknown, key: string) => ((m as Record<string, unknown>)[key] ?? m) as T;
const Analyzer = unwrap<Ctor<Analyzer>>(SentimentAnalyzer, 'SentimentAnalyzer') as unknown as new (
  lang: string,
  stemmer: unknown,
  vocabulary: string,
) => Analyzer;
const Tokenizer = unwrap<Ctor<{ tokenize(s: string): string[] }>>(
  AggressiveTokenizerNl,
  'AggressiveTokenizerNl',
) as unknown as new () => { tokenize(s: string): string[] };
const natural = new Analyzer('Dutch', unwrap(dutchStemmer, 'PorterStemmer'), 'pattern');
const tokenizer = new Tokenizer();
const naturalLabel = (text: string) => {
  const s = natural.getSentiment(tokenizer.tokenize(text));
  return !Number.isFinite(s) || s === 0 ? 'neutral' : s > 0 ? 'positive' : 'negative';
};

// Measured on what was never used for tuning: the core corpus's test split and the blind set.
const corpus = loadCorpus();
const SETS_MEASURED = { coreTest: loadSet('core').filter((x) => x.split === 'test'), blind: loadSet(BLIND) };
const measure = (items: Labelled[]) => {
  const ours = evaluate(items);
  return {
    n: items.length,
    sentiment: ours.sentiment,
    naturalBaseline: sentimentScores(
      items.map((x) => x.sentiment),
      items.map((x) => naturalLabel(x.text)),
    ),
    risks: ours.risks,
    personalData: ours.personalData,
  };
};
const sets = { coreTest: measure(SETS_MEASURED.coreTest), blind: measure(SETS_MEASURED.blind) };

// The functional suite (test/functional/): per functionality, recall, false alarms or accuracy.
// These cases were looked at while developing v3, so they are development figures, not a blind test.
const functional = functionalScores().scores;
const harmlessDiscrimination = functional.filter((s) => s.label === 'discrimination' && s.measure === 'false_alarms');
const discriminationFalseAlarms =
  harmlessDiscrimination.reduce((a, s) => a + (s.n - s.right), 0) /
  Math.max(
    1,
    harmlessDiscrimination.reduce((a, s) => a + s.n, 0),
  );

// The previous classifier on the same sets, measured by bench/baseline.ts.
const baselineUrl = new URL('./baseline-v2.3.json', import.meta.url);
const baseline = existsSync(baselineUrl) ? JSON.parse(readFileSync(baselineUrl, 'utf8')) : undefined;

// ~280-character texts made of the corpus's own sentences (all splits: speed, not accuracy).
const texts: string[] = [];
for (let i = 0; texts.length < 4000; i++) {
  let t = corpus[i % corpus.length]!.text;
  for (let j = 1; t.length < 260; j++) t += ' ' + corpus[(i * 7 + j * 13) % corpus.length]!.text;
  texts.push(t.slice(0, 300));
}
const avgChars = Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length);
const facts = FACTS.scala!;
function rate(fn: (t: string) => unknown) {
  for (let i = 0; i < 500; i++) fn(texts[i]!); // warm up
  const rounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    for (const t of texts) fn(t);
    rounds.push(texts.length / ((performance.now() - start) / 1000));
  }
  return Math.round(rounds.sort((a, b) => a - b)[1]!);
}
const oursPerSecond = rate((t) => classify(t, { facts }));
const naturalPerSecond = rate((t) => naturalLabel(t));

// Hostile or odd input must not stall a worker or the meldpunt: the slowest of these long texts.
const ADVERSARIAL: [string, string][] = [
  ['regels witruimte', 'Wat ik zag:' + '\n'.repeat(20_000) + 'einde'],
  ['spaties na "Adres:"', ('Adres: ' + ' '.repeat(300)).repeat(60)],
  ['juf Ilse × 4000', 'juf Ilse '.repeat(4000)],
  ['mes × 10000', 'mes '.repeat(10_000)],
  ['cijfers en punten', '1.2.3.4.5.6.7.8.9.0 '.repeat(2500)],
  ['bom op school × 3000', 'bom op school '.repeat(3000)],
  ['één lang woord', 'a'.repeat(50_000)],
  ['€ × 10000', '€'.repeat(10_000)],
];
const adversarial = ADVERSARIAL.map(([name, text]) => {
  const start = performance.now();
  classify(text, { facts });
  return { name, chars: text.length, ms: Math.round(performance.now() - start) };
});
const slowest = adversarial.reduce((a, b) => (b.ms > a.ms ? b : a));

const b = sets.blind;
const targets = {
  threat: b.risks.threat!.recall >= 0.95 && b.risks.threat!.precision >= 0.85,
  discrimination: b.risks.discrimination!.recall >= 0.85 && discriminationFalseAlarms <= 0.1,
  shaming: b.risks.shaming!.f1 >= 0.85,
  sexual: b.risks.sexual!.recall >= 0.95,
  inaccuracy: b.risks.inaccuracy!.f1 >= 0.8,
  personalData: b.risks.personal_data!.recall >= 0.97 && b.risks.personal_data!.precision >= 0.9,
  sentiment: b.sentiment.macroF1 >= 0.85,
  perSecond: oursPerSecond >= 5000,
  adversarial: slowest.ms <= 500,
};

export const classifyBench = {
  classifier: CLASSIFIER,
  sets,
  functional,
  discriminationFalseAlarms: Math.round(discriminationFalseAlarms * 1000) / 1000,
  baseline,
  speed: { avgChars, texts: texts.length, perSecond: oursPerSecond, naturalPerSecond },
  adversarial,
  targets,
};
