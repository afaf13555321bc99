import { collectOnce, startWorker } from '../../workers/runner.ts';
import { UsageError, parse, type Command } from './args.ts';
import { fetchOptions, onShutdown, openReady } from './runtime.ts';

export const workerCmd: Command = {
  summary: 'een worker die bronnen ophaalt (start er zoveel als nodig, op elke host)',
  usage: `klankbord worker [--concurrency N]

Haalt bronnen op die aan de beurt zijn, met leases in PostgreSQL: meerdere workers op meerdere
hosts verdelen het werk zonder dubbel werk. Stopt netjes op SIGTERM.`,
  async run(argv) {
    const { values } = parse(argv, { concurrency: { type: 'string' } });
    if (values.help) return console.log(this.usage), 0;
    const concurrency = values.concurrency ? Number(values.concurrency) : 4;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency moet een geheel getal van 1 tot 64 zijn');
    const conn = await openReady();
    const worker = startWorker(conn.db, { fetchOptions: fetchOptions() }, { concurrency });
    onShutdown(async () => {
      await worker.stop();
      await conn.close();
    });
    return new Promise<number>(() => {});
  },
};

export const collectCmd: Command = {
  summary: 'haal alle bronnen die aan de beurt zijn één keer op (--all: alle bronnen)',
  usage: `klankbord collect --once [--all]

Haalt elke bron die aan de beurt is (met --all: elke ingeschakelde bron) één keer op, door de
hele pijplijn (matchen, classificeren, opslaan), en stopt dan.`,
  async run(argv) {
    const { values } = parse(argv, { once: { type: 'boolean' }, all: { type: 'boolean' } });
    if (values.help) return console.log(this.usage), 0;
    if (!values.once) throw new UsageError('Alleen `collect --once` bestaat; voor doorlopend ophalen: `klankbord worker`');
    const conn = await openReady();
    try {
      const r = await collectOnce(conn.db, { fetchOptions: fetchOptions() }, { all: values.all });
      console.log(`${r.sources} bron(nen) opgehaald, ${r.inserted} nieuwe vermelding(en).`);
      return 0;
    } finally {
      await conn.close();
    }
  },
};
