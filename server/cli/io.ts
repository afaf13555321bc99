import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ReadStream } from 'node:tty';

// What a command reads and writes: main(argv, io) hands it to every command, so a test can run one
// in-process with its own streams and environment. The default is the real process.
export type Io = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
};

// Getters, so that process.stdin is only opened by a command that reads it.
export const processIo: Io = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  get env() {
    return process.env;
  },
};

// console.log for a given stream.
export function println(stream: NodeJS.WritableStream, text: string) {
  stream.write(text + '\n');
}

export const isTerminal = (stdin: Io['stdin']): stdin is ReadStream => stdin.isTTY === true;

// A file only its owner may read, also when `file` already exists with a wider mode (writeFile's mode
// applies only to a new file): written to a new 0600 file beside it, then renamed over it, so its
// content is never readable by others, not even for a moment.
export function writePrivateFile(file: string, content: string) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
