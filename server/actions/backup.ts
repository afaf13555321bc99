import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { audit } from '../db/audit.ts';
import { holdsData, loadBackup, openSnapshot } from '../db/backup.ts';
import type { Connection } from '../db/index.ts';
import { migrate, migrationFiles } from '../db/migrate.ts';
import {
  BackupFileError,
  END_OF_TABLE,
  FORMAT,
  FORMAT_VERSION,
  openBackup,
  trailer,
  verifyBackup,
  type BackupHeader,
} from './backupFile.ts';

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
export const appVersion = (): string => JSON.parse(fs.readFileSync(PACKAGE, 'utf8')).version;

export const totalRows = (h: BackupHeader) => h.tables.reduce((n, t) => n + t.rows, 0);

// Writes the whole database to file: gzip, mode 0600 (personal data and sealed secrets), under a
// temporary name that is renamed only when everything is on disk, so a file with the final name is
// always complete.
export async function createBackup(conn: Connection, file: string, actor: string): Promise<BackupHeader> {
  const snapshot = await openSnapshot(conn.url);
  const header: BackupHeader = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    appVersion: appVersion(),
    createdAt: new Date().toISOString(),
    migrations: snapshot.migrations,
    tables: snapshot.tables,
  };
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const gzip = zlib.createGzip();
    const written = pipeline(gzip, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    written.catch(() => {}); // awaited below; a write error also ends the pipeline above it
    const put = async (text: string | Buffer) => {
      if (!gzip.write(text)) await once(gzip, 'drain');
    };
    await put(JSON.stringify(header) + '\n');
    for (const t of snapshot.tables) {
      const rows = snapshot.copyOut(t);
      for await (const chunk of rows) await put(chunk);
      if (rows.rowCount !== t.rows)
        throw new Error(`Tabel ${t.name}: ${rows.rowCount} rijen gelezen, ${t.rows} geteld.`);
      await put(END_OF_TABLE + '\n');
    }
    gzip.end(trailer(header) + '\n');
    await written;
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    await snapshot.close();
  }
  await audit(conn.db, {
    actor,
    action: 'backup.created',
    targetType: 'backup',
    details: { file: path.resolve(file), tables: header.tables.length, rows: totalRows(header) },
  });
  return header;
}

// The backup's migrations must be the first ones of this version: then its rows fit the schema
// those migrations make, and the rest of this version's migrations bring them up to date.
function checkMigrations(header: BackupHeader, known = migrationFiles()) {
  const unknown = header.migrations.filter((m) => !known.includes(m));
  if (unknown.length)
    throw new BackupFileError(
      `Deze back-up komt van een nieuwere Klankbord (${header.appVersion}) met migraties die deze versie niet kent: ${unknown.join(', ')}. Werk Klankbord eerst bij; er is niets hersteld.`,
    );
  if (header.migrations.some((m, i) => known[i] !== m))
    throw new BackupFileError(
      `De migraties in deze back-up passen niet bij deze Klankbord-versie (${appVersion()}); er is niets hersteld.`,
    );
}

export class RestoreRefused extends Error {}

export type Restored = { header: BackupHeader; migrated: string[] };

// Replaces the database by the backup: refused while the database holds a board or user unless
// replace is set; the file is read through once first, so a damaged one changes nothing.
export async function restoreBackup(
  conn: Connection,
  file: string,
  opts: { replace: boolean; actor: string },
): Promise<Restored> {
  const header = await verifyBackup(file);
  checkMigrations(header);
  if (!opts.replace && (await holdsData(conn.db)))
    throw new RestoreRefused(
      'De database bevat al gegevens (besturen of gebruikers). Herstellen vervangt alles wat erin staat; geef --yes als dat de bedoeling is. Er is niets veranderd.',
    );
  const reader = await openBackup(file);
  try {
    await loadBackup(conn.url, header, async (t, sink) => {
      await reader.readTable(t, sink);
    });
  } finally {
    reader.close();
  }
  const migrated = await migrate(conn.db);
  await audit(conn.db, {
    actor: opts.actor,
    action: 'backup.restored',
    targetType: 'backup',
    details: {
      file: path.resolve(file),
      createdAt: header.createdAt,
      appVersion: header.appVersion,
      rows: totalRows(header),
      migrated,
    },
  });
  return { header, migrated };
}
