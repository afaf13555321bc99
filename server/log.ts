import { config } from './config.ts';

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, 'silent'>;

function write(level: Level, fields: Record<string, unknown>, msg: string) {
  if (levels[level] < levels[config().KLANKBORD_LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, (_k, v) =>
    v instanceof Error ? { message: v.message, name: v.name, stack: v.stack } : v,
  );
  process.stderr.write(line + '\n');
}

export const log = {
  debug: (fields: Record<string, unknown>, msg: string) => write('debug', fields, msg),
  info: (fields: Record<string, unknown>, msg: string) => write('info', fields, msg),
  warn: (fields: Record<string, unknown>, msg: string) => write('warn', fields, msg),
  error: (fields: Record<string, unknown>, msg: string) => write('error', fields, msg),
};
