// Language v1: which language's most common function words dominate. Good enough to route a post
// to the Dutch or English analyser; short or mixed texts fall back to "other".
const NL = new Set('de het een en van is dat niet op te zijn voor met ook aan er maar om dan als bij nog wel naar uit kan zo hij ze wat ik je jij we wij onze ons mijn geen heel erg deze die dit hun leerlingen ouders juf meester over goed slecht leuk altijd echt wordt worden heeft hebben was'.split(' '));
const EN = new Set('the and of to is that it in for on with as was are be this not but have at by from they you we our my no very so what there their students parents teacher teachers about has had were been i me great good bad always really lovely'.split(' '));

export function detectLanguage(text: string): 'nl' | 'en' | 'other' {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let nl = 0;
  let en = 0;
  for (const w of words) {
    if (NL.has(w)) nl++;
    if (EN.has(w)) en++;
  }
  if (nl + en < 2) return words.length >= 3 ? 'other' : 'nl';
  return nl >= en ? 'nl' : 'en';
}
