// natural ships types only for its root module, which we do not import (it loads dotenv and prints).
declare module 'natural/lib/natural/sentiment/SentimentAnalyzer.js' {
  const SentimentAnalyzer: unknown;
  export default SentimentAnalyzer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_nl.js' {
  const stemmer: unknown;
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const stemmer: unknown;
  export default stemmer;
}
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer_nl.js' {
  const tokenizer: unknown;
  export default tokenizer;
}
declare module 'natural/lib/natural/util/stopwords_nl.js' {
  const stopwords: unknown;
  export default stopwords;
}
