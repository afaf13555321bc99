import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect, ensureDatabase } from '../../server/db/index.ts';
import { startEmbedded } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
import { APP_ROLE, ensureAppRole, grantAppRole } from '../../server/db/roles.ts';
import { ensureWebBuilt } from '../../server/web/build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    appRole: { user: string; password: string };
  }
}

export const TEMPLATE = 'klankbord_test_template';

// One PostgreSQL for the whole run (embedded, or DATABASE_URL's server). The schema is migrated
// once into a template database; every test file then gets its own copy of it.
export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-test-'));
    fs.chmodSync(dir, 0o711);
    const server = await startEmbedded(dir);
    adminUrl = server.url;
    stop = server.stop;
  }
  const client = connect(adminUrl, 1);
  const { sql } = await import('kysely');
  await sql.raw(`drop database if exists ${TEMPLATE} with (force)`).execute(client.db);
  await client.close();
  await ensureDatabase(adminUrl, TEMPLATE);
  const u = new URL(adminUrl);
  u.pathname = `/${TEMPLATE}`;
  const tpl = connect(u.toString(), 1);
  await migrate(tpl.db);
  // every test file works as the app's own least-privilege role, as the running app does
  const appPassword = crypto.randomBytes(18).toString('base64url');
  await ensureAppRole(tpl.db, APP_ROLE, appPassword);
  await grantAppRole(tpl.db, APP_ROLE);
  await tpl.close();
  await ensureWebBuilt();
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE);
  project.provide('appRole', { user: APP_ROLE, password: appPassword });
  return async () => {
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}
