import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import dutchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_nl.js';
import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';

// Sentiment v1: natural's Pattern-lexicon analysers (imported per submodule: natural's root
// import loads dotenv and prints). Known weak on Dutch; a later classifier replaces it.

type Analyzer = { getSentiment(tokens: string[]): number };
type AnalyzerCtor = new (lang: string, stemmer: unknown, vocabulary: string) => Analyzer;

const Ctor = ((SentimentAnalyzer as unknown as { SentimentAnalyzer?: AnalyzerCtor }).SentimentAnalyzer ?? SentimentAnalyzer) as unknown as AnalyzerCtor;
const nl = new Ctor('Dutch', (dutchStemmer as { PorterStemmer?: unknown }).PorterStemmer ?? dutchStemmer, 'pattern');
const en = new Ctor('English', (englishStemmer as { PorterStemmer?: unknown }).PorterStemmer ?? englishStemmer, 'afinn');

// Our own tokenizer: natural's Dutch tokenizer splits words at accented letters ("ideeën").
const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];

export function sentimentV1(text: string, language: string): { label: 'positive' | 'neutral' | 'negative'; score: number } {
  const words = tokens(text);
  if (!words.length) return { label: 'neutral', score: 0 };
  const raw = language === 'en' ? en.getSentiment(words) / 5 : nl.getSentiment(words);
  const score = Math.max(-1, Math.min(1, Number.isFinite(raw) ? raw : 0));
  const label = score > 0.02 ? 'positive' : score < -0.02 ? 'negative' : 'neutral';
  return { label, score: Math.round(score * 1000) / 1000 };
}
