// Which language's most common words dominate: Dutch, English, or something else (German, French,
// Turkish, Polish, Spanish, Arabic, … are "other": sentiment and risks then only where confident).
const LISTS: Record<string, string> = {
  nl: 'de het een en van is dat niet op te zijn voor met ook aan er maar om dan als bij nog wel naar uit kan zo hij ze wat ik je jij we wij onze ons mijn geen heel erg deze die dit hun leerlingen ouders juf meester over goed slecht leuk altijd echt wordt worden heeft hebben was waren zou zal weer nu al toch even gewoon alleen veel kinderen school onze jullie hoe waarom wie waar wanneer mij me mee zij had hier daar niks niets iets iemand tot uur jaar groep klas les vandaag morgen gisteren',
  en: 'the and of to is that it in for on with as was are be this not but have at by from they you we our my no very so what there their students parents teacher teachers about has had were been i me great good bad always really lovely school kids children your its would will just can do does did how why who when which than then them he she',
  de: 'der die das und ist nicht ein eine zu mit sich auf für ich sie es den dem wir auch aber noch schule kinder sehr wie war sind haben hat',
  fr: 'le la les et est un une des du en pas que qui pour dans sur avec ce il elle nous vous très mais école enfants au aux',
  es: 'el la los las y es un una que de en no por con para muy pero escuela niños está son',
  tr: 've bir bu için çok ile ama da de ne okul çocuk öğretmen değil gibi var yok ben sen',
  pl: 'i w nie na się jest to że z do jak ale szkoła dzieci bardzo czy tak',
};
// word → the languages it is common in
const LANGS = new Map<string, string[]>();
for (const [lang, list] of Object.entries(LISTS))
  for (const w of list.split(' ')) LANGS.set(w, [...(LANGS.get(w) ?? []), lang]);
const OTHER_SCRIPT = /\p{Script=Arabic}|\p{Script=Cyrillic}|\p{Script=Han}|\p{Script=Hebrew}|\p{Script=Greek}/u;

export function detectLanguage(text: string): 'nl' | 'en' | 'other' {
  if (
    /[^\x00-\u024f\s]/.test(text) &&
    OTHER_SCRIPT.test(text) &&
    !/[a-z]{3,}.*[a-z]{3,}.*[a-z]{3,}/i.test(text.replace(/https?:\/\/\S+/g, ''))
  )
    return 'other';
  const words =
    text
      .toLowerCase()
      .replace(/https?:\/\/\S+/g, ' ')
      .match(/\p{L}+/gu) ?? [];
  const counts: Record<string, number> = {};
  for (const w of words) for (const lang of LANGS.get(w) ?? []) counts[lang] = (counts[lang] ?? 0) + 1;
  // Dutch and English share "is", "in", "we": weigh them only by the others.
  const ranked = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] === 'nl' ? -1 : 1));
  const [best, n] = ranked[0] ?? ['nl', 0];
  // Short texts: English when more of its words than Dutch ones ("someone should do it").
  if (n < 2)
    return (counts.en ?? 0) > (counts.nl ?? 0)
      ? 'en'
      : words.length >= 4 && /[^\x00-\x7f]/.test(words.join('')) && !/[ëéèïü]/.test(text)
        ? 'other'
        : 'nl';
  if (best === 'nl' || best === 'en') {
    const runnerUp = ranked.find(([l]) => l !== best && l !== 'nl' && l !== 'en');
    if (runnerUp && runnerUp[1] > n) return 'other';
    return best;
  }
  return 'other';
}
