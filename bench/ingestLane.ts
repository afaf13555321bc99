import { connect } from '../server/db/index.ts';
import { tuneHeap } from '../server/heap.ts';
import { rssSources } from '../server/db/bench.ts';
import { processItems } from '../workers/pipeline.ts';
import { WORKER_CONCURRENCY } from '../workers/runner.ts';
import { items, NOW, SOURCES, WARM_SOURCES } from './ingestItems.ts';

// One worker process of bench/ingest.ts: warms up, says so, and on 'go' stores the items of its
// sources (argv: database URL, first and last source number, its warm-up block) as a worker does,
// WORKER_CONCURRENCY sources at a time (workers/runner.ts), and answers how many it stored.
// The warm-up stores WARM_SOURCES whole sources of its own (sources after the timed ones, 200 items
// each), so what is timed is a worker as it runs for days: V8 has compiled the pipeline and the
// classifiers by then. Without it, about a quarter of the process's CPU in the timed seconds went to
// V8 compiling them, some functions several times over as their first inputs changed shape.
tuneHeap(); // as a worker's process (bin/klankbord.js)
const [url, from, to, block] = process.argv.slice(2);
const conn = connect(url, 10);
const sources = await rssSources(conn.db);
const mine = sources.slice(Number(from), Number(to)).map((s, i) => ({ source: s, items: items(Number(from) + i) }));
for (let w = 0; w < WARM_SOURCES; w++) {
  const n = SOURCES * 3 + Number(block) * WARM_SOURCES + w;
  await processItems(conn.db, sources[n]!, items(n), { now: NOW });
}
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
