// `npm run eval -- --split train|dev|traindev [--set core|extra]`: the classifier's figures and mistakes
// on what it may be tuned on. It refuses the test split and the blind set: those are reported only as
// figures, by `npm run bench`.
// `npm run eval -- --file labels.tsv`: the same on a file in the corpus's columns, such as the
// dashboard's export of staff corrections (Vermeldingen → Correcties exporteren).
// `--quiet` prints the figures only.
import { existsSync } from 'node:fs';
import { evaluate, loadCorpus, predictedRisks, tuning } from './corpus.ts';

const arg = (name: string) =>
  process.argv.indexOf(name) >= 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const file = arg('--file');
const split = file ? 'file' : (arg('--split') ?? 'dev');
const set = arg('--set');
if (file && !existsSync(file)) {
  console.error(`Bestand niet gevonden: ${file}`);
  process.exit(2);
}
if (!file && split !== 'train' && split !== 'dev' && split !== 'traindev') {
  console.error(
    'Kies --split train, dev of traindev (of --file bestand.tsv); de testset en de blinde set worden alleen door npm run bench gemeten.',
  );
  process.exit(2);
}
if (set && set !== 'core' && set !== 'extra' && set !== 'blind1') {
  console.error('Kies --set core, extra of blind1; de blinde set (blind2) wordt alleen door npm run bench gemeten.');
  process.exit(2);
}
const items = file
  ? loadCorpus(file)
  : tuning(split as 'train' | 'dev' | 'traindev').filter((x) => !set || x.set === set);
const e = evaluate(items);
if (!process.argv.includes('--quiet')) {
  for (const { x, c } of e.results) {
    const predicted = predictedRisks(c).sort();
    const gold = [...x.risks].sort();
    const sentimentWrong = c.sentiment.label !== x.sentiment;
    const risksWrong = predicted.join() !== gold.join();
    if (!sentimentWrong && !risksWrong) continue;
    console.log(
      `${x.id} [${x.register}] ${sentimentWrong ? `sentiment ${x.sentiment}→${c.sentiment.label} (${c.sentiment.score})` : ''} ${risksWrong ? `risks ${gold.join(',') || '-'}→${predicted.join(',') || '-'}` : ''}\n   ${x.text}\n   ${JSON.stringify(c.risks.map((r) => [r.type, r.subtype, r.evidence.map((v) => v.text)]))} ${JSON.stringify(c.sentiment.evidence?.map((v) => `${v.text}:${v.weight}`))}`,
    );
  }
}
console.log(
  JSON.stringify(
    { split, set: set ?? 'core+extra+blind1', n: items.length, sentiment: e.sentiment, risks: e.risks },
    null,
    1,
  ),
);
console.log(JSON.stringify(e.personalData));
