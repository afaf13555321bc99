import readline from 'node:readline';
import type { Io } from './io.ts';

// The stdin protocol of `classify` and `match`: one JSON object per line with "id" and "text";
// a bad line is answered with {"id", "error"} and the stream goes on.

export const MAX_TEXT = 100_000;

export type TextLine = { id: string | number; text: string; fields: Record<string, unknown> };

// The line's object, or the error line to write instead; undefined for an empty line.
export function readTextLine(line: string): TextLine | string | undefined {
  if (!line.trim()) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: null, error: 'Ongeldige JSON op deze regel' });
  }
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return JSON.stringify({ id: null, error: 'Verwacht een JSON-object met "id" en "text"' });
  const fields = input as Record<string, unknown>;
  const { id, text } = fields;
  const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
  if (safeId === null) return JSON.stringify({ id: null, error: '"id" ontbreekt of is geen tekst/getal' });
  if (typeof text !== 'string') return JSON.stringify({ id: safeId, error: '"text" ontbreekt of is geen tekst' });
  if (text.length > MAX_TEXT) return JSON.stringify({ id: safeId, error: `"text" is langer dan ${MAX_TEXT} tekens` });
  return { id: safeId, text, fields };
}

export const optionalString = (v: unknown) => (typeof v === 'string' ? v : null);

// Reads stdin line by line and writes each answer to stdout, minding back-pressure.
export async function mapStdinLines(io: Io, answer: (line: string) => string | undefined) {
  const rl = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    const out = answer(line);
    if (out && !io.stdout.write(out + '\n')) await new Promise((r) => io.stdout.once('drain', r));
  }
}
