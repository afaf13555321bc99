import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, inject } from 'vitest';
import { connect, type Connection } from '../../server/db/index.ts';

// A fresh database for the calling test file, copied from the migrated template, dropped afterwards.
export async function freshDatabase(): Promise<Connection> {
  const admin = connect(inject('adminUrl'), 1);
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  await sql.raw(`create database ${name} template ${inject('templateDb')}`).execute(admin.db);
  const u = new URL(inject('adminUrl'));
  u.pathname = `/${name}`;
  const conn = connect(u.toString(), 5);
  afterAll(async () => {
    await conn.close();
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
  });
  return conn;
}
