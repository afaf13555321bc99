import v8 from 'node:v8';

// How V8 manages this process's heap; called first by every process (bin/klankbord.js, the benchmarks), so
// a server and a worker run as they are measured.
//
// why no allocation-site pretenuring: V8 learns per allocation site whether its objects outlive a
// young-generation collection, and then allocates them in the old generation directly. An inbox page's
// rows (pg's row objects, their dates) are made by sites that warm-up taught this, so every page's rows
// went straight to the old generation: dead there, they kept their young fields alive, and each
// collection copied and promoted ~2.4 MB of them. With 1M posts such a collection took 10-14 ms and fell
// in one request of 7-16: most of the lists' p95. Without pretenuring it takes ~1-2 ms (README, *Op
// grotere schaal*); a worker's ingest rate is the same either way (two pairs of runs alternating).
// Node keeps V8's flags settable after start (v8.setFlagsFromString), on every version we support.
export function tuneHeap() {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
