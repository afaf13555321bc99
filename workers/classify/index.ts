import { detectLanguage } from './language.ts';
import { personalData } from './personalData.ts';
import { sentimentV1 } from './sentimentV1.ts';
import type { Classification } from './types.ts';

// v1.1: personal data by shape with checksums (BSN, IBAN, postcode, address, birth date).
export const CLASSIFIER = 'v1.1';

// Pure and deterministic: the same text always gives the same labels. Evidence offsets refer to
// `text` as given (title and body joined by the caller).
export function classify(text: string, language?: string): Classification {
  const lang = language && /^[a-z]{2}$/.test(language) ? language : detectLanguage(text);
  return { language: lang, sentiment: sentimentV1(text, lang), risks: personalData(text), actions: [] };
}
