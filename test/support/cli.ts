import { spawn } from 'node:child_process';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main } from '../../server/cli/main.ts';

export const BIN = path.resolve('bin/klankbord.js');

type CliOptions = { databaseUrl?: string; input?: string; env?: Record<string, string> };
type CliResult = { code: number; stdout: string; stderr: string };

function cliEnv(opts: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KLANKBORD_LOG_LEVEL: 'error', ...opts.env };
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  return env;
}

// Runs the real `klankbord` executable against the given database.
export function runCli(args: string[], opts: CliOptions = {}) {
  return new Promise<CliResult>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(opts), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// The same run in this process: main(args, io) with in-memory streams and its own environment.
// Log lines (server/log.ts) still go to this process's stderr, not into the result.
export async function runCliInProcess(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const collect = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const io = {
    stdout: collect((s) => (stdout += s)),
    stderr: collect((s) => (stderr += s)),
    stdin: Readable.from(opts.input ? [opts.input] : []),
    env: cliEnv(opts),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
