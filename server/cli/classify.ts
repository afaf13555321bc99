import { classify } from '../../workers/classify/index.ts';
import { decide } from '../../workers/policy/engine.ts';
import { loadPreset, PRESET_IDS } from '../../workers/policy/presets.ts';
import type { Preset } from '../../workers/policy/types.ts';
import { parse, UsageError, type Command } from './args.ts';
import { println } from './io.ts';
import { mapStdinLines, optionalString, readTextLine } from './jsonLines.ts';

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// One JSON object per input line; a bad line gets {"id", "error"} and the stream goes on. With a
// policy preset, `actions` says what the school should do under that protocol.
export function classifyLine(line: string, preset?: Preset, now = new Date()): string | undefined {
  const input = readTextLine(line);
  if (input === undefined || typeof input === 'string') return input;
  const { id, text, fields } = input;
  const title = optionalString(fields.title);
  const full = title ? `${title}\n\n${text}` : text;
  const c = classify(full, { language: optionalString(fields.language) ?? undefined, facts: strings(fields.facts) });
  const actions = preset
    ? decide(preset, {
        labels: c,
        text: full,
        sourceKind: optionalString(fields.source) ?? undefined,
        hasMedia: fields.media === true,
        now,
      })
    : [];
  return JSON.stringify({ id, language: c.language, sentiment: c.sentiment, risks: c.risks, actions });
}

export const classifyCmd: Command = {
  summary: 'classificeer JSON-regels van stdin (zonder database), met --policy ook de acties',
  usage: `klankbord classify [--policy ${PRESET_IDS.join('|')}] < invoer.jsonl

Leest per regel {"id","text"[,"title","language","facts":[…],"source","media":true]} en schrijft per
regel {"id","language","sentiment":{"label","score"},"risks":[…],"actions":[…]}.
Met --policy vult het "actions" volgens dat protocol: elke actie {"type","article","roles","due",
"guidance",…}. Zonder --policy blijft "actions" leeg.
Een ongeldige regel geeft {"id","error"}; de rest wordt gewoon verwerkt.`,
  async run(argv, io) {
    const { values } = parse(argv, { policy: { type: 'string' } });
    if (values.help) return (println(io.stdout, this.usage), 0);
    let preset: Preset | undefined;
    if (values.policy !== undefined) {
      try {
        preset = loadPreset(values.policy);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    await mapStdinLines(io, (line) => classifyLine(line, preset));
    return 0;
  },
};
