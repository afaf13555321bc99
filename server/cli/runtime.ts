import { config } from '../config.ts';
import { openDatabase, type OpenDatabase } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { sourceKindsInUse } from '../db/sources.ts';
import { sourceKinds } from '../../workers/collectors/registry.ts';
import { userAgent, type FetchOptions } from '../../workers/http/guardedFetch.ts';

// Opens the database (embedded or DATABASE_URL), applies migrations, and refuses to go on when the
// database holds a source kind that this version has no collector for.
export async function openReady(): Promise<OpenDatabase> {
  const conn = await openDatabase(config());
  try {
    await migrate(conn.db);
    const missing = (await sourceKindsInUse(conn.db)).filter((k) => !sourceKinds().includes(k));
    if (missing.length) throw new Error(`De database bevat bronnen van een soort zonder collector: ${missing.join(', ')}`);
    return conn;
  } catch (err) {
    await conn.close();
    throw err;
  }
}

export function onShutdown(fn: () => Promise<void>) {
  let started = false;
  const handler = (signal: string) => {
    if (started) return;
    started = true;
    process.stderr.write(`\n${signal} ontvangen, Klankbord stopt…\n`);
    fn().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`Fout bij stoppen: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}

export function fetchOptions(extraAllow: string[] = []): FetchOptions {
  return { allow: [...config().KLANKBORD_FETCH_ALLOW, ...extraAllow], userAgent: userAgent(config().KLANKBORD_CONTACT_URL) };
}
