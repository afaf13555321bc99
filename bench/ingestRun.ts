export {};
// `npm run bench:ingest`: only the ingestion benchmark (bench/ingest.ts).
const { ingestBench, ingestReport } = await import('./ingest.ts');
console.log(ingestReport());
console.log(JSON.stringify({ ingest: ingestBench }));
if (!ingestBench.targets.ratio) process.exitCode = 1;
