import { performance } from 'node:perf_hooks';
import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import dutchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_nl.js';
import AggressiveTokenizerNl from 'natural/lib/natural/tokenizers/aggressive_tokenizer_nl.js';
import { classify } from '../workers/classify/index.ts';
import { evaluate, FACTS, loadCorpus, sentimentScores } from './corpus.ts';

// Classification (issue 5), measured on the held-out test split only: sentiment accuracy and
// macro-F1, P/R/F1 per risk type and personal-data subtype, natural's Dutch Pattern analyser as a
// baseline, and throughput on ~280-character texts for both.

type Analyzer = { getSentiment(tokens: string[]): number };
type Ctor<T> = new (...args: never[]) => T;
const unwrap = <T>(m: unknown, key: string) => ((m as Record<string, unknown>)[key] ?? m) as T;
const Analyzer = unwrap<Ctor<Analyzer>>(SentimentAnalyzer, 'SentimentAnalyzer') as unknown as new (lang: string, stemmer: unknown, vocabulary: string) => Analyzer;
const Tokenizer = unwrap<Ctor<{ tokenize(s: string): string[] }>>(AggressiveTokenizerNl, 'AggressiveTokenizerNl') as unknown as new () => { tokenize(s: string): string[] };
const natural = new Analyzer('Dutch', unwrap(dutchStemmer, 'PorterStemmer'), 'pattern');
const tokenizer = new Tokenizer();
const naturalLabel = (text: string) => {
  const s = natural.getSentiment(tokenizer.tokenize(text));
  return !Number.isFinite(s) || s === 0 ? 'neutral' : s > 0 ? 'positive' : 'negative';
};

const corpus = loadCorpus();
const test = corpus.filter((x) => x.split === 'test');
const ours = evaluate(test);
const baseline = sentimentScores(test.map((x) => x.sentiment), test.map((x) => naturalLabel(x.text)));

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

const targets = {
  sentimentMacroF1: ours.sentiment.macroF1 >= 0.85,
  personalDataRecall: ours.risks.personal_data!.recall >= 0.97,
  personalDataPrecision: ours.risks.personal_data!.precision >= 0.9,
  threatRecall: ours.risks.threat!.recall >= 0.95,
  shamingF1: ours.risks.shaming!.f1 >= 0.85,
  inaccuracyF1: ours.risks.inaccuracy!.f1 >= 0.75,
  perSecond: oursPerSecond >= 5000,
};

export const classifyBench = {
  split: 'test',
  n: test.length,
  sentiment: ours.sentiment,
  naturalBaseline: baseline,
  risks: ours.risks,
  personalData: ours.personalData,
  speed: { avgChars, texts: texts.length, perSecond: oursPerSecond, naturalPerSecond },
  targets,
};
