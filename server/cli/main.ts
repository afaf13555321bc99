import { ConfigError } from '../config.ts';
import { exportConfigCmd, importCmd, migrateCmd } from './admin.ts';
import { UsageError, type Command } from './args.ts';
import { backupCmd, restoreCmd } from './backup.ts';
import { classifyCmd } from './classify.ts';
import { println, processIo, type Io } from './io.ts';
import { matchCmd } from './match.ts';
import { exportMentionsCmd } from './exportMentions.ts';
import { fetchSourceCmd, parseFeedCmd } from './feedTools.ts';
import { serverCmd, startCmd } from './serve.ts';
import { userCmd } from './userAdd.ts';
import { collectCmd, reclassifyCmd, workerCmd } from './worker.ts';

const commands: Record<string, Command> = {
  start: startCmd,
  server: serverCmd,
  worker: workerCmd,
  migrate: migrateCmd,
  import: importCmd,
  'export-config': exportConfigCmd,
  backup: backupCmd,
  restore: restoreCmd,
  user: userCmd,
  collect: collectCmd,
  'export-mentions': exportMentionsCmd,
  classify: classifyCmd,
  reclassify: reclassifyCmd,
  match: matchCmd,
  'fetch-source': fetchSourceCmd,
  'parse-feed': parseFeedCmd,
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return [
    'Klankbord — wat er online over je scholen gezegd wordt, en wat je ermee doet.',
    '',
    'Gebruik: klankbord <opdracht> [opties]   (klankbord <opdracht> --help voor details)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    println(io.stdout, help());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    println(io.stderr, `Onbekende opdracht "${name}".\n\n${help()}`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      println(io.stderr, err.message);
      return 2;
    }
    println(io.stderr, `Fout: ${(err as Error).message}`);
    return 1;
  }
}
