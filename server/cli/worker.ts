import { CLASSIFIER } from '../../workers/classify/index.ts';
import { reclassifyBatch } from '../../workers/classifications.ts';
import { collectOnce, startWorker, WORKER_CONCURRENCY } from '../../workers/runner.ts';
import { UsageError, parse, type Command } from './args.ts';
import { println } from './io.ts';
import { fetchOptions, jetstreamSettings, onShutdown, openReady } from './runtime.ts';

export const workerCmd: Command = {
  summary: 'een worker die bronnen ophaalt (start er zoveel als nodig, op elke host)',
  usage: `klankbord worker [--concurrency N] [--lease-seconds S] [--poll-ms MS]

Haalt bronnen op die aan de beurt zijn, met leases in PostgreSQL: meerdere workers op meerdere
hosts verdelen het werk zonder dubbel werk. Stopt netjes op SIGTERM.
--lease-seconds (300): hoe lang een bron vastligt voordat een andere worker hem overneemt als deze
worker wegvalt. --poll-ms (5000): hoe vaak een worker zonder werk opnieuw kijkt.`,
  async run(argv, io) {
    const { values } = parse(argv, {
      concurrency: { type: 'string' },
      'lease-seconds': { type: 'string' },
      'poll-ms': { type: 'string' },
    });
    if (values.help) return (println(io.stdout, this.usage), 0);
    const concurrency = values.concurrency ? Number(values.concurrency) : WORKER_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw new UsageError('--concurrency moet een geheel getal van 1 tot 64 zijn');
    const leaseSeconds = Number(values['lease-seconds'] ?? 300);
    const pollMs = Number(values['poll-ms'] ?? 5000);
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3600)
      throw new UsageError('--lease-seconds moet een geheel getal van 1 tot 3600 zijn');
    if (!Number.isInteger(pollMs) || pollMs < 10 || pollMs > 600_000)
      throw new UsageError('--poll-ms moet een geheel getal van 10 tot 600000 zijn');
    const conn = await openReady(io);
    const worker = startWorker(
      conn.db,
      { fetchOptions: fetchOptions(io) },
      { concurrency, leaseSeconds, pollMs, jetstream: jetstreamSettings(io) },
    );
    onShutdown(io, async () => {
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
  async run(argv, io) {
    const { values } = parse(argv, { once: { type: 'boolean' }, all: { type: 'boolean' } });
    if (values.help) return (println(io.stdout, this.usage), 0);
    if (!values.once)
      throw new UsageError('Alleen `collect --once` bestaat; voor doorlopend ophalen: `klankbord worker`');
    const conn = await openReady(io);
    try {
      const r = await collectOnce(conn.db, { fetchOptions: fetchOptions(io) }, { all: values.all });
      println(
        io.stdout,
        `${r.sources} ${r.sources === 1 ? 'bron' : 'bronnen'} opgehaald, ${r.inserted} ${r.inserted === 1 ? 'nieuw bericht' : 'nieuwe berichten'}.`,
      );
      return 0;
    } finally {
      await conn.close();
    }
  },
};

export const reclassifyCmd: Command = {
  summary: 'classificeer opgeslagen vermeldingen opnieuw met de huidige classifier-versie',
  usage: `klankbord reclassify

Geeft elke opgeslagen vermelding die nog geen classificatie van de huidige versie heeft er een,
in porties, nieuwste eerst. Workers doen dit ook vanzelf als ze niets op te halen hebben;
correcties van medewerkers blijven gelden.`,
  async run(argv, io) {
    const { values } = parse(argv, {});
    if (values.help) return (println(io.stdout, this.usage), 0);
    const conn = await openReady(io);
    try {
      let total = 0;
      for (let n = await reclassifyBatch(conn.db); n; n = await reclassifyBatch(conn.db)) total += n;
      println(io.stdout, `${total} ${total === 1 ? 'bericht' : 'berichten'} opnieuw geclassificeerd (${CLASSIFIER}).`);
      return 0;
    } finally {
      await conn.close();
    }
  },
};
