export {};
// `npm run bench`: speed and memory targets live here, never in timed tests.
// The heap as a server's and a worker's (bin/klankbord.js), before anything is measured.
const { tuneHeap } = await import('../server/heap.ts');
tuneHeap();
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

const { record } = await import('./results.ts');
record(
  { id: 'match.ratio', value: b.ratio, unit: '× naive', target: 300, met: b.targets.ratio },
  { id: 'match.buildMs', value: b.buildMs, unit: 'ms', target: 200, met: b.targets.buildMs },
  { id: 'match.changeOneMs', value: b.changeOneMs, unit: 'ms', target: 1, met: b.targets.changeOneMs },
  {
    id: 'match.compiledPostsPerSecond',
    value: b.compiledPostsPerSecond,
    unit: 'posts/s',
    target: null,
    met: null,
  },
);

// The inbox at 10k and 1M mentions (BENCH_MENTIONS sets the larger size; 10M needs ~30 GB of disk).
const { inboxBench, inboxReport, inboxResults } = await import('./inbox.ts');
const inbox = await inboxBench();
const inboxFigures = inboxResults(inbox);
record(...inboxFigures);
console.log(`\n${inboxReport(inbox)}`);
console.log(JSON.stringify({ inbox }));

// The directors' charts at national size (BENCH_TREND_MENTIONS, default 1M; 10M is the long run) and
// the dashboard's first-page weight and chart speed (issue 19).
const { trendsBench, trendsReport, trendsResults } = await import('./trends.ts');
const trends = await trendsBench();
const trendFigures = trendsResults(trends);
record(...trendFigures);
console.log(`\n${trendsReport(trends)}`);
console.log(JSON.stringify({ trends }));
const { webBench, webReport, webResults } = await import('./web.ts');
const web = await webBench();
const webFigures = webResults(web);
record(...webFigures);
console.log(`\n${webReport(web)}`);
console.log(JSON.stringify({ web }));

const { jetstreamBench: j } = await import('./jetstream.ts');
record(
  {
    id: 'jetstream.eventsPerSecondPerCore',
    value: j.eventsPerSecondPerCore,
    unit: 'events/s',
    target: 250_000,
    met: j.targets.eventsPerSecond,
  },
  { id: 'jetstream.latencyP95', value: j.replay.p95Ms, unit: 'ms', target: 5000, met: j.targets.latencyP95 },
);
console.log(`
Bluesky live / Jetstream (issue 18): ${j.schools} scholen in ${j.boards} besturen, ${j.frames} berichten
  ontleden + matchen: ${j.eventsPerSecondPerCore.toLocaleString('nl-NL')} berichten/s op één kern, mediaan van 3 (doel ≥ 250.000)  ${ok(j.targets.eventsPerSecond)}
  bericht → inbox:    p95 ${j.replay.p95Ms} ms, p50 ${j.replay.p50Ms} ms bij ${j.replay.sentPerSecond.toLocaleString('nl-NL')} berichten/s (10× piek), ${j.replay.stored} bewaard (doel p95 ≤ 5000 ms)  ${ok(j.targets.latencyP95)}
  wachtrij:           hoogstens ${j.replay.maxQueued} berichten, ${j.replay.pauses}× gepauzeerd`);
console.log(JSON.stringify({ jetstream: j }));

const { classifyBench: c } = await import('./classify.ts');
const { shown } = await import('./functional.ts');
type Prf = { precision: number; recall: number; f1: number; support: number; fp?: number };
const f2 = (n: number) => n.toFixed(2);
const prf = (v: Prf | undefined) =>
  !v
    ? '—'.padEnd(22)
    : !v.support && !v.fp
      ? 'n.v.t.'.padEnd(22)
      : `P ${f2(v.precision)} R ${f2(v.recall)} F1 ${f2(v.f1)}`.padEnd(22);
const NAMES: Record<string, string> = {
  threat: 'dreiging',
  discrimination: 'discriminatie',
  shaming: 'schaming',
  sexual: 'seksueel',
  inaccuracy: 'onjuistheid',
  personal_data: 'persoonsgeg.',
};
const setReport = (key: 'coreTest' | 'blind', title: string) => {
  const s = c.sets[key];
  const old = c.baseline?.[key];
  const lines = [
    `${title} (n=${s.n})`,
    `  ${''.padEnd(16)}${c.classifier.padEnd(24)}${(c.baseline?.classifier ?? 'v2.3').padEnd(24)}steun`,
  ];
  lines.push(
    `  ${'sentiment'.padEnd(16)}${`macro-F1 ${s.sentiment.macroF1.toFixed(3)} (${(s.sentiment.accuracy * 100).toFixed(0)}%)`.padEnd(24)}${(old ? `macro-F1 ${old.sentiment.macroF1.toFixed(3)}` : '—').padEnd(24)}natural: macro-F1 ${s.naturalBaseline.macroF1.toFixed(3)} (${(s.naturalBaseline.accuracy * 100).toFixed(0)}%)`,
  );
  for (const [k, v] of Object.entries(s.risks))
    lines.push(`  ${(NAMES[k] ?? k).padEnd(16)}${prf(v)}  ${prf(old?.risks?.[k])}  n=${v.support}`);
  lines.push('  persoonsgegevens per soort:');
  for (const [k, v] of Object.entries(s.personalData))
    if (v.support || v.fp)
      lines.push(`    ${k.padEnd(14)}${prf(v)}  ${prf(old?.personalData?.[k])}  n=${v.support}, fp=${v.fp}`);
  return lines.join('\n');
};
const t = c.targets;
const br = c.sets.blind.risks;
console.log(`
Classificatie ${c.classifier} (issues 5 en 14), gemeten op wat nooit is gebruikt om af te stemmen; ${c.baseline?.classifier ?? 'v2.3'} en natural op dezelfde teksten
${setReport('coreTest', 'Kerncorpus, testsplitsing')}
${setReport('blind', 'Blinde set (door een hulpsessie geschreven uit alleen de labeldefinities)')}
  doelen op de blinde set:
    dreiging R ≥ 0,95 bij P ≥ 0,85 (${f2(br.threat!.recall)} / ${f2(br.threat!.precision)})  ${ok(t.threat)}
    discriminatie R ≥ 0,85 (${f2(br.discrimination!.recall)}) en ≤ 10% vals alarm op de onschuldige functionaliteiten (${(c.discriminationFalseAlarms * 100).toFixed(1)}%)  ${ok(t.discrimination)}
    schaming F1 ≥ 0,85 (${f2(br.shaming!.f1)})  ${ok(t.shaming)}
    seksueel R ≥ 0,95 (${f2(br.sexual!.recall)})  ${ok(t.sexual)}
    onjuistheid F1 ≥ 0,80 (${f2(br.inaccuracy!.f1)})  ${ok(t.inaccuracy)}
    persoonsgegevens R ≥ 0,97 bij P ≥ 0,90 (${f2(br.personal_data!.recall)} / ${f2(br.personal_data!.precision)})  ${ok(t.personalData)}
    sentiment macro-F1 ≥ 0,85 (${c.sets.blind.sentiment.macroF1.toFixed(3)})  ${ok(t.sentiment)}

Functionele tests (test/functional/, ${c.functional.length} functionaliteiten; ontwikkelcijfers: tijdens v3 ingezien)
${c.functional
  .map((f) => {
    const now = shown(f);
    const before = c.baseline?.functional?.[f.id];
    const then = before === undefined ? '—' : (f.measure === 'false_alarms' ? 1 - before : before).toFixed(2);
    return `  ${f.id.padEnd(32)}${f.label.padEnd(16)}${now.name.padEnd(11)}${now.value.toFixed(2)}  (${c.baseline?.classifier ?? 'v2.3'}: ${then}, n=${f.n})`;
  })
  .join('\n')}

  snelheid:       ${c.speed.perSecond.toLocaleString('nl-NL')} berichten/s op één kern (gemiddeld ${c.speed.avgChars} tekens; doel ≥ 5.000)  ${ok(t.perSecond)}
  natural:        ${c.speed.naturalPerSecond.toLocaleString('nl-NL')} berichten/s (alleen sentiment)
  lastige invoer: traagste ${Math.max(...c.adversarial.map((a) => a.ms))} ms (doel ≤ 500 ms per tekst)  ${ok(t.adversarial)}
${c.adversarial.map((a) => `    ${a.name.padEnd(24)}${String(a.chars).padStart(7)} tekens  ${a.ms} ms`).join('\n')}`);
console.log(JSON.stringify({ classify: { ...c, baseline: undefined } }));
record(
  ...Object.entries(c.targets).map(([k, met]) => ({
    id: `classify.target.${k}`,
    value: met ? 1 : 0,
    unit: 'met (1) or missed (0)',
    target: 1,
    met: Boolean(met),
  })),
  {
    id: 'classify.blind.sentimentMacroF1',
    value: c.sets.blind.sentiment.macroF1,
    unit: 'macro-F1',
    target: 0.85,
    met: c.sets.blind.sentiment.macroF1 >= 0.85,
  },
  {
    id: 'classify.blind.threatRecall',
    value: br.threat!.recall,
    unit: 'recall',
    target: 0.95,
    met: br.threat!.recall >= 0.95,
  },
  { id: 'classify.perSecond', value: c.speed.perSecond, unit: 'posts/s', target: 5000, met: c.speed.perSecond >= 5000 },
);
// Workers as separate processes against local feeds (issue 18); prints its own lines and records bench/results.json.
const { deployBench: d } = await import('./deploy.ts');
// processItems against a plain multi-row INSERT of the same rows (issue 18: ≥ 25 %).
const { ingestBench: g, ingestReport } = await import('./ingest.ts');
console.log(ingestReport());
console.log(JSON.stringify({ ingest: g }));
if (
  [
    ...Object.values(b.targets),
    ...Object.values(j.targets),
    ...Object.values(c.targets),
    ...Object.values(d.targets),
    ...Object.values(g.targets),
  ].some((v) => !v) ||
  [...inboxFigures, ...trendFigures, ...webFigures].some((f) => f.met === false)
)
  process.exitCode = 1;
