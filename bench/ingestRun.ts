export {};
// `npm run bench:ingest`: only the ingestion benchmark (bench/ingest.ts).
(await import('../server/heap.ts')).tuneHeap(); // as npm run bench and a worker's process
const { ingestBench, ingestReport } = await import('./ingest.ts');
console.log(ingestReport());
console.log(JSON.stringify({ ingest: ingestBench }));
if (!ingestBench.targets.ratio) process.exitCode = 1;
