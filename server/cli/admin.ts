import fs from 'node:fs';
import os from 'node:os';
import { exportBoard, importBoard } from '../actions/boardConfig.ts';
import { ConfigFileError, parseBoardFile } from '../actions/boardFile.ts';
import { audit } from '../db/audit.ts';
import { boardBySlug, boardSlugs } from '../db/boards.ts';
import { openDatabase, type DB } from '../db/index.ts';
import { parseConfig } from '../config.ts';
import { UsageError, parse, type Command } from './args.ts';
import { println, writePrivateFile } from './io.ts';
import { openReady } from './runtime.ts';

export const cliActor = () => `cli:${os.userInfo().username}`;

export const migrateCmd: Command = {
  summary: 'voer databasemigraties uit',
  usage: `klankbord migrate\n\nVoert de nog niet uitgevoerde migraties uit sql/ uit, elk in een eigen transactie.`,
  async run(argv, io) {
    const { values } = parse(argv, {});
    if (values.help) return (println(io.stdout, this.usage), 0);
    const conn = await openDatabase(parseConfig(io.env));
    try {
      const applied = await conn.migrate();
      println(io.stdout, applied.length ? `Uitgevoerd: ${applied.join(', ')}` : 'De database is al bijgewerkt.');
      return 0;
    } finally {
      await conn.close();
    }
  },
};

export const importCmd: Command = {
  summary: 'maak of werk een bestuur bij vanuit een YAML-bestand',
  usage: `klankbord import <board.yaml>

Maakt een bestuur met scholen en bronnen aan, of werkt het bij (idempotent). Een ongeldig
bestand verandert niets; elke fout wordt met regelnummer genoemd.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {}, true);
    if (values.help) return (println(io.stdout, this.usage), 0);
    if (positionals.length !== 1) throw new UsageError('Geef precies één bestand: klankbord import <board.yaml>');
    let text: string;
    try {
      text = fs.readFileSync(positionals[0], 'utf8');
    } catch (err) {
      throw new UsageError(`Kan ${positionals[0]} niet lezen: ${(err as Error).message}`);
    }
    let file;
    try {
      file = parseBoardFile(text);
    } catch (err) {
      if (err instanceof ConfigFileError) {
        println(
          io.stderr,
          `${positionals[0]} is ongeldig; er is niets veranderd:\n${err.problems.map((p) => `  ${p}`).join('\n')}`,
        );
        return 1;
      }
      throw err;
    }
    const conn = await openReady(io);
    try {
      const s = await importBoard(conn.db, file, cliActor());
      println(
        io.stdout,
        `Bestuur ${s.board} ${s.created ? 'aangemaakt' : 'bijgewerkt'}: scholen ${s.schools.created} nieuw, ${s.schools.updated} bijgewerkt; bronnen ${s.sources.created} nieuw, ${s.sources.updated} bijgewerkt.` +
          (s.untouchedSchools.length
            ? `\nNiet in het bestand en ongemoeid gelaten: ${s.untouchedSchools.join(', ')}`
            : ''),
      );
      return 0;
    } finally {
      await conn.close();
    }
  },
};

export const exportConfigCmd: Command = {
  summary: 'schrijf de configuratie van een bestuur als YAML',
  usage: `klankbord export-config [--board slug] [--out bestand] [--with-secrets]\n\nZelfde formaat als \`klankbord import\`. Zonder --board: het enige bestuur in de database.\nTokens, app-wachtwoorden en API-sleutels staan er als "<bewaard in de database>" in (bij import\nblijft dan de opgeslagen waarde staan), tenzij --with-secrets ze voluit schrijft.`,
  async run(argv, io) {
    const { values } = parse(argv, {
      board: { type: 'string' },
      out: { type: 'string' },
      'with-secrets': { type: 'boolean' },
    });
    if (values.help) return (println(io.stdout, this.usage), 0);
    const conn = await openReady(io);
    try {
      const slug = values.board ?? (await onlyBoard(conn.db));
      const withSecrets = Boolean(values['with-secrets']);
      const yaml = await exportBoard(conn.db, slug, { withSecrets });
      // A file with secrets is readable by its owner only; and writing them out is on record.
      if (values.out && withSecrets) writePrivateFile(values.out, yaml);
      else if (values.out) fs.writeFileSync(values.out, yaml, { mode: 0o644 });
      else io.stdout.write(yaml);
      if (withSecrets) {
        const board = await boardBySlug(conn.db, slug);
        await audit(conn.db, {
          boardId: board?.id ?? null,
          actor: cliActor(),
          action: 'export.config_with_secrets',
          targetType: 'board',
          targetId: board?.id,
          details: { file: values.out ?? 'stdout' },
        });
      }
      return 0;
    } catch (err) {
      if (err instanceof ConfigFileError) throw new UsageError(err.message);
      throw err;
    } finally {
      await conn.close();
    }
  },
};

export async function onlyBoard(db: DB): Promise<string> {
  const boards = await boardSlugs(db);
  if (boards.length === 1) return boards[0];
  if (!boards.length) throw new UsageError('Er is nog geen bestuur; maak er een met `klankbord import <board.yaml>`');
  throw new UsageError(`Kies een bestuur met --board: ${boards.join(', ')}`);
}
