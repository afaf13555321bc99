import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { connect } from '../../server/db/index.ts';
import { recentCases, recentCasesOfSchools } from '../../server/db/caseFiling.ts';
import { migrate, migrationFiles, readMigration } from '../../server/db/migrate.ts';
import { OPEN_STATES } from '../../workers/cases/assign.ts';
import { processItems } from '../../workers/pipeline.ts';
import { caseOfPost, eduLeyFixture, forumItem } from '../support/seed.ts';

// Issue 18 (sql/0050): a case's thread and story keys are rows of case_thread_keys. Filing a batch
// reads only the keys the batch brings and adds only the new ones; the whole list used to be read
// and written back at every batch that touched the case.
const { conn, db, source, meander } = await eduLeyFixture();
const NOW = new Date('2026-05-20T12:00:00Z');
const minutesBefore = (m: number) => new Date(NOW.getTime() - m * 60_000);
const angry = (n: number) =>
  `Reactie ${n}: de ouderbijdrage op De Meander is schandalig hoog, slecht geregeld en niemand legt het uit.`;
const keysOf = async (caseId: string) =>
  (await db.selectFrom('case_thread_keys').select('key').where('case_id', '=', caseId).orderBy('key').execute()).map(
    (k) => k.key,
  );
const caseOf = (ext: string) => caseOfPost(db, ext);

test('a thread of posts is one case with a key per post; a batch reads only the keys it brings', async () => {
  // 30 replies in one forum thread, in three batches
  for (let b = 0; b < 3; b++)
    await processItems(
      db,
      source,
      Array.from({ length: 10 }, (_, i) => ({
        ...forumItem(`thread-${b * 10 + i}`, angry(b * 10 + i), minutesBefore(300 - b * 10 - i)),
        threadId: 'ouderbijdrage',
      })),
      { now: NOW, schoolIds: [meander] },
    );
  const caseId = (await caseOf('thread-0'))!;
  expect(caseId).toBeDefined();
  expect(await caseOf('thread-29')).toBe(caseId);
  const keys = await keysOf(caseId);
  expect(keys).toContain('t:ouderbijdrage');
  expect(keys).toEqual(expect.arrayContaining(['m:thread-0', 'm:thread-29']));
  // each post's own and its story's key, and the thread's two
  expect(keys.filter((k) => k.startsWith('m:thread-')).length).toBe(30);
  expect(keys.filter((k) => k.startsWith('s:')).length).toBe(30);
  expect(keys.length).toBe(62);

  // what the filing reads: of the case's 62 keys only those the posts being filed have
  const batch = await recentCasesOfSchools(db, [meander], ['concern'], OPEN_STATES, ['t:ouderbijdrage', 'm:other']);
  expect(batch.find((c) => c.id === caseId)?.thread_keys).toEqual(['t:ouderbijdrage']);
  const one = await recentCases(db, meander, 'concern', OPEN_STATES, ['m:thread-3', 'm:nope']);
  expect(one.find((c) => c.id === caseId)?.thread_keys).toEqual(['m:thread-3']);
  expect(
    (await recentCases(db, meander, 'concern', OPEN_STATES, [])).find((c) => c.id === caseId)?.thread_keys,
  ).toEqual([]);

  // a reply in the thread, on another topic, joins by its key and adds only its own
  await processItems(
    db,
    source,
    [
      {
        ...forumItem(
          'thread-late',
          'Wat een slechte parkeerplaats bij De Meander, echt belachelijk.',
          minutesBefore(5),
        ),
        threadId: 'ouderbijdrage',
      },
    ],
    { now: NOW, schoolIds: [meander] },
  );
  expect(await caseOf('thread-late')).toBe(caseId);
  const late = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', 'thread-late')
    .executeTakeFirstOrThrow();
  expect(await keysOf(caseId)).toEqual([...keys, 'm:thread-late', `s:${late.id}`].sort());
});

test('a database migrated with cases in it keeps every case’s keys', async () => {
  const name = `t_keys_${crypto.randomBytes(4).toString('hex')}`;
  const admin = connect(conn.adminUrl, 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(conn.adminUrl);
  url.pathname = `/${name}`;
  const old = connect(url.toString(), 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-0049-'));
  try {
    for (const f of migrationFiles().filter((f) => f < '0050')) fs.writeFileSync(path.join(dir, f), readMigration(f));
    await migrate(old.db, dir);
    const ids = (
      await sql<{ id: string }>`with b as (insert into boards (slug, name) values ('oud', 'Oud') returning id),
          s as (insert into schools (board_id, slug, name) select id, 'school', 'School' from b returning id, board_id)
        insert into cases (board_id, school_id, kind, severity, policy, due_at, last_mention_at, thread_keys)
        select board_id, id, 'concern', 'medium', 'edu-ley', '2026-05-01', '2026-05-01', k
        from s, (values (array['m:1', 't:a', 'm:1']), ('{}'::text[])) as v(k)
        returning id`.execute(old.db)
    ).rows.map((r) => r.id);

    await migrate(old.db);
    const rows = await sql<{ case_id: string; key: string }>`
      select case_id, key from case_thread_keys order by case_id, key`.execute(old.db);
    expect(rows.rows).toEqual([
      { case_id: ids[0], key: 'm:1' },
      { case_id: ids[0], key: 't:a' },
    ]);
    const column = await sql`select 1 from information_schema.columns
      where table_name = 'cases' and column_name = 'thread_keys'`.execute(old.db);
    expect(column.rows).toEqual([]);
    // the keys go with their case
    await sql`delete from cases where id = ${ids[0]}`.execute(old.db);
    expect((await sql`select 1 from case_thread_keys`.execute(old.db)).rows).toEqual([]);
  } finally {
    await old.close();
    await sql.raw(`drop database ${name}`).execute(admin.db);
    await admin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
