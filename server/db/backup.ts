import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo, type CopyToStreamQuery } from 'pg-copy-streams';
import type { DB } from './index.ts';
import { MIGRATION_LOCK, MIGRATIONS_TABLE, readMigration } from './migrate.ts';

// The SQL side of `klankbord backup` and `restore`: every table's rows as COPY text, read in one
// snapshot and loaded back in one transaction. The file around it is server/actions/backupFile.ts.

export type TableDump = { name: string; columns: string[]; rows: number };
type ForeignKey = { child: string; parent: string; name: string; definition: string };

const tablesQuery = `
  select c.relname::text as name,
    array(select a.attname::text from pg_attribute a
          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
          order by a.attnum) as columns
  from pg_class c
  where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
  order by 1`;

const foreignKeysQuery = `
  select ch.relname::text as child, pa.relname::text as parent, k.conname::text as name,
    pg_get_constraintdef(k.oid) as definition
  from pg_constraint k join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
  where k.contype = 'f' and k.connamespace = current_schema()::regnamespace and k.conparentid = 0
  order by 1, 3`;

// Parents before children; a table in a cycle comes after what it can, and restore then adds the
// foreign keys that point forward only after all rows are in.
export function parentsFirst(tables: string[], keys: ForeignKey[]): string[] {
  const order: string[] = [];
  const pending = new Set(tables);
  while (pending.size) {
    const ready = [...pending].filter((t) =>
      keys.every((k) => k.child !== t || k.parent === t || !pending.has(k.parent)),
    );
    const next = ready.length ? ready : [[...pending][0]];
    for (const t of next) (order.push(t), pending.delete(t));
  }
  return order;
}

export type Snapshot = {
  migrations: string[];
  tables: TableDump[];
  copyOut: (table: TableDump) => CopyToStreamQuery;
  close: () => Promise<void>;
};

// A read-only REPEATABLE READ transaction: the counts and every table's rows are one moment's,
// while the app goes on writing.
export async function openSnapshot(url: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const id = (name: string) => client.escapeIdentifier(name);
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows: found } = await client.query<{ ok: boolean }>(
      `select to_regclass('schema_migrations') is not null as ok`,
    );
    if (!found[0].ok) throw new Error('Deze database is nog niet ingericht (geen migraties); er is niets te bewaren.');
    const migrations = (await client.query<{ name: string }>('select name from schema_migrations order by name')).rows;
    const all = (await client.query<{ name: string; columns: string[] }>(tablesQuery)).rows.filter(
      (t) => t.name !== 'schema_migrations',
    );
    const keys = (await client.query<ForeignKey>(foreignKeysQuery)).rows;
    const tables: TableDump[] = [];
    for (const name of parentsFirst(
      all.map((t) => t.name),
      keys,
    )) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${id(name)}`);
      tables.push({ name, columns: all.find((t) => t.name === name)!.columns, rows: Number(rows[0].n) });
    }
    return {
      migrations: migrations.map((m) => m.name),
      tables,
      // why: a partitioned table (mentions, sql/0040) is read only through a query, not COPY of the table
      copyOut: (t) =>
        client.query(copyTo(`copy (select ${t.columns.map(id).join(', ')} from ${id(t.name)}) to stdout`)),
      close: async () => {
        await client.query('commit').catch(() => {});
        await client.end();
      },
    };
  } catch (err) {
    await client.end();
    throw err;
  }
}

// Whether a restore would replace anything: the database has a board (or a user) in it.
export async function holdsData(db: DB): Promise<boolean> {
  const { rows } = await sql<{ boards: boolean }>`select to_regclass('boards') is not null as boards`.execute(db);
  if (!rows[0].boards) return false;
  const any = await sql`select 1 from boards union all select 1 from users limit 1`.execute(db);
  return any.rows.length > 0;
}

export type LoadPlan = { migrations: string[]; tables: TableDump[] };

// In one transaction: drop this schema's tables and functions, run the backup's migrations, load
// every table with COPY (fill writes its rows into the sink), set identity sequences past the
// highest id. Either all of it happens or nothing does. The migrations make the partitions of mentions
// as of the restore (sql/0040): a post from an earlier month goes back into the legacy partition.
export async function loadBackup(
  url: string,
  plan: LoadPlan,
  fill: (table: TableDump, sink: Writable) => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const id = (name: string) => client.escapeIdentifier(name);
  try {
    await client.query('begin');
    // why: a running Klankbord holds locks on these tables; fail with a message instead of waiting forever
    await client.query(`set local lock_timeout = '10s'`);
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const tables = (await client.query<{ name: string }>(tablesQuery)).rows.map((t) => t.name);
    if (tables.length) await client.query(`drop table ${tables.map(id).join(', ')} cascade`);
    const functions = await client.query<{ f: string }>(
      // extensions' own functions (pg_trgm) stay with their extension
      `select p.oid::regprocedure::text as f from pg_proc p where p.pronamespace = current_schema()::regnamespace
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
    );
    for (const { f } of functions.rows) await client.query(`drop function ${f} cascade`);
    await client.query(MIGRATIONS_TABLE);
    for (const file of plan.migrations) {
      await client.query(readMigration(file));
      await client.query('insert into schema_migrations (name) values ($1)', [file]);
    }

    const position = new Map(plan.tables.map((t, i) => [t.name, i]));
    // why: foreign keys are checked at the end of each COPY, so a table may point at itself in any
    // order; only one pointing at a table loaded later (a cycle) waits until all rows are in.
    const forward = (await client.query<ForeignKey>(foreignKeysQuery)).rows.filter(
      (k) => (position.get(k.parent) ?? Infinity) > (position.get(k.child) ?? Infinity),
    );
    for (const k of forward) await client.query(`alter table ${id(k.child)} drop constraint ${id(k.name)}`);
    // why: the rows go back exactly as they were saved; the triggers that keep queues and rollups
    // current (sql/0027, 0030, 0031) would add rows of their own while loading
    for (const t of plan.tables) await client.query(`alter table ${id(t.name)} disable trigger user`);
    for (const t of plan.tables) {
      const sink = client.query(copyFrom(`copy ${id(t.name)} (${t.columns.map(id).join(', ')}) from stdin`));
      const filled = fill(t, sink).catch((err) => {
        sink.destroy(err); // sends CopyFail, so the connection is free for the rollback
        throw err;
      });
      await Promise.all([filled, finished(sink)]);
      if (sink.rowCount !== t.rows)
        throw new Error(`Tabel ${t.name}: ${sink.rowCount} rijen geladen, ${t.rows} verwacht.`);
    }
    for (const k of forward)
      await client.query(`alter table ${id(k.child)} add constraint ${id(k.name)} ${k.definition}`);
    for (const t of plan.tables) await client.query(`alter table ${id(t.name)} enable trigger user`);

    // identity columns, and a column that owns its sequence (mentions.id, sql/0040)
    const identities = await client.query<{ t: string; c: string }>(
      `select c.relname::text as t, a.attname::text as c from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relnamespace = current_schema()::regnamespace and not c.relispartition and a.attnum > 0
         and not a.attisdropped
         and (a.attidentity <> '' or pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null)`,
    );
    for (const { t, c } of identities.rows)
      await client.query(
        `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${id(c)}) from ${id(t)}), 0) + 1, false)`,
        [id(t), c],
      );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
