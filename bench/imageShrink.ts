/**
 * Image shrinking bench (issue 12 §1): `npm run bench:shrink`. In headless Chromium, shrinks five images generated
 * in the page (seeded, so the same bytes every run) to a 2 MiB limit and prints, per image: input and output size,
 * output dimensions and type, the median time of a few runs, and the main-thread long tasks (> 50 ms, Long Tasks
 * API) during a shrink, in the app's path (a worker) and in the main-thread fallback. Then the lazy chunk's size
 * (rolldown, minified, gzip -9, like bench/bundleSize.ts). Timings are informative: the machine may be shared.
 * `SHRINK_RUNS=5` changes the number of runs per image (default 3).
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { build } from 'rolldown';
import type { GenerateImage, ShrinkRun } from '../test/browser/harness/image-shrink/imageShrinkPage';
import { launchBrowser } from '../test/browser/support/launchBrowser';
import { startStaticServer } from '../test/browser/support/staticServer';
import { gzipBytes, repoRoot } from './bundleSize';
import { formatTable, kb, ms, type TableRow } from './support/report';
import { median } from './support/stats';

const MAX_BYTES = 2 * 1024 * 1024;
const RUNS = Number(process.env.SHRINK_RUNS ?? 3);

const IMAGES: GenerateImage[] = [
  { kind: 'photo', name: 'photo-4000x3000.jpg', width: 4000, height: 3000, type: 'image/jpeg', noise: 40, quality: 0.95, seed: 1 },
  {
    kind: 'photo',
    name: 'IMG_4032x3024-exif.jpg',
    width: 4032,
    height: 3024,
    type: 'image/jpeg',
    noise: 30,
    quality: 0.92,
    seed: 2,
    exif: {
      orientation: 6,
      make: 'BenchPhone',
      gps: { latitude: [30, 15, 7], latitudeRef: 'N', longitude: [120, 9, 42], longitudeRef: 'E' },
    },
  },
  { kind: 'screenshot', name: 'screenshot-3000x2000.png', width: 3000, height: 2000, type: 'image/png', seed: 3 },
  {
    kind: 'photo',
    name: 'noise-alpha-2400x1800.png',
    width: 2400,
    height: 1800,
    type: 'image/png',
    noise: 60,
    transparentCorner: 600,
    seed: 4,
  },
  { kind: 'photo', name: 'camera-6000x4000.jpg', width: 6000, height: 4000, type: 'image/jpeg', noise: 30, quality: 0.92, seed: 5 },
];

/** The lazy chunk as an app downloads it: shrinkImageToFit with everything it imports (the worker is a string inside). */
async function chunkSize(input: string, entryOnly = false): Promise<{ minified: number; gzip: number }> {
  const result = await build({ input, write: false, logLevel: 'silent', output: { format: 'esm', minify: true } });
  const code = result.output.flatMap((item) => (item.type === 'chunk' && (!entryOnly || item.isEntry) ? [item.code] : [])).join('\n');
  return { minified: Buffer.byteLength(code), gzip: gzipBytes(code) };
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

async function main(): Promise<void> {
  const pageDir = await mkdtemp(path.join(tmpdir(), 'image-shrink-bench-'));
  const harness = path.join(repoRoot, 'test/browser/harness/image-shrink');
  await esbuild({
    entryPoints: [path.join(harness, 'imageShrinkPage.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: path.join(pageDir, 'imageShrinkPage.js'),
    logLevel: 'silent',
  });
  await copyFile(path.join(harness, 'index.html'), path.join(pageDir, 'index.html'));
  const [pages, browser] = await Promise.all([startStaticServer(pageDir), launchBrowser()]);
  const rows: TableRow[] = [];
  try {
    const page = await browser.context.newPage();
    await page.goto(`${pages.url}/index.html`);
    await page.waitForFunction(() => window.imageShrink !== undefined);
    for (const image of IMAGES) {
      const inputSize = await page.evaluate((spec) => window.imageShrink.generate(spec), image);
      const runs: ShrinkRun[] = [];
      for (let index = 0; index < RUNS; index += 1) {
        runs.push(
          await page.evaluate(({ name, maxBytes }) => window.imageShrink.shrink(name, { maxBytes, codec: 'auto' }), {
            name: image.name,
            maxBytes: MAX_BYTES,
          }),
        );
      }
      const fallback = await page.evaluate(({ name, maxBytes }) => window.imageShrink.shrink(name, { maxBytes, codec: 'main-thread' }), {
        name: image.name,
        maxBytes: MAX_BYTES,
      });
      await page.evaluate((name) => window.imageShrink.forget(name), image.name);
      const last = runs.at(-1) as ShrinkRun;
      const section = `${image.name} (${image.width}×${image.height})`;
      if (!last.ok) {
        rows.push({ section, metric: 'error', value: `${last.error?.code}: ${last.error?.message}`, reference: '', verdict: '' });
        continue;
      }
      const longTotals = runs.map((run) => run.longTasks.totalMs);
      rows.push(
        {
          section,
          metric: 'input → output',
          value: `${mb(inputSize)} → ${mb(last.size as number)}`,
          reference: `limit ${mb(MAX_BYTES)}`,
          verdict: '',
        },
        { section, metric: 'output', value: `${last.width}×${last.height} ${last.type}`, reference: last.name as string, verdict: '' },
        {
          section,
          metric: `time, worker (median of ${RUNS})`,
          value: ms(median(runs.map((run) => run.elapsedMs))),
          reference: `main-thread fallback ${ms(fallback.elapsedMs)}`,
          verdict: '',
        },
        {
          section,
          metric: 'main-thread long tasks, worker: total (count, longest)',
          value: `${ms(median(longTotals))} (${median(runs.map((run) => run.longTasks.count))}, ${ms(Math.max(...runs.map((run) => run.longTasks.longestMs)))})`,
          reference: `fallback ${ms(fallback.longTasks.totalMs)} (${fallback.longTasks.count}, ${ms(fallback.longTasks.longestMs)})`,
          verdict: '',
        },
      );
      log(`${image.name}: done`);
    }
  } finally {
    await Promise.allSettled([browser.close(), pages.close()]);
    await rm(pageDir, { recursive: true, force: true });
  }
  const lazy = await chunkSize(path.join(repoRoot, 'src/core/shrinkImageToFit.ts'));
  const loader = await chunkSize(path.join(repoRoot, 'src/core/loadImageShrinker.ts'), true);
  rows.push(
    {
      section: 'bundle',
      metric: 'lazy chunk (shrinkImageToFit + worker source)',
      value: `${kb(lazy.gzip)} gzip`,
      reference: `${kb(lazy.minified)} minified`,
      verdict: '',
    },
    {
      section: 'bundle',
      metric: 'loadImageShrinker (in the main bundle)',
      value: `${loader.gzip} B gzip`,
      reference: `${loader.minified} B minified, import() kept`,
      verdict: '',
    },
  );
  log();
  log(`Image shrinking, limit ${MAX_BYTES} bytes, ${RUNS} runs per image, Chromium headless (--disable-gpu)`);
  log(formatTable(rows));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
