// The articles a protocol text has, read from its headings and numbered items, and a check that an
// article a preset cites ("Sancties en gevolgen 5", "A.6", "Profilering c", "Uitgangspunten 6 en
// 11") exists in it. The texts live in shared/protocols beside the repository; what they hold is
// kept in protocol-articles.json so the check also runs where they are not (test/unit/protocolBasis).

// Which text in shared/protocols each preset implements.
export const PROTOCOL_FILES: Record<string, string> = {
  'edu-ley': 'edu-ley.txt',
  'model-protocol': 'model-protocol-sociale-media.txt',
  'obs-meander': 'obs-meander-2021.txt',
  'scala-coenecoop': 'scala-coenecoop.txt',
  'st-jozef-pontonnier': 'st-jozefschool-de-pontonnier.txt',
};

export type ArticleIndex = Record<string, string[]>; // section → item numbers or letters ("" = the section has text of its own)

const SECTION =
  /^(Inleiding|Visie|Uitgangspunten|Doelgroep en reikwijdte|Profilering|Sociale media(?: in (?:de|onze) school(?:en)?\b.*|, de Algemene Verordening.*)|Sancties en gevolgen\b.*|([ABC])\.\s.*)$/;
const ITEM = /^(\d{1,2}|[a-f])\.\s+\S/;

function sectionKey(line: string): string | undefined {
  const m = SECTION.exec(line.replace(/[:.]\s*$/, '').trim());
  if (!m) return undefined;
  if (m[2]) return m[2];
  const head = m[1]!;
  if (head.startsWith('Sancties en gevolgen')) return 'Sancties en gevolgen';
  if (head.startsWith('Sociale media')) return 'Sociale media in de school';
  return head;
}

export function articlesOf(text: string): ArticleIndex {
  const out: ArticleIndex = {};
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const key = line.length < 160 && !ITEM.test(line) ? sectionKey(line) : undefined;
    if (key) {
      section = key;
      out[section] ??= [''];
      continue;
    }
    const item = ITEM.exec(line);
    if (!item || !section) continue;
    const items = out[section]!;
    // The model protocol numbers every item "1." (a word processor's list): count them instead.
    const n = /\d/.test(item[1]!) ? (item[1] === '1' && items.length > 1 ? String(items.length) : item[1]!) : item[1]!;
    if (!items.includes(n)) items.push(n);
  }
  return out;
}

// The sections a reference can name, longest first so "Sancties en gevolgen 1 en 3" is one section.
const SECTIONS = [
  'Sociale media in de school',
  'Doelgroep en reikwijdte',
  'Sancties en gevolgen',
  'Uitgangspunten',
  'Profilering',
  'Inleiding',
  'Visie',
];

// What is wrong with a reference, or nothing.
export function articleProblem(index: ArticleIndex, ref: string): string | undefined {
  for (const piece of ref.split(/;\s*/)) {
    const letter = /^([ABC])\.(\d{1,2})((?:(?:,| en) (?:[ABC]\.)?\d{1,2})*)$/.exec(piece);
    if (letter) {
      const items = [
        letter[2]!,
        ...[...letter[3]!.matchAll(/(?:([ABC])\.)?(\d{1,2})/g)].map((m) => `${m[1] ?? ''}${m[1] ? '.' : ''}${m[2]}`),
      ];
      for (const it of items) {
        const [sec, n] = it.includes('.') ? it.split('.') : [letter[1]!, it];
        if (!index[sec!]?.includes(n!)) return `${sec}.${n} staat niet in het protocol`;
      }
      continue;
    }
    const section = SECTIONS.find((s) => piece === s || piece.startsWith(`${s} `));
    if (!section) return `"${piece}" is geen artikel van het protocol`;
    const items = index[section];
    if (!items) return `het protocol heeft geen onderdeel "${section}"`;
    const rest = piece.slice(section.length).trim();
    if (!rest) continue;
    if (!/^[0-9a-z]{1,2}((?:,| en) [0-9a-z]{1,2})*$/.test(rest)) return `"${piece}": onleesbaar artikelnummer`;
    for (const n of rest.split(/,\s*|\s+en\s+/))
      if (!items.includes(n)) return `${section} ${n} staat niet in het protocol`;
  }
  return undefined;
}
