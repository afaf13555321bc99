import { spawn } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve('bin/klankbord.js');

// Runs the real `klankbord` executable against the given database.
export function runCli(args: string[], opts: { databaseUrl?: string; input?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KLANKBORD_LOG_LEVEL: 'error', ...opts.env };
    if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
