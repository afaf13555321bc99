import fs from 'node:fs';
import { ConfigFileError, parseBoardFile } from '../actions/boardFile.ts';
import { compileExclusions, itemMatcher, type ItemMatcher } from '../../workers/match/board.ts';
import { UsageError, parse, type Command } from './args.ts';
import { println } from './io.ts';
import { mapStdinLines, optionalString, readTextLine } from './jsonLines.ts';
import { log } from '../log.ts';

// One JSON object per input line → {"id","schools":[{"slug","clauses","spans"}]}; a bad line gets
// {"id","error"} and the stream goes on.
export function matchLine(line: string, match: ItemMatcher, slugOf: Map<string, string>): string | undefined {
  const input = readTextLine(line);
  if (input === undefined || typeof input === 'string') return input;
  const { id, text, fields } = input;
  const str = optionalString;
  // A language the caller gives wins over detection.
  const hits = match(
    {
      externalId: String(id),
      text,
      title: str(fields.title) ?? '',
      url: str(fields.url),
      author: str(fields.author),
      publishedAt: null,
    },
    str(fields.source) ?? 'rss',
    str(fields.lang),
  );
  return JSON.stringify({
    id,
    schools: hits.map((h) => ({ slug: slugOf.get(h.schoolId), clauses: h.matched, spans: h.spans })),
  });
}

export const matchCmd: Command = {
  summary: 'welke scholen gaan over elk bericht van stdin, volgens een bestuursbestand (zonder database)',
  usage: `klankbord match --board board.yaml < berichten.jsonl

Leest per regel {"id","text"[,"title","url","author","lang","source"]} en schrijft per regel
{"id","schools":[{"slug","clauses":[…],"spans":[{"field","start","end"}]}]}, met de zoekopdrachten
(of de standaardzoekopdrachten) van de scholen en de uitsluitingen van het bestuur in het bestand.
Een zoekopdracht die niet klopt, stopt het commando voordat er iets gelezen wordt, met school en
positie. Een ongeldige regel geeft {"id","error"}; de rest wordt gewoon verwerkt.`,
  async run(argv, io) {
    const { values } = parse(argv, { board: { type: 'string' } });
    if (values.help) return (println(io.stdout, this.usage), 0);
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
    const schools = file.schools.map((s) => ({
      id: s.slug,
      name: s.name,
      aliases: s.aliases,
      place: s.place ?? null,
      query: s.query ?? null,
    }));
    const match = itemMatcher(schools, compileExclusions(file.board.exclusions, log.warn), file.board.slug, log.warn);
    const slugOf = new Map(schools.map((s) => [s.id, s.id]));
    await mapStdinLines(io, (line) => matchLine(line, match, slugOf));
    return 0;
  },
};
