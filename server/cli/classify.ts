import readline from 'node:readline';
import { classify } from '../../workers/classify/index.ts';
import { parse, type Command } from './args.ts';

const MAX_TEXT = 100_000;

// One JSON object per input line; a bad line gets {"id", "error"} and the stream goes on.
export function classifyLine(line: string): string | undefined {
  if (!line.trim()) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: null, error: 'Ongeldige JSON op deze regel' });
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return JSON.stringify({ id: null, error: 'Verwacht een JSON-object met "id" en "text"' });
  const { id, text, title, language } = input as Record<string, unknown>;
  const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
  if (safeId === null) return JSON.stringify({ id: null, error: '"id" ontbreekt of is geen tekst/getal' });
  if (typeof text !== 'string') return JSON.stringify({ id: safeId, error: '"text" ontbreekt of is geen tekst' });
  if (text.length > MAX_TEXT) return JSON.stringify({ id: safeId, error: `"text" is langer dan ${MAX_TEXT} tekens` });
  const full = typeof title === 'string' && title ? `${title}\n\n${text}` : text;
  const c = classify(full, typeof language === 'string' ? language : undefined);
  return JSON.stringify({ id: safeId, language: c.language, sentiment: c.sentiment, risks: c.risks, actions: c.actions });
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
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      const out = classifyLine(line);
      if (out && !process.stdout.write(out + '\n')) await new Promise((r) => process.stdout.once('drain', r));
    }
    return 0;
  },
};
