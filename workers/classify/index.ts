import { detectLanguage } from './language.ts';
import { personalDataV1 } from './personalDataV1.ts';
import { sentimentV1 } from './sentimentV1.ts';
import type { Classification } from './types.ts';

export const CLASSIFIER = 'v1';

// Pure and deterministic: the same text always gives the same labels. Evidence offsets refer to
// `text` as given (title and body joined by the caller).
export function classify(text: string, language?: string): Classification {
  const lang = language && /^[a-z]{2}$/.test(language) ? language : detectLanguage(text);
  return { language: lang, sentiment: sentimentV1(text, lang), risks: personalDataV1(text), actions: [] };
}
