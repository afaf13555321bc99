import readline from 'node:readline';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import { boardBySlug } from '../db/boards.ts';
import { inTransaction } from '../db/index.ts';
import { schoolsBySlugs } from '../db/schools.ts';
import { removeTotp } from '../db/totp.ts';
import { insertUser, insertUserSchools, loginUserByEmail, userExists } from '../db/users.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { UsageError, parse, type Command } from './args.ts';
import { isTerminal, println, type Io } from './io.ts';
import { cliActor } from './admin.ts';
import { openReady } from './runtime.ts';

// Prompts without echo on a terminal; reads one line from stdin when it is piped (scripts, tests).
async function readPassword(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  if (!isTerminal(stdin)) {
    const rl = readline.createInterface({ input: stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  io.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let pw = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          io.stderr.write('\n');
          return resolve(pw);
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') pw = pw.slice(0, -1);
        else pw += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export const userCmd: Command = {
  summary: 'gebruikers beheren: user add --board slug --email … --role …; user unlock|reset-totp --email …',
  usage: `klankbord user add --board <slug> --email <adres> --role <rol> [--school <slug>]... [--name <naam>]
klankbord user unlock --email <adres>
klankbord user reset-totp --email <adres>

unlock: heft de blokkade na te veel mislukte inlogpogingen op (wordt vastgelegd in het auditlog).
reset-totp: zet de tweestapsverificatie van de gebruiker uit, voor wie telefoon én herstelcodes kwijt
is en geen andere beheerder heeft (wordt vastgelegd in het auditlog).

Maakt een gebruiker aan (zo maakt een bestuur zijn eerste beheerder). Het wachtwoord wordt
gevraagd (minstens 10 tekens); via een pipe wordt de eerste regel van stdin gelezen.
Rollen: ${ROLES.join(', ')}. Zonder --school ziet de gebruiker alle scholen van het bestuur.`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        board: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        school: { type: 'string', multiple: true },
        name: { type: 'string' },
      },
      true,
    );
    if (!values.help && positionals[0] === 'unlock') return unlock(values.email, io);
    if (!values.help && positionals[0] === 'reset-totp') return resetTotp(values.email, io);
    if (values.help || positionals[0] !== 'add') {
      println(io.stdout, this.usage);
      return values.help ? 0 : 2;
    }
    if (!values.board || !values.email || !values.role)
      throw new UsageError('--board, --email en --role zijn verplicht');
    const email = z.string().trim().toLowerCase().email().safeParse(values.email);
    if (!email.success) throw new UsageError(`Ongeldig e-mailadres: ${values.email}`);
    if (!ROLES.includes(values.role as Role))
      throw new UsageError(`Onbekende rol "${values.role}"; kies uit ${ROLES.join(', ')}`);
    const conn = await openReady(io);
    try {
      const db = conn.db;
      const board = await boardBySlug(db, values.board);
      if (!board) throw new UsageError(`Bestuur "${values.board}" bestaat niet`);
      if (await userExists(db, email.data)) throw new UsageError(`Er is al een gebruiker ${email.data}`);
      const wanted = values.school ?? [];
      const schools = wanted.length ? await schoolsBySlugs(db, board.id, wanted) : [];
      const unknown = wanted.filter((s) => !schools.some((x) => x.slug === s));
      if (unknown.length) throw new UsageError(`Onbekende school/scholen bij ${values.board}: ${unknown.join(', ')}`);
      const password = await readPassword(io, `Wachtwoord voor ${email.data}: `);
      const problem = passwordProblem(password);
      if (problem) throw new UsageError(problem);
      const hash = await hashPassword(password);
      const userId = await inTransaction(db, async (trx) => {
        const id = await insertUser(trx, {
          boardId: board.id,
          email: email.data,
          name: values.name ?? '',
          role: values.role as Role,
          passwordHash: hash,
          allSchools: !schools.length,
        });
        if (schools.length)
          await insertUserSchools(
            trx,
            id,
            schools.map((s) => s.id),
          );
        await audit(trx, {
          boardId: board.id,
          actor: cliActor(),
          action: 'user.create',
          targetType: 'user',
          targetId: id,
          details: { email: email.data, role: values.role, schools: wanted },
        });
        return id;
      });
      println(io.stdout, `Gebruiker ${email.data} (${values.role}) aangemaakt bij ${values.board}, id ${userId}.`);
      return 0;
    } finally {
      await conn.close();
    }
  },
};

function emailArg(given: string | undefined): string {
  const email = z
    .string()
    .trim()
    .toLowerCase()
    .email()
    .safeParse(given ?? '');
  if (!email.success) throw new UsageError('--email met een geldig e-mailadres is verplicht');
  return email.data;
}

// After too many failed logins an administrator lets the account in again: counting starts afresh
// from this audit entry.
async function unlock(given: string | undefined, io: Io): Promise<number> {
  const email = emailArg(given);
  const conn = await openReady(io);
  try {
    const user = await loginUserByEmail(conn.db, email);
    if (!user) throw new UsageError(`Er is geen gebruiker ${email}`);
    await audit(conn.db, {
      boardId: user.board_id,
      actor: cliActor(),
      action: 'login.unlock',
      targetType: 'user',
      targetId: user.id,
      details: { email },
    });
    println(io.stdout, `Inlogblokkade van ${email} opgeheven.`);
    return 0;
  } finally {
    await conn.close();
  }
}

// The last way back in for someone without their authenticator app and recovery codes, when no other
// beheer can reset it on the Gebruikers page (a board's only administrator).
async function resetTotp(given: string | undefined, io: Io): Promise<number> {
  const email = emailArg(given);
  const conn = await openReady(io);
  try {
    const user = await loginUserByEmail(conn.db, email);
    if (!user) throw new UsageError(`Er is geen gebruiker ${email}`);
    if (!(await removeTotp(conn.db, user.id))) throw new UsageError(`${email} heeft geen tweestapsverificatie`);
    await audit(conn.db, {
      boardId: user.board_id,
      actor: cliActor(),
      action: 'totp.reset',
      targetType: 'user',
      targetId: user.id,
      details: { email },
    });
    println(io.stdout, `Tweestapsverificatie van ${email} uitgezet; het wachtwoord alleen geeft weer toegang.`);
    return 0;
  } finally {
    await conn.close();
  }
}
