import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSchema } from './codegen.ts';
import { startEmbedded } from './embedded.ts';
import { connect, ensureDatabase } from './index.ts';
import { migrate } from './migrate.ts';

// `npm run db:types`: migrate a throwaway embedded PostgreSQL (or DATABASE_URL's server, into a
// scratch database) and write the table types to server/db/generated.ts.
const OUT = path.join(import.meta.dirname, 'generated.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-types-'));
fs.chmodSync(dir, 0o711);
const server = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, stop: async () => {} }
  : await startEmbedded(dir);
try {
  await ensureDatabase(server.url, 'klankbord_types');
  const u = new URL(server.url);
  u.pathname = '/klankbord_types';
  const conn = connect(u.toString(), 1);
  try {
    await migrate(conn.db);
    fs.writeFileSync(OUT, await generateSchema(conn.db));
    console.log(`Tabeltypen geschreven naar ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await conn.close();
  }
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
