import { connect } from '../server/db/index.ts';
import { rssSources } from '../server/db/bench.ts';
import { processItems } from '../workers/pipeline.ts';
import { items, NOW } from './ingestItems.ts';

// One worker process of bench/ingest.ts: warms up, says so, and on 'go' stores the items of its
// sources (argv: database URL, first and last source number) and answers how many it stored.
const [url, from, to] = process.argv.slice(2);
const conn = connect(url, 4);
const sources = await rssSources(conn.db);
const mine = sources.slice(Number(from), Number(to)).map((s, i) => ({ source: s, items: items(Number(from) + i) }));
await processItems(conn.db, mine[0].source, [{ ...mine[0].items[0], externalId: `warm-up-${from}` }], { now: NOW });
process.send!({});
process.once('message', async () => {
  let stored = 0;
  for (const f of mine) stored += (await processItems(conn.db, f.source, f.items, { now: NOW })).inserted;
  await conn.close();
  process.send!({ stored }, () => process.exit(0));
});
