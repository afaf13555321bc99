import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, inject } from 'vitest';
import { connect, type Connection } from '../../server/db/index.ts';

// A fresh database for the calling test file, copied from the migrated template, dropped afterwards.
// The connection is the app's least-privilege role (server/db/roles.ts); `adminUrl` is the owner's.
export async function freshDatabase(): Promise<Connection & { adminUrl: string }> {
  const admin = connect(inject('adminUrl'), 1);
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  await sql.raw(`create database ${name} template ${inject('templateDb')}`).execute(admin.db);
  const owner = new URL(inject('adminUrl'));
  owner.pathname = `/${name}`;
  const app = new URL(owner);
  app.username = inject('appRole').user;
  app.password = inject('appRole').password;
  const conn = connect(app.toString(), 5);
  afterAll(async () => {
    await conn.close();
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
  });
  return { ...conn, adminUrl: owner.toString() };
}
