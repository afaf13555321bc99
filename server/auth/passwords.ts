import crypto from 'node:crypto';
import os from 'node:os';
import { promisify } from 'node:util';
import { config } from '../config.ts';

const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;

// scrypt with OWASP's first configuration: N = 2^17, r = 8, p = 1 (128 MiB and ~0.4 s of one core per
// hash). KLANKBORD_SCRYPT_COST sets log2 N; the test suite lowers it to keep 500 logins quick.
const r = 8,
  p = 1,
  LEN = 32;
const memoryFor = (N: number) => 128 * N * r + 16 * 1024 * 1024;
export const currentCost = () => config().KLANKBORD_SCRYPT_COST;

// At most one hash per core at a time, and a bounded queue: many parallel logins (or guesses) wait
// their turn instead of taking 128 MiB each; past the queue the caller is told to try again.
export class PasswordBusyError extends Error {}
const slots = Math.max(1, os.availableParallelism());
const QUEUE = 64;
let running = 0;
const waiting: (() => void)[] = [];
export async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= slots) {
    if (waiting.length >= QUEUE) throw new PasswordBusyError('Het is even te druk; probeer het zo opnieuw.');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export async function hashPassword(password: string, logN = currentCost()): Promise<string> {
  const N = 2 ** logN;
  const salt = crypto.randomBytes(16);
  const hash = await inTurn(() => scrypt(password, salt, LEN, { N, r, p, maxmem: memoryFor(N) }));
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export const verifyPassword = (password: string, stored: string) => inTurn(() => verifyNow(password, stored));

// Without waiting for a turn: for a caller that already holds one (the login, which takes its turn
// before it opens a transaction, so waiting logins hold no database connection).
export async function verifyNow(password: string, stored: string): Promise<boolean> {
  const [alg, n, rr, pp, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !hash) return false;
  const N = Number(n);
  if (!Number.isInteger(N) || N < 2 ** 10 || N > 2 ** 20) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(rr),
    p: Number(pp),
    maxmem: memoryFor(N),
  });
  return crypto.timingSafeEqual(actual, expected);
}

// A hash made with a lower cost than today's: rehashed at the next successful login.
export function needsRehash(stored: string): boolean {
  const [alg, n, rr, pp] = stored.split('$');
  return alg !== 'scrypt' || Number(n) < 2 ** currentCost() || Number(rr) < r || Number(pp) < p;
}

// Used when the e-mail address is unknown, so that a wrong address costs as long as a wrong password.
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword(crypto.randomBytes(16).toString('hex')));

export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'Het wachtwoord moet minstens 10 tekens hebben';
  if (password.length > 200) return 'Het wachtwoord mag hoogstens 200 tekens hebben';
  return null;
}
