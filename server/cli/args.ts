import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Io } from './io.ts';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export type Command = {
  summary: string;
  usage: string;
  run: (argv: string[], io: Io) => Promise<number>;
};
