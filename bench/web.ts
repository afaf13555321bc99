import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Result } from './results.ts';

// The dashboard's weight and chart speed (issue 19): the gzipped JavaScript a browser loads for the
// first page (the entry chunk and everything it imports statically; the Overzicht page and chart.js
// come later, on demand), and the time chart.js takes in headless Chromium to draw a year of days as
// five stacked series, the way Chart.svelte sets it up (no animation, responsive). Run alone:
// `node --import tsx bench/web.ts`.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/web');
const TARGET_KIB = 80;
const TARGET_RENDER_MS = 50;
const RENDERS = 10;

const gzipKiB = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length / 1024;

// The entry scripts and modulepreload links of index.html, closed over the chunks' static imports
// (`import … from "./x.js"`, never `import("./x.js")`).
export function initialScripts(dir: string): string[] {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const found = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => path.join(dir, m[1].replace(/^\//, '')));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g))
      visit(path.resolve(path.dirname(file), m[1]));
  };
  found.forEach(visit);
  return [...seen];
}

export async function webBench() {
  const { build } = await import('vite');
  await build({ root: path.join(ROOT, 'web'), configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  const initial = initialScripts(OUT);
  const initialKiB = initial.reduce((a, f) => a + gzipKiB(f), 0);
  const assets = fs.readdirSync(path.join(OUT, 'assets')).filter((f) => f.endsWith('.js'));
  const allKiB = assets.reduce((a, f) => a + gzipKiB(path.join(OUT, 'assets', f)), 0);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let renders: number[];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent('<div style="width: 1000px; height: 300px"><canvas id="c"></canvas></div>');
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules/chart.js/dist/chart.umd.js') });
    renders = await page.evaluate((runs) => {
      const C = (window as unknown as { Chart: new (c: unknown, cfg: unknown) => { destroy(): void } }).Chart;
      const labels = Array.from({ length: 365 }, (_, i) =>
        new Date(Date.UTC(2025, 10, 1 + i)).toISOString().slice(0, 10),
      );
      const datasets = ['positief', 'neutraal', 'negatief', 'gecorrigeerd', 'melding'].map((label, s) => ({
        label,
        data: labels.map((_, i) => ((i * 37 + s * 11) % 23) + s),
        backgroundColor: ['#2e7d32', '#9e9e9e', '#c62828', '#6a1b9a', '#1565c0'][s],
      }));
      const canvas = document.getElementById('c');
      const out: number[] = [];
      for (let r = 0; r <= runs; r++) {
        const t = performance.now();
        const chart = new C(canvas, {
          type: 'bar',
          data: { labels, datasets },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            scales: { x: { stacked: true }, y: { stacked: true } },
          },
        });
        const ms = performance.now() - t;
        chart.destroy();
        if (r) out.push(ms); // the first run warms up
      }
      return out;
    }, RENDERS);
  } finally {
    await browser.close();
  }
  const sorted = [...renders].sort((a, b) => a - b);
  const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
  return {
    initialFiles: initial.map((f) => path.relative(OUT, f)),
    initialJsGzipKiB: Number(initialKiB.toFixed(1)),
    allJsGzipKiB: Number(allKiB.toFixed(1)),
    chartRender365x5Ms: Number(median.toFixed(1)),
    chartRenderMaxMs: Number(sorted.at(-1)!.toFixed(1)),
  };
}

export type WebFigures = Awaited<ReturnType<typeof webBench>>;

export function webResults(f: WebFigures): Result[] {
  return [
    {
      id: 'web.initialJsGzipKiB',
      value: f.initialJsGzipKiB,
      unit: 'KiB gzip, first page',
      target: TARGET_KIB,
      met: f.initialJsGzipKiB <= TARGET_KIB,
    },
    { id: 'web.allJsGzipKiB', value: f.allJsGzipKiB, unit: 'KiB gzip, every chunk', target: null, met: null },
    {
      id: 'web.chartRender365x5Ms',
      value: f.chartRender365x5Ms,
      unit: `ms, median of ${RENDERS}`,
      target: TARGET_RENDER_MS,
      met: f.chartRender365x5Ms <= TARGET_RENDER_MS,
    },
  ];
}

export function webReport(f: WebFigures): string {
  const n = (x: number) => x.toFixed(1).replace('.', ',');
  const ok = (v: boolean) => (v ? 'OK' : 'GEMIST');
  return [
    'Dashboard (issue 19)',
    `  JavaScript eerste pagina: ${n(f.initialJsGzipKiB)} KiB gzip (${f.initialFiles.join(', ')}; alles samen ${n(f.allJsGzipKiB)} KiB) (doel ≤ ${TARGET_KIB} KiB)  ${ok(f.initialJsGzipKiB <= TARGET_KIB)}`,
    `  grafiek 365 dagen × 5 reeksen tekenen: ${n(f.chartRender365x5Ms)} ms, mediaan van ${RENDERS} in Chromium (traagste ${n(f.chartRenderMaxMs)} ms) (doel ≤ ${TARGET_RENDER_MS} ms)  ${ok(f.chartRender365x5Ms <= TARGET_RENDER_MS)}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { record } = await import('./results.ts');
  const f = await webBench();
  console.log(webReport(f));
  console.log(JSON.stringify({ web: f }));
  record(...webResults(f));
}
