import { classify } from '../../workers/classify/index.ts';
import { parse, type Command } from './args.ts';
import { mapStdinLines, optionalString, readTextLine } from './jsonLines.ts';

// One JSON object per input line; a bad line gets {"id", "error"} and the stream goes on.
export function classifyLine(line: string): string | undefined {
  const input = readTextLine(line);
  if (input === undefined || typeof input === 'string') return input;
  const { id, text, fields } = input;
  const title = optionalString(fields.title);
  const full = title ? `${title}\n\n${text}` : text;
  const c = classify(full, optionalString(fields.language) ?? undefined);
  return JSON.stringify({ id, language: c.language, sentiment: c.sentiment, risks: c.risks, actions: c.actions });
}

export const classifyCmd: Command = {
  summary: 'classificeer JSON-regels van stdin (zonder database)',
  usage: `klankbord classify < invoer.jsonl

Leest per regel {"id","text"[,"title","language"]} en schrijft per regel
{"id","language","sentiment":{"label","score"},"risks":[…],"actions":[]}.
Een ongeldige regel geeft {"id","error"}; de rest wordt gewoon verwerkt.`,
  async run(argv) {
    const { values } = parse(argv, {});
    if (values.help) return console.log(this.usage), 0;
    await mapStdinLines(classifyLine);
    return 0;
  },
};
