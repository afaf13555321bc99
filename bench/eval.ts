// `npm run eval -- --split train|dev`: the classifier's figures and mistakes on a tuning split. It
// refuses the test split: that one is reported only as figures, by `npm run bench`.
// `npm run eval -- --file labels.tsv`: the same on a file in the corpus's columns, such as the
// dashboard's export of staff corrections (Vermeldingen → Correcties exporteren).
import { existsSync } from 'node:fs';
import { evaluate, loadCorpus, predictedRisks } from './corpus.ts';

const arg = (name: string) => (process.argv.indexOf(name) >= 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const file = arg('--file');
const split = file ? 'file' : (arg('--split') ?? 'dev');
if (file && !existsSync(file)) {
  console.error(`Bestand niet gevonden: ${file}`);
  process.exit(2);
}
if (!file && split !== 'train' && split !== 'dev' && split !== 'traindev') {
  console.error('Kies --split train, dev of traindev (of --file bestand.tsv); de testset wordt alleen door npm run bench gemeten.');
  process.exit(2);
}
const items = file ? loadCorpus(file) : loadCorpus().filter((x) => (split === 'traindev' ? x.split !== 'test' : x.split === split));
const e = evaluate(items);
for (const { x, c } of e.results) {
  const predicted = predictedRisks(c).sort();
  const gold = [...x.risks].sort();
  const sentimentWrong = c.sentiment.label !== x.sentiment;
  const risksWrong = predicted.join() !== gold.join();
  if (!sentimentWrong && !risksWrong) continue;
  console.log(`${x.id} [${x.register}] ${sentimentWrong ? `sentiment ${x.sentiment}→${c.sentiment.label} (${c.sentiment.score})` : ''} ${risksWrong ? `risks ${gold.join(',') || '-'}→${predicted.join(',') || '-'}` : ''}\n   ${x.text}\n   ${JSON.stringify(c.risks.map((r) => [r.type, r.subtype, r.evidence.map((v) => v.text)]))} ${JSON.stringify(c.sentiment.evidence?.map((v) => `${v.text}:${v.weight}`))}`);
}
console.log(JSON.stringify({ split, sentiment: e.sentiment, risks: e.risks }, null, 1));
console.log(JSON.stringify(e.personalData));
