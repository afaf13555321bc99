export {};
// `npm run bench`: speed and memory targets live here, never in timed tests.
const { matchBench } = await import('./match.ts');
const b = matchBench;
const ok = (v: boolean) => (v ? 'OK' : 'GEMIST');
console.log(`Matcher (issue 4): ${b.schools} scholen, ${b.posts} berichten
  gecompileerd:      ${b.compiledPostsPerSecond.toLocaleString('nl-NL')} berichten/s (welke scholen, zoals naïef)
  met uitleg:        ${b.explainedPostsPerSecond.toLocaleString('nl-NL')} berichten/s (ook clausules en posities, zoals de pipeline)
  naïef:             ${b.naivePostsPerSecond.toLocaleString('nl-NL')} berichten/s (over ${b.agreement.posts} berichten)
  verhouding:        ${b.ratio}×, mediaan van ${b.rounds.length} rondes  (doel ≥ 300×)  ${ok(b.targets.ratio)}
  bouwen (alles):    ${b.buildMs} ms, mediaan van 3 (eerste, koud: ${b.buildColdMs} ms)  (doel ≤ 200 ms)  ${ok(b.targets.buildMs)}
  één query wijzigen: ${b.changeOneMs} ms  (doel ≤ 1 ms)  ${ok(b.targets.changeOneMs)}
  overeenstemming:   ${b.agreement.disagreements} verschillen op ${b.agreement.posts} berichten (${b.agreement.postsWithMatches} met een school)  ${ok(b.targets.agreement)}`);
console.log(JSON.stringify({ match: b }));

const { classifyBench: c } = await import('./classify.ts');
const pct = (n: number) => (n * 100).toFixed(1) + '%';
const row = (name: string, v: { precision: number; recall: number; f1: number; support: number }) =>
  `  ${name.padEnd(14)} P ${v.precision.toFixed(2)}  R ${v.recall.toFixed(2)}  F1 ${v.f1.toFixed(2)}  (n=${v.support})`;
console.log(`
Classificatie (issue 5): testset, ${c.n} berichten (nooit gebruikt om af te stemmen)
  sentiment:      nauwkeurigheid ${pct(c.sentiment.accuracy)}, macro-F1 ${c.sentiment.macroF1.toFixed(3)}  (doel ≥ 0,85)  ${ok(c.targets.sentimentMacroF1)}
  natural (nl):   nauwkeurigheid ${pct(c.naturalBaseline.accuracy)}, macro-F1 ${c.naturalBaseline.macroF1.toFixed(3)}  (SentimentAnalyzer 'Dutch', 'pattern')
${Object.entries(c.risks).map(([k, v]) => row(k, v)).join('\n')}
  doelen: persoonsgegevens R ≥ 0,97 ${ok(c.targets.personalDataRecall)} bij P ≥ 0,90 ${ok(c.targets.personalDataPrecision)}, dreiging R ≥ 0,95 ${ok(c.targets.threatRecall)}, schaming F1 ≥ 0,85 ${ok(c.targets.shamingF1)}, onjuistheid F1 ≥ 0,75 ${ok(c.targets.inaccuracyF1)}
  persoonsgegevens per soort:
${Object.entries(c.personalData).filter(([, v]) => v.support || v.fp).map(([k, v]) => '  ' + row(k, v)).join('\n')}
  snelheid:       ${c.speed.perSecond.toLocaleString('nl-NL')} berichten/s op één kern (gemiddeld ${c.speed.avgChars} tekens; doel ≥ 5.000)  ${ok(c.targets.perSecond)}
  natural:        ${c.speed.naturalPerSecond.toLocaleString('nl-NL')} berichten/s (alleen sentiment)`);
console.log(JSON.stringify({ classify: c }));
if ([...Object.values(b.targets), ...Object.values(c.targets)].some((v) => !v)) process.exitCode = 1;
