import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const hostPort = /^[a-z0-9.\-]+:\d{1,5}$|^\[[0-9a-f:.]+\]:\d{1,5}$/i;

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'moet beginnen met postgres:// of postgresql://')
    .optional(),
  // the database's owner, for migrations and the app role's grants when DATABASE_URL is a least-privilege role
  DATABASE_ADMIN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'moet beginnen met postgres:// of postgresql://')
    .optional(),
  KLANKBORD_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  KLANKBORD_DEMO_PASSWORD: z.string().min(8, 'minstens 8 tekens').optional(),
  KLANKBORD_FETCH_ALLOW: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((list) => list.every((x) => hostPort.test(x)), 'verwacht host:poort, gescheiden door komma’s'),
  // reverse proxies in front of the server, whose X-Forwarded-For is believed (comma-separated addresses)
  KLANKBORD_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((x) => net.isIP(x.replace(/^::ffff:(?=\d+\.)/i, ''))),
      'verwacht IP-adressen, gescheiden door komma’s',
    ),
  KLANKBORD_CONTACT_URL: z.string().url('moet een URL zijn').optional(),
  // log2 of scrypt's N for new password hashes (OWASP: 17); lower only for tests
  KLANKBORD_SCRYPT_COST: z.coerce.number().int().min(12).max(20).default(17),
  KLANKBORD_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // the key that seals stored secrets: 32 random bytes in base64 (openssl rand -base64 32)
  KLANKBORD_SECRET_KEY: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length === 32, '32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  // classification threads per worker process (workers/labelThreads.ts); 0: on the main thread
  KLANKBORD_LABEL_THREADS: z.coerce
    .number({ message: 'verwacht een aantal, 0 tot en met 16' })
    .int('verwacht een geheel aantal')
    .min(0, 'verwacht 0 tot en met 16')
    .max(16, 'verwacht 0 tot en met 16')
    .optional(),
  // Bluesky in real time (README → Jetstream): off while unset
  KLANKBORD_JETSTREAM_URL: z
    .string()
    .url('moet een URL zijn')
    .regex(/^wss?:\/\//i, 'moet beginnen met wss:// of ws://')
    .optional(),
  KLANKBORD_JETSTREAM_COLLECTIONS: z
    .string()
    .default('app.bsky.feed.post')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.length > 0 && list.every((x) => /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+(\.\*)?$/.test(x)),
      'verwacht NSID’s zoals app.bsky.feed.post, gescheiden door komma’s',
    ),
});

export type Config = Readonly<z.infer<typeof schema> & { dataDir: string }>;

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Ongeldige configuratie (invalid configuration):\n${lines.join('\n')}`);
  }
  return Object.freeze({ ...result.data, dataDir: path.resolve(result.data.KLANKBORD_DATA_DIR) });
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
