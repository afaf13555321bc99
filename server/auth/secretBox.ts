import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config.ts';
import { collectorFor, sourceKinds } from '../../workers/collectors/registry.ts';

// Secrets at rest (an SMTP password, a source's token or API key) are stored sealed with AES-256-GCM
// under a key from KLANKBORD_SECRET_KEY or, without it, from <data directory>/secret.key (made on
// first use, mode 0600). Several instances on one DATABASE_URL must share KLANKBORD_SECRET_KEY.
const PREFIX = 'enc:v1:';
let cached: Buffer | undefined;

function key(): Buffer {
  if (cached) return cached;
  const cfg = config();
  if (cfg.KLANKBORD_SECRET_KEY) return (cached = Buffer.from(cfg.KLANKBORD_SECRET_KEY, 'base64'));
  const file = path.join(cfg.dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
    }
  }
  return (cached = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}

export const isSealed = (v: unknown): v is string => typeof v === 'string' && v.startsWith(PREFIX);

export function seal(plain: string): string {
  if (isSealed(plain)) return plain;
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

// A value stored before secrets were sealed comes back as it is.
export function unseal(value: string): string {
  if (!isSealed(value)) return value;
  const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
  const d = crypto.createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}

const secretFields = (kind: string) =>
  new Set(
    sourceKinds().includes(kind)
      ? collectorFor(kind)
          .fields.filter((f) => f.secret)
          .map((f) => f.key)
      : [],
  );
const mapSecrets = (kind: string, settings: Record<string, unknown>, f: (v: string) => string) => {
  const secret = secretFields(kind);
  return Object.fromEntries(
    Object.entries(settings).map(([k, v]) => [k, secret.has(k) && typeof v === 'string' && v ? f(v) : v]),
  );
};
// A source's settings with its secret fields sealed (to store) or opened (to use).
export const sealSettings = (kind: string, settings: Record<string, unknown>) => mapSecrets(kind, settings, seal);
export const openSettings = (kind: string, settings: Record<string, unknown>) => mapSecrets(kind, settings, unseal);
