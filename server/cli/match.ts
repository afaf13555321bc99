import fs from 'node:fs';
import readline from 'node:readline';
import { ConfigFileError, parseBoardFile } from '../boardConfig.ts';
import { compileExclusions, itemMatcher, type ItemMatcher } from '../../workers/match/board.ts';
import { UsageError, parse, type Command } from './args.ts';

const MAX_TEXT = 100_000;

// One JSON object per input line → {"id","schools":[{"slug","clauses","spans"}]}; a bad line gets
// {"id","error"} and the stream goes on.
export function matchLine(line: string, match: ItemMatcher, slugOf: Map<string, string>): string | undefined {
  if (!line.trim()) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: null, error: 'Ongeldige JSON op deze regel' });
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return JSON.stringify({ id: null, error: 'Verwacht een JSON-object met "id" en "text"' });
  const { id, text, title, url, author, lang, source } = input as Record<string, unknown>;
  const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
  if (safeId === null) return JSON.stringify({ id: null, error: '"id" ontbreekt of is geen tekst/getal' });
  if (typeof text !== 'string') return JSON.stringify({ id: safeId, error: '"text" ontbreekt of is geen tekst' });
  if (text.length > MAX_TEXT) return JSON.stringify({ id: safeId, error: `"text" is langer dan ${MAX_TEXT} tekens` });
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  // A language the caller gives wins over detection.
  const hits = match({ externalId: String(safeId), text, title: str(title) ?? '', url: str(url), author: str(author), publishedAt: null }, str(source) ?? 'rss', str(lang));
  return JSON.stringify({ id: safeId, schools: hits.map((h) => ({ slug: slugOf.get(h.schoolId), clauses: h.matched, spans: h.spans })) });
}

export const matchCmd: Command = {
  summary: 'welke scholen gaan over elk bericht van stdin, volgens een bestuursbestand (zonder database)',
  usage: `klankbord match --board board.yaml < berichten.jsonl

Leest per regel {"id","text"[,"title","url","author","lang","source"]} en schrijft per regel
{"id","schools":[{"slug","clauses":[…],"spans":[{"field","start","end"}]}]}, met de zoekopdrachten
(of de standaardzoekopdrachten) van de scholen en de uitsluitingen van het bestuur in het bestand.
Een zoekopdracht die niet klopt, stopt het commando voordat er iets gelezen wordt, met school en
positie. Een ongeldige regel geeft {"id","error"}; de rest wordt gewoon verwerkt.`,
  async run(argv) {
    const { values } = parse(argv, { board: { type: 'string' } });
    if (values.help) return console.log(this.usage), 0;
    if (!values.board) throw new UsageError('Gebruik: klankbord match --board board.yaml < berichten.jsonl');
    let text: string;
    try {
      text = fs.readFileSync(values.board, 'utf8');
    } catch {
      throw new UsageError(`Kan ${values.board} niet lezen`);
    }
    let file;
    try {
      file = parseBoardFile(text);
    } catch (err) {
      if (err instanceof ConfigFileError) throw new UsageError(`${values.board}:\n${err.message}`);
      throw err;
    }
    const schools = file.schools.map((s) => ({ id: s.slug, name: s.name, aliases: s.aliases, place: s.place ?? null, query: s.query ?? null }));
    const match = itemMatcher(schools, compileExclusions(file.board.exclusions), file.board.slug);
    const slugOf = new Map(schools.map((s) => [s.id, s.id]));
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      const out = matchLine(line, match, slugOf);
      if (out && !process.stdout.write(out + '\n')) await new Promise((r) => process.stdout.once('drain', r));
    }
    return 0;
  },
};
