import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { generateSchema } from '../../server/db/codegen.ts';
import { freshDatabase } from '../support/db.ts';

// The table types are generated from the migrated schema: a migration without `npm run db:types`
// fails here, so the types the code compiles against are the tables the database has.
const { db } = await freshDatabase();

test('server/db/generated.ts is what the migrated schema generates', async () => {
  const committed = fs.readFileSync(path.resolve(import.meta.dirname, '../../server/db/generated.ts'), 'utf8');
  expect(await generateSchema(db), 'run `npm run db:types` after a migration').toBe(committed);
});
