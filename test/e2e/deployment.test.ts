import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { startEmbedded, type EmbeddedServer } from '../../server/db/embedded.ts';
import { BIN, runCli } from '../support/cli.ts';
import { fixtureServer } from '../support/fixtureServer.ts';

// Issue 18, the deployment of README → "Op grotere schaal": a PostgreSQL of its own with an owner
// and an app role made as an operator would, `klankbord migrate` as the owner, then one server and
// two workers as separate processes that know only the app role. One worker is killed mid-way and
// replaced; every item must be stored once, the discussion's cases not doubled, and the server must
// answer for all of it.
const FEEDS = 10;
const ITEMS = 24;
const SHARED = 'https://nieuws.example/meander-schoolplein'; // one story every feed carries
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klankbord-deploy-'));
fs.chmodSync(dir, 0o711);
const children = new Set<ChildProcess>();
let pgServer: EmbeddedServer | undefined;
let feeds: Awaited<ReturnType<typeof fixtureServer>> | undefined;

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await feeds?.close();
  await pgServer?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Half the posts at each school are one complaint (one discussion), half are good news (one bundle).
const item = (f: number, i: number) => {
  const at = new Date(Date.now() - (f * ITEMS + i) * 60_000).toUTCString();
  const text =
    i % 2
      ? `Ouders boos over pesten op het schoolplein van ${i % 4 === 1 ? 'De Meander' : 'de Jozefschool'}, melding ${f}-${i}`
      : `Wat een mooie musical van groep 8 van ${i % 4 === 0 ? 'De Meander' : 'de Jozefschool'}, trots op iedereen ${f}-${i}`;
  return `<item><guid>f${f}-i${i}</guid><link>https://nieuws.example/${f}/${i}</link><pubDate>${at}</pubDate><title>${text}</title><description>${text}</description></item>`;
};
const shared = `<item><guid>gedeeld</guid><link>${SHARED}</link><title>Ouders boos over pesten op het schoolplein van De Meander</title><description>Het schoolplein van De Meander is onveilig, zeggen ouders.</description></item>`;
const feedXml = (f: number) =>
  `<rss version="2.0"><channel><title>f${f}</title>${shared}${Array.from({ length: ITEMS }, (_, i) => item(f, i)).join('')}</channel></rss>`;
const TOTAL = FEEDS * (ITEMS + 1);

function spawnKlankbord(args: string[], databaseUrl: string, env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, ...env };
  delete childEnv.DATABASE_ADMIN_URL; // server and workers know only the app role
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { child, out: '' };
  child.stdout!.on('data', (d) => (proc.out += d));
  child.stderr!.on('data', (d) => (proc.out += d));
  children.add(child);
  child.once('exit', () => children.delete(child));
  return proc;
}

const logLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; worker?: string; newMentions?: number });
const storedBy = (out: string) =>
  logLines(out)
    .filter((l) => l.msg === 'collected')
    .reduce((n, l) => n + (l.newMentions ?? 0), 0);
const workerIdOf = (out: string) => logLines(out).find((l) => l.msg === 'worker started')?.worker;

test(
  'one server and two workers on the app role alone store every item once, with a worker killed mid-way',
  { timeout: 90_000 },
  async () => {
    // Slow answers, so that the work lasts long enough to kill a worker while it holds a feed; and a
    // gate the test closes, behind which a feed's answer waits until it is opened again.
    let gate: Promise<void> | null = null;
    let openGate = () => {};
    const waiting = new Set<string>(); // paths of the feeds whose answer waits at the gate
    const routes: Record<string, import('../support/fixtureServer.ts').Handler> = {};
    for (let f = 0; f < FEEDS; f++)
      routes[`/feed${f}.xml`] = (_q, r) => {
        const answer = () => setTimeout(() => r.writeHead(200).end(feedXml(f)), 400 + (f % 3) * 200);
        if (!gate) return answer();
        waiting.add(`/feed${f}.xml`);
        void gate.then(answer);
      };
    feeds = await fixtureServer(routes);

    // What an operator does once: a database with an owner that is no superuser, and the app role.
    pgServer = await startEmbedded(path.join(dir, 'pg'));
    const superuser = new pg.Client({ connectionString: pgServer.url });
    await superuser.connect();
    const ownerPw = crypto.randomBytes(18).toString('base64url');
    const appPw = crypto.randomBytes(18).toString('base64url');
    await superuser.query(`create role klankbord_owner login password '${ownerPw}'`);
    await superuser.query(`create role klankbord_app login password '${appPw}'`);
    await superuser.query(`create database klankbord owner klankbord_owner`);
    const url = (user: string, pw: string) => {
      const u = new URL(pgServer!.url);
      Object.assign(u, { username: user, password: pw, pathname: '/klankbord' });
      return u.toString();
    };
    const ownerUrl = url('klankbord_owner', ownerPw);
    const appUrl = url('klankbord_app', appPw);
    await superuser.end();
    // the checks below look at the database as the superuser, apart from what the app can do
    const su = new pg.Client({ connectionString: url(new URL(pgServer.url).username, new URL(pgServer.url).password) });
    await su.connect();
    su.on('error', () => {});

    const migrated = await runCli(['migrate'], { databaseUrl: appUrl, env: { DATABASE_ADMIN_URL: ownerUrl } });
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    const sources = Array.from(
      { length: FEEDS },
      (_, f) => `  - { kind: rss, url: "${feeds!.base}/feed${f}.xml", name: feed${f} }`,
    );
    const boardFile = path.join(dir, 'board.yaml');
    fs.writeFileSync(
      boardFile,
      [
        'board: { slug: edu-ley, name: Edu-Ley, policy: edu-ley }',
        'schools:',
        '  - { slug: meander, name: obs De Meander, aliases: ["De Meander"] }',
        '  - { slug: jozef, name: St. Jozefschool, aliases: ["Jozefschool"] }',
        'sources:',
        ...sources,
        '',
      ].join('\n'),
    );
    const imported = await runCli(['import', boardFile], { databaseUrl: appUrl });
    expect(imported.code, imported.stderr).toBe(0);
    const password = crypto.randomBytes(18).toString('base64url');
    const added = await runCli(
      ['user', 'add', '--board', 'edu-ley', '--email', 'beheer@edu-ley.test', '--role', 'beheer'],
      { databaseUrl: appUrl, input: `${password}\n` },
    );
    expect(added.code, added.stderr).toBe(0);

    const server = spawnKlankbord(['server'], appUrl, { PORT: '0', KLANKBORD_LOG_LEVEL: 'warn' });
    const workerArgs = ['worker', '--concurrency', '2', '--lease-seconds', '3', '--poll-ms', '100'];
    const workerEnv = { KLANKBORD_FETCH_ALLOW: feeds.hostPort, KLANKBORD_LOG_LEVEL: 'info' };
    const a = spawnKlankbord(workerArgs, appUrl, workerEnv);
    const b = spawnKlankbord(workerArgs, appUrl, workerEnv);

    // Kill worker A once it has stored something and holds a feed it cannot finish: once A has stored,
    // the gate closes, and A is killed while it holds the lease of a feed whose answer waits there.
    const leasesOf = async (owner: string | undefined) =>
      Number((await su.query('select count(*) as n from sources where lease_owner = $1', [owner])).rows[0].n);
    const stuck = async (owner: string | undefined) =>
      (await su.query<{ url: string }>('select url from sources where lease_owner = $1', [owner])).rows.some((r) =>
        waiting.has(new URL(r.url).pathname),
      );
    await expect.poll(() => storedBy(a.out) > 0, { timeout: 30_000, interval: 20 }).toBe(true);
    gate = new Promise<void>((r) => (openGate = r));
    await expect.poll(() => stuck(workerIdOf(a.out)), { timeout: 30_000, interval: 20 }).toBe(true);
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    const orphaned = await leasesOf(workerIdOf(a.out));
    openGate();
    const c = spawnKlankbord(workerArgs, appUrl, workerEnv);

    const count = async (q: string) => Number((await su.query(q)).rows[0].n);
    await expect
      .poll(() => count('select count(*) as n from mentions'), { timeout: 45_000, interval: 250 })
      .toBe(TOTAL);
    // the feeds A held when it died were finished by B or C
    await expect
      .poll(() => count('select count(*) as n from sources where last_success_at is null or lease_owner is not null'), {
        timeout: 15_000,
      })
      .toBe(0);

    // every process connects as the app role, which is no superuser
    await expect.poll(() => server.out, { timeout: 30_000 }).toContain('Klankbord draait op');
    const base = server.out.match(/Klankbord draait op (http:\/\/\S+)/)![1];
    // (the server answers /readyz from the database, so its pool holds a connection right now)
    expect(await (await fetch(new URL('/readyz', base))).json()).toEqual({ ok: true });
    const backends = await su.query(
      `select usename, count(*) as n from pg_stat_activity where datname = 'klankbord' and pid <> pg_backend_pid() group by usename`,
    );
    expect(backends.rows.map((r) => r.usename)).toEqual(['klankbord_app']);
    expect(Number(backends.rows[0].n)).toBeGreaterThanOrEqual(3); // server, B and C
    expect((await su.query(`select rolsuper from pg_roles where rolname = 'klankbord_app'`)).rows).toEqual([
      { rolsuper: false },
    ]);

    // nothing stored twice: each (source, item) once, one story leader, one case per discussion
    expect(await count('select count(distinct (source_id, external_id)) as n from mentions')).toBe(TOTAL);
    const copies = await su.query(
      `select count(*) filter (where story_id is null) as leaders, count(*) as n from mentions where url = $1`,
      [SHARED],
    );
    expect(copies.rows[0]).toEqual({ leaders: '1', n: String(FEEDS) });
    // A spike case (README → B.2) gathers the day's negative posts besides their discussion's case;
    // every worker looks for spikes, and there is at most one per school.
    const cases = await su.query(
      `select s.slug, c.kind,
         exists (select 1 from case_thread_keys k where k.case_id = c.id and k.key = 'spike:' || s.id) as spike,
         count(*)::int as n
       from cases c join schools s on s.id = c.school_id group by 1, 2, 3 order by 1, 2, 3`,
    );
    expect(cases.rows.filter((r) => !r.spike)).toEqual([
      { slug: 'jozef', kind: 'concern', spike: false, n: 1 },
      { slug: 'jozef', kind: 'good_news', spike: false, n: 1 },
      { slug: 'meander', kind: 'concern', spike: false, n: 1 },
      { slug: 'meander', kind: 'good_news', spike: false, n: 1 },
    ]);
    expect(cases.rows.filter((r) => r.spike && r.n > 1)).toEqual([]);
    expect(
      await count(
        `select count(*) as n from (select mention_id from case_mentions join cases c on c.id = case_id
         where not exists (select 1 from case_thread_keys k where k.case_id = c.id and k.key like 'spike:%')
         group by mention_id, school_id having count(*) > 1) d`,
      ),
    ).toBe(0);

    // A and B both did work under their own worker ids; A's last, unfinished feed is not in its log
    const ids = [a, b, c].map((w) => workerIdOf(w.out));
    expect(new Set(ids).size).toBe(3);
    const perWorker = [a, b, c].map((w) => storedBy(w.out));
    expect(perWorker[0]).toBeGreaterThan(0);
    expect(perWorker[1]).toBeGreaterThan(0);
    expect(perWorker[0] + perWorker[1] + perWorker[2]).toBeLessThanOrEqual(TOTAL);
    expect(orphaned).toBeGreaterThan(0);

    // the server, as the app role: the API shows the inbox (the shared story once)
    const login = await fetch(new URL('/api/auth/login', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'beheer@edu-ley.test', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    let listed = 0;
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = (await (
        await fetch(new URL(`/api/mentions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, base), {
          headers: { cookie },
        })
      ).json()) as { items: unknown[]; nextCursor: string | null };
      listed += page.items.length;
      cursor = page.nextCursor;
    }
    expect(listed).toBe(TOTAL - (FEEDS - 1));
    console.log(
      `deployment test: per worker ${perWorker.join(' / ')} mentions; ${orphaned} feed(s) held by the killed worker; ${feeds.requests.length} fetches for ${FEEDS} feeds`,
    );
    await su.end();
  },
);
