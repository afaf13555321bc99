import fs from 'node:fs';
import path from 'node:path';
import { createBackup, restoreBackup, totalRows } from '../actions/backup.ts';
import { parseConfig, type Config } from '../config.ts';
import { connect, openDatabase } from '../db/index.ts';
import { UsageError, parse, type Command } from './args.ts';
import { cliActor } from './admin.ts';
import { lockDataDir } from './instanceLock.ts';
import { println } from './io.ts';

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z'); // 20250301T120000Z

const keyNotice = (cfg: Config) =>
  `Let op: de sleutel van de versleutelde geheimen (tokens, API-sleutels, SMTP-wachtwoord) zit níet in de back-up ` +
  `(${cfg.KLANKBORD_SECRET_KEY ? 'KLANKBORD_SECRET_KEY' : path.join(cfg.dataDir, 'secret.key')}). Bewaar die apart en ` +
  `veilig en zet dezelfde sleutel terug bij herstel; zonder die sleutel moeten de geheimen opnieuw worden ingevoerd.`;

export const backupCmd: Command = {
  summary: 'schrijf een back-up van de hele database naar één bestand',
  usage: `klankbord backup [--out bestand]

Schrijft alle tabellen (één moment, terwijl Klankbord gewoon doorwerkt) gecomprimeerd naar
<datamap>/backups/klankbord-<tijd>.kbbackup, of naar --out. Het bestand bevat persoonsgegevens en
is alleen voor de eigenaar leesbaar (0600). De sleutel van de versleutelde geheimen zit er niet in.`,
  async run(argv, io) {
    const { values } = parse(argv, { out: { type: 'string' } });
    if (values.help) return (println(io.stdout, this.usage), 0);
    const cfg = parseConfig(io.env);
    const file = path.resolve(
      values.out ?? path.join(cfg.dataDir, 'backups', `klankbord-${stamp(new Date())}.kbbackup`),
    );
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const conn = await openDatabase(cfg);
    try {
      const header = await createBackup(conn, file, cliActor());
      const size = (fs.statSync(file).size / 1024 / 1024).toFixed(1);
      println(
        io.stdout,
        `Back-up geschreven: ${file} (${header.tables.length} tabellen, ${totalRows(header)} rijen, ${size} MB).\n${keyNotice(cfg)}`,
      );
      return 0;
    } finally {
      await conn.close();
    }
  },
};

export const restoreCmd: Command = {
  summary: 'zet een back-up terug (in een lege database, of met --yes in plaats van de huidige)',
  usage: `klankbord restore <bestand> [--yes]

Zet een back-up van \`klankbord backup\` terug en werkt de database daarna bij naar deze versie.
Weigert als de database al besturen of gebruikers bevat, tenzij --yes: dan wordt alles vervangen.
Stop Klankbord eerst. Een beschadigd bestand verandert niets. Zet daarna dezelfde geheime sleutel
terug (KLANKBORD_SECRET_KEY of secret.key in de datamap) als op de oude installatie.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { yes: { type: 'boolean' } }, true);
    if (values.help) return (println(io.stdout, this.usage), 0);
    if (positionals.length !== 1) throw new UsageError('Geef precies één bestand: klankbord restore <bestand> [--yes]');
    const file = positionals[0];
    if (!fs.existsSync(file)) throw new UsageError(`${file} bestaat niet.`);
    const cfg = parseConfig(io.env);
    const lock = cfg.DATABASE_URL ? undefined : lockDataDir(cfg.dataDir);
    if (lock && 'heldBy' in lock)
      throw new UsageError(`Klankbord draait nog op ${cfg.dataDir} (proces ${lock.heldBy}); stop het eerst.`);
    try {
      const conn = await openDatabase(cfg);
      // the restore replaces tables: the database's owner does it, then the app role gets its rights again
      const owner = connect(conn.ownerUrl, 2);
      try {
        const { header, migrated } = await restoreBackup(owner, file, {
          replace: Boolean(values.yes),
          actor: cliActor(),
        }).finally(() => owner.close());
        await conn.migrate();
        println(
          io.stdout,
          [
            `Hersteld: ${file} (gemaakt ${header.createdAt} met Klankbord ${header.appVersion}; ${header.tables.length} tabellen, ${totalRows(header)} rijen).`,
            migrated.length
              ? `Daarna bijgewerkt met: ${migrated.join(', ')}`
              : 'De database was al bij met deze versie.',
            keyNotice(cfg),
          ].join('\n'),
        );
        return 0;
      } finally {
        await conn.close();
      }
    } finally {
      lock?.release();
    }
  },
};
