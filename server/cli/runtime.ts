import { parseConfig } from '../config.ts';
import { openDatabase, type OpenDatabase } from '../db/index.ts';
import { currentRole } from '../db/roles.ts';
import { sourceKindsInUse } from '../db/sources.ts';
import { sourceKinds } from '../../workers/collectors/registry.ts';
import { userAgent, type FetchOptions } from '../../workers/http/guardedFetch.ts';
import type { Io } from './io.ts';

// Opens the database (embedded or DATABASE_URL), applies migrations, and refuses to go on when the
// database holds a source kind that this version has no collector for.
export async function openReady(io: Io): Promise<OpenDatabase> {
  const conn = await openDatabase(parseConfig(io.env));
  try {
    await conn.migrate();
    const role = await currentRole(conn.db);
    if (role.superuser)
      io.stderr.write(
        `Let op: Klankbord verbindt als superuser (${role.name}); zo kan het de auditlog ontdoen van zijn bescherming. ` +
          'Gebruik een eigen rol in DATABASE_URL en de eigenaar in DATABASE_ADMIN_URL (README → Configuratie).\n',
      );
    const missing = (await sourceKindsInUse(conn.db)).filter((k) => !sourceKinds().includes(k));
    if (missing.length)
      throw new Error(`De database bevat bronnen van een soort zonder collector: ${missing.join(', ')}`);
    return conn;
  } catch (err) {
    await conn.close();
    throw err;
  }
}

export function onShutdown(io: Io, fn: () => Promise<void>) {
  let started = false;
  const handler = (signal: string) => {
    if (started) return;
    started = true;
    io.stderr.write(`\n${signal} ontvangen, Klankbord stopt…\n`);
    fn().then(
      () => process.exit(0),
      (err) => {
        io.stderr.write(`Fout bij stoppen: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}

export function fetchOptions(io: Io, extraAllow: string[] = []): FetchOptions {
  const cfg = parseConfig(io.env);
  return { allow: [...cfg.KLANKBORD_FETCH_ALLOW, ...extraAllow], userAgent: userAgent(cfg.KLANKBORD_CONTACT_URL) };
}

// Bluesky's Jetstream, when the installation turned it on (KLANKBORD_JETSTREAM_URL).
export function jetstreamSettings(io: Io): { url: string; collections: string[] } | undefined {
  const cfg = parseConfig(io.env);
  return cfg.KLANKBORD_JETSTREAM_URL
    ? { url: cfg.KLANKBORD_JETSTREAM_URL, collections: cfg.KLANKBORD_JETSTREAM_COLLECTIONS }
    : undefined;
}
