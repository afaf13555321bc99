import fs from 'node:fs';
import { pipeline, type Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import zlib from 'node:zlib';
import type { TableDump } from '../db/backup.ts';

// A .kbbackup file is gzip around lines of text: a JSON header, then for each table of the header
// its rows as PostgreSQL COPY text (one row per line; tabs, newlines and backslashes escaped, so a
// row never spans lines) closed by a line "\.", then a JSON trailer. Rows are streamed both ways;
// no table is ever held in memory.

export const FORMAT = 'klankbord-backup';
export const FORMAT_VERSION = 1;
export const END_OF_TABLE = '\\.';

export type BackupHeader = {
  format: typeof FORMAT;
  formatVersion: number;
  appVersion: string;
  createdAt: string;
  migrations: string[];
  tables: TableDump[];
};

export const trailer = (h: BackupHeader) => JSON.stringify({ end: FORMAT, tables: h.tables.length });

export class BackupFileError extends Error {}

const damaged = (file: string) =>
  new BackupFileError(`${file} is beschadigd of afgekapt (onvolledig gekopieerd?); er is niets hersteld.`);
const notABackup = (file: string) =>
  new BackupFileError(`${file} is geen Klankbord-back-up (verkeerd formaat); er is niets hersteld.`);

async function* lines(file: string, stream: Readable): AsyncGenerator<string> {
  let rest = '';
  try {
    for await (const chunk of stream) {
      const parts = (rest + (chunk as string)).split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw damaged(file);
    throw err;
  }
  if (rest) throw damaged(file); // every line, the trailer too, ends with a newline
}

export type BackupReader = {
  header: BackupHeader;
  // Writes the next table's rows into sink (and ends it), or only counts them without a sink.
  readTable: (table: TableDump, sink?: Writable) => Promise<number>;
  // The trailer, then the end of the file.
  finish: () => Promise<void>;
  close: () => void;
};

export async function openBackup(file: string): Promise<BackupReader> {
  const fd = await fs.promises.open(file, 'r');
  const magic = Buffer.alloc(2);
  await fd.read(magic, 0, 2, 0);
  await fd.close();
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw notABackup(file);

  const gunzip = zlib.createGunzip();
  pipeline(fs.createReadStream(file), gunzip, () => {}); // an error surfaces where the lines are read
  gunzip.setEncoding('utf8');
  const it = lines(file, gunzip)[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    if (r.done) throw damaged(file);
    return r.value;
  };

  const first = await next();
  let header: BackupHeader;
  try {
    header = JSON.parse(first);
  } catch {
    throw notABackup(file);
  }
  if (header?.format !== FORMAT || !Array.isArray(header.tables) || !Array.isArray(header.migrations))
    throw notABackup(file);
  if (header.formatVersion > FORMAT_VERSION)
    throw new BackupFileError(
      `${file} heeft een nieuwer back-upformaat (${header.formatVersion}) dan deze Klankbord kent (${FORMAT_VERSION}); werk Klankbord eerst bij.`,
    );

  return {
    header,
    async readTable(table, sink) {
      let count = 0;
      let batch: string[] = [];
      let size = 0;
      const flush = async () => {
        if (sink && batch.length && !sink.write(batch.join(''))) await once(sink, 'drain');
        batch = [];
        size = 0;
      };
      for (let line = await next(); line !== END_OF_TABLE; line = await next()) {
        count++;
        if (!sink) continue;
        batch.push(line + '\n');
        size += line.length;
        if (size > 64 * 1024) await flush();
      }
      await flush();
      sink?.end();
      if (count !== table.rows) throw damaged(file);
      return count;
    },
    async finish() {
      if ((await next()) !== trailer(header)) throw damaged(file);
      if (!(await it.next()).done) throw damaged(file);
    },
    close: () => gunzip.destroy(),
  };
}

// Reads the whole file once — every table's rows against the header's counts, and the trailer —
// so that a damaged file is refused before the database is touched.
export async function verifyBackup(file: string): Promise<BackupHeader> {
  const reader = await openBackup(file);
  try {
    for (const t of reader.header.tables) await reader.readTable(t);
    await reader.finish();
    return reader.header;
  } finally {
    reader.close();
  }
}
