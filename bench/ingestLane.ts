import { connect } from '../server/db/index.ts';
import { rssSources } from '../server/db/bench.ts';
import { processItems } from '../workers/pipeline.ts';
import { WORKER_CONCURRENCY } from '../workers/runner.ts';
import { items, NOW, warmUp } from './ingestItems.ts';

// One worker process of bench/ingest.ts: warms up, says so, and on 'go' stores the items of its
// sources (argv: database URL, first and last source number) as a worker does, WORKER_CONCURRENCY
// sources at a time (workers/runner.ts), and answers how many it stored.
const [url, from, to] = process.argv.slice(2);
const conn = connect(url, 10);
const sources = await rssSources(conn.db);
const mine = sources.slice(Number(from), Number(to)).map((s, i) => ({ source: s, items: items(Number(from) + i) }));
await processItems(conn.db, mine[0].source, warmUp(mine[0].items, `warm-up-${from}`), { now: NOW });
process.send!({});
process.once('message', async () => {
  let stored = 0;
  let next = 0;
  const lane = async () => {
    while (next < mine.length) {
      const f = mine[next++];
      const n = (await processItems(conn.db, f.source, f.items, { now: NOW })).inserted;
      stored += n;
    }
  };
  await Promise.all(Array.from({ length: WORKER_CONCURRENCY }, lane));
  await conn.close();
  process.send!({ stored }, () => process.exit(0));
});
export {};
