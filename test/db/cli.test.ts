import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { freshDatabase } from '../support/db.ts';
import { fixtureServer } from '../support/fixtureServer.ts';
import { runCli, runCliInProcess } from '../support/cli.ts';

const conn = await freshDatabase();
const db = conn.db;
const url = conn.url;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-cli-'));
let srv: Awaited<ReturnType<typeof fixtureServer>>;
beforeAll(async () => {
  srv = await fixtureServer({
    '/feed.xml': (_q, r) =>
      r.writeHead(200).end(`<rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><title>=HYPERLINK("x")</title><description>Mooie dag op De Meander, bel 0612345678</description></item>
<item><guid>2</guid><description>Jozefschool zoekt overblijfouders, "dringend"</description></item>
<item><guid>3</guid><description>Niets hier</description></item></channel></rss>`),
    '/site.html': (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><link rel="alternate" type="application/atom+xml" title="Berichten" href="/feed.xml"></head></html>',
        ),
    '/api/v1/timelines/tag/obsmeander': (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify([
          {
            id: '1',
            uri: 'https://m.example/s/1',
            url: 'https://m.example/@a/1',
            created_at: '2026-11-20T10:00:00Z',
            content: '<p>Hoi De Meander</p>',
            account: { acct: 'a' },
          },
        ]),
      ),
  });
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const boardYaml = () => `board: { slug: edu-ley, name: Edu-Ley, policy: edu-ley }
schools:
  - slug: meander
    name: obs De Meander
    aliases: ["De Meander"]
    facts: ["De ouderbijdrage is vrijwillig."]
  - slug: jozef
    name: St. Jozefschool
    aliases: ["Jozefschool"]
sources:
  - { kind: rss, url: "${srv.base}/feed.xml", name: Lokaal }
`;

// The commands run in-process through main(argv, io); three runs go through the real binary
// (bin/klankbord.js): the overview, an unknown command, and migrate against the database.
describe('klankbord CLI', () => {
  test('every command has --help', async () => {
    const cmds = [
      'start',
      'server',
      'worker',
      'migrate',
      'import',
      'export-config',
      'user',
      'collect',
      'export-mentions',
      'classify',
      'match',
      'fetch-source',
      'parse-feed',
    ];
    const results = await Promise.all(cmds.map((cmd) => runCliInProcess([cmd, '--help'])));
    cmds.forEach((cmd, i) => {
      expect(results[i].code, cmd).toBe(0);
      expect(results[i].stdout, cmd).toContain(`klankbord ${cmd}`);
    });
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('export-mentions');
    expect((await runCli(['bestaat-niet'])).code).toBe(2);
  });

  test('migrate reports an up-to-date database', async () => {
    const r = await runCli(['migrate'], { databaseUrl: url });
    expect(r.stdout).toContain('al bijgewerkt');
  });

  test('import refuses an invalid file, names the line and changes nothing', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      boardYaml().replace('kind: rss', 'kind: tiktok').replace('    facts:', '    kleur: rood\n    facts:'),
    );
    const r = await runCliInProcess(['import', file], { databaseUrl: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/regel 6: .*onbekende sleutel \(kleur\)/);
    expect(r.stderr).toMatch(/regel 12: onbekende bronsoort "tiktok"/);
    expect(await db.selectFrom('boards').selectAll().execute()).toEqual([]);
  });

  test('import creates a board, and importing again changes nothing new', async () => {
    const file = path.join(dir, 'board.yaml');
    fs.writeFileSync(file, boardYaml());
    const first = await runCliInProcess(['import', file], { databaseUrl: url });
    expect(first.stdout).toContain('aangemaakt: scholen 2 nieuw');
    const second = await runCliInProcess(['import', file], { databaseUrl: url });
    expect(second.stdout).toContain('bijgewerkt: scholen 0 nieuw, 2 bijgewerkt; bronnen 0 nieuw, 1 bijgewerkt');
    expect(await db.selectFrom('schools').select('id').execute()).toHaveLength(2);
    expect(await db.selectFrom('sources').select('id').execute()).toHaveLength(1);
  });

  test('export-config writes the same format back', async () => {
    const r = await runCliInProcess(['export-config', '--board', 'edu-ley'], { databaseUrl: url });
    expect(r.code).toBe(0);
    const again = path.join(dir, 'exported.yaml');
    fs.writeFileSync(again, r.stdout);
    expect(r.stdout).toContain('De ouderbijdrage is vrijwillig.');
    expect((await runCliInProcess(['import', again], { databaseUrl: url })).code).toBe(0);
    expect((await runCliInProcess(['export-config', '--board', 'nope'], { databaseUrl: url })).stderr).toContain(
      'bestaat niet',
    );
  });

  test('export-config --with-secrets writes a file only its owner can read, and says so in the audit log', async () => {
    const file = path.join(dir, 'secrets.yaml');
    const r = await runCliInProcess(['export-config', '--board', 'edu-ley', '--with-secrets', '--out', file], {
      databaseUrl: url,
    });
    expect(r.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const logged = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'export.config_with_secrets')
      .execute();
    expect(logged).toEqual([{ action: 'export.config_with_secrets', details: { file } }]);
  });

  test('export-config --with-secrets over an existing file readable by others makes it owner-only first', async () => {
    const file = path.join(dir, 'bestaand.yaml');
    fs.writeFileSync(file, 'oud\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const r = await runCliInProcess(['export-config', '--board', 'edu-ley', '--with-secrets', '--out', file], {
      databaseUrl: url,
    });
    expect(r.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain('board:');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('user add creates a user with a hashed password read from stdin, and audits it', async () => {
    const r = await runCliInProcess(
      ['user', 'add', '--board', 'edu-ley', '--email', 'Anna@School.nl', '--role', 'directie', '--school', 'meander'],
      { databaseUrl: url, input: 'een-lang-wachtwoord\n' },
    );
    expect(r.stdout).toContain('anna@school.nl (directie) aangemaakt');
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'anna@school.nl')
      .executeTakeFirstOrThrow();
    expect(user.all_schools).toBe(false);
    expect(await verifyPassword('een-lang-wachtwoord', user.password_hash)).toBe(true);
    expect(
      await db.selectFrom('audit_log').select('action').where('action', '=', 'user.create').execute(),
    ).toHaveLength(1);
  });

  test('user add refuses a short password, an unknown role, school or board', async () => {
    const base = ['user', 'add', '--board', 'edu-ley', '--email', 'b@school.nl'];
    expect(
      (await runCliInProcess([...base, '--role', 'directie'], { databaseUrl: url, input: 'kort\n' })).stderr,
    ).toContain('minstens 10');
    expect((await runCliInProcess([...base, '--role', 'koning'], { databaseUrl: url })).stderr).toContain(
      'Onbekende rol',
    );
    expect(
      (
        await runCliInProcess([...base, '--role', 'privacy', '--school', 'elders'], {
          databaseUrl: url,
          input: 'een-lang-wachtwoord\n',
        })
      ).stderr,
    ).toContain('elders');
    expect(
      (
        await runCliInProcess(['user', 'add', '--board', 'x', '--email', 'c@s.nl', '--role', 'beheer'], {
          databaseUrl: url,
        })
      ).stderr,
    ).toContain('bestaat niet');
    expect(await db.selectFrom('users').select('id').where('email', '=', 'b@school.nl').execute()).toEqual([]);
  });

  test('collect --once --all runs the whole pipeline once', async () => {
    const r = await runCliInProcess(['collect', '--once', '--all'], {
      databaseUrl: url,
      env: { KLANKBORD_FETCH_ALLOW: srv.hostPort },
    });
    expect(r.stdout).toContain('1 bron(nen) opgehaald, 2 nieuwe vermelding(en)');
    const again = await runCliInProcess(['collect', '--once', '--all'], {
      databaseUrl: url,
      env: { KLANKBORD_FETCH_ALLOW: srv.hostPort },
    });
    expect(again.stdout).toContain('0 nieuwe');
  });

  test('collect refuses a loopback feed that is not allow-listed and records why', async () => {
    await runCliInProcess(['collect', '--once', '--all'], { databaseUrl: url });
    const s = await db.selectFrom('sources').select(['last_error', 'error_count']).executeTakeFirstOrThrow();
    expect(s.last_error).toContain('intern of privé');
  });

  test('export-mentions writes JSON lines and CSV safe for spreadsheets, and audits the export', async () => {
    const jsonl = await runCliInProcess(['export-mentions', '--format', 'jsonl'], { databaseUrl: url });
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ source: { kind: 'rss' }, sentiment: { label: expect.any(String) } });
    const csv = await runCliInProcess(['export-mentions', '--format', 'csv', '--since', '2000-01-01'], {
      databaseUrl: url,
    });
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'id,published_at,schools,source_kind,source_name,url,title,text,author,language,sentiment,sentiment_score,risks',
    );
    expect(csv.stdout).toContain(`'=HYPERLINK`);
    expect(csv.stdout).toContain('"Jozefschool zoekt overblijfouders, ""dringend"""');
    expect((await runCliInProcess(['export-mentions', '--format', 'xml'], { databaseUrl: url })).code).toBe(2);
    expect(
      (await runCliInProcess(['export-mentions', '--format', 'csv', '--since', 'gisteren'], { databaseUrl: url }))
        .stderr,
    ).toContain('Ongeldige datum');
    const audits = await db.selectFrom('audit_log').select('details').where('action', '=', 'export.mentions').execute();
    expect(audits).toHaveLength(2);
  });

  test('classify reads JSON lines and answers each, errors included', async () => {
    const r = await runCliInProcess(['classify'], {
      input: '{"id":"1","text":"Wat een fantastische school"}\nkapot\n{"id":2,"text":"Mail naar a@b.nl"}\n',
    });
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['1', null, 2]);
    expect(out[1].error).toBeTruthy();
    expect(out[2].risks[0].subtype).toBe('email');
  });
});

describe('feed tools', () => {
  test('parse-feed prints the normalised items of a feed file', async () => {
    const r = await runCliInProcess(['parse-feed', 'test/fixtures/rss/rss2.xml', '--base', 'https://example.nl/']);
    const items = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(items.map((i) => i.url)).toEqual(['https://example.nl/nieuws/1', 'https://example.nl/nieuws/2']);
    expect(items[0]).toMatchObject({
      externalId: 'nieuws-1',
      title: 'Schoolreis De Meander & Artis',
      author: 'Juf Anna',
    });
    expect((await runCliInProcess(['parse-feed', 'bestaat/niet.xml'])).stderr).toContain(
      'Kan bestaat/niet.xml niet lezen',
    );
  });

  test('match says which schools each line is about, from a board file, without a database', async () => {
    const board = path.join(dir, 'match-board.yaml');
    fs.writeFileSync(
      board,
      `board:\n  slug: edu-ley\n  name: Edu-Ley\n  exclusions: '"Meander Medisch Centrum" OR MMC'\nschools:\n  - { slug: meander, name: obs De Meander, place: Amersfoort }\n  - { slug: scala, name: Scala College, query: 'Scala NEAR/3 (college OR leerlingen) -opera' }\n`,
    );
    const input = [
      '{"id":1,"text":"Juf Anna van De Meander leest voor"}',
      '{"id":"2","title":"Scala-leerlingen winnen","text":"debat"}',
      'kapot',
      '{"id":3,"text":"Meander Medisch Centrum zoekt een juf"}',
      '{"id":4,"text":"Scala opera met leerlingen"}',
    ].join('\n');
    const r = await runCliInProcess(['match', '--board', board], { input });
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({
      id: 1,
      schools: [
        {
          slug: 'meander',
          spans: [
            { field: 'text', start: 0, end: 3 },
            { field: 'text', start: 13, end: 23 },
          ],
        },
      ],
    });
    expect(out[1]).toMatchObject({
      id: '2',
      schools: [
        {
          slug: 'scala',
          spans: [
            { field: 'title', start: 0, end: 5 },
            { field: 'title', start: 6, end: 16 },
          ],
        },
      ],
    });
    expect(out[2]).toEqual({ id: null, error: 'Ongeldige JSON op deze regel' });
    expect(out[3]).toEqual({ id: 3, schools: [] });
    expect(out[4]).toEqual({ id: 4, schools: [] });
    fs.appendFileSync(board, "  - { slug: kapot, name: Kapot, query: '(juf AND meester' }\n");
    const bad = await runCliInProcess(['match', '--board', board], { input: '{"id":1,"text":"x"}' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('zoekopdracht van kapot: Haakje niet gesloten bij positie 1');
    expect(bad.stdout).toBe('');
  });

  test('fetch-source shows what a source would yield without storing anything', async () => {
    const r = await runCliInProcess(['fetch-source', 'rss', `${srv.base}/feed.xml`], {
      env: { KLANKBORD_FETCH_ALLOW: srv.hostPort },
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain('3 bericht(en)');
    const refused = await runCliInProcess(['fetch-source', 'rss', `${srv.base}/feed.xml`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('intern of privé');
    expect((await runCliInProcess(['fetch-source', 'myspace', 'x'])).stderr).toContain('kies uit rss');
  });

  test('fetch-source takes JSON settings for kinds that need several, and names the feeds of a web page', async () => {
    const env = { env: { KLANKBORD_FETCH_ALLOW: srv.hostPort } };
    const tag = await runCliInProcess(
      ['fetch-source', 'mastodon_tag', JSON.stringify({ instance: srv.base, tag: 'obsmeander' })],
      env,
    );
    expect(tag.code).toBe(0);
    expect(JSON.parse(tag.stdout.trim())).toMatchObject({ text: 'Hoi De Meander', handle: '@a' });
    const needsJson = await runCliInProcess(['fetch-source', 'mastodon_tag', 'obsmeander'], env);
    expect(needsJson.stderr).toContain('geef ze als JSON (instance, tag, token?)');
    const page = await runCliInProcess(['fetch-source', 'rss', `${srv.base}/site.html`], env);
    expect(page.code).toBe(1);
    expect(page.stderr).toContain(`${srv.base}/feed.xml  (Berichten)`);
  });
});
