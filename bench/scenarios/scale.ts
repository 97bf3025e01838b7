/**
 * §6 Scale: 200 files added at once (maxFiles 200, concurrency 3, uploads slowed so the list keeps
 * updating): time until 200 rows are in the DOM and the next frame after that, JS heap after GC
 * (CDP) before and after, and keydown → next frame latency of a text input next to the uploader,
 * first with the uploader idle (baseline, same page), then while the 200-file list updates.
 */
import type { DropMark } from '../pages/benchApi';
import type { BenchEnvironment, BenchPage } from '../support/harness';
import { median, percentile, round, sleep } from '../support/stats';

export interface ScaleOptions {
  files: number;
  fileSize: number;
  concurrency: number;
  uploadCap: number;
  keystrokes: number;
  /** Pause between keystrokes (ms). */
  keyIntervalMs: number;
  /** Diagnostic: emulate `prefers-reduced-motion: reduce` (the stylesheet then drops the progress bar's width transition). */
  reducedMotion?: boolean;
}

export interface KeyLatency {
  /** Every keydown → next frame latency (ms). */
  latenciesMs: number[];
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Main-thread time per second of typing (CDP Performance.getMetrics deltas), by kind. */
  mainThreadMsPerSecond: { script: number; layout: number; style: number; task: number };
  layoutsPerSecond: number;
}

export interface ScaleResult {
  options: ScaleOptions;
  /** change event → 200 rows in the DOM. */
  rowsInDomMs: number;
  /** change event → the frame after the rows were inserted. */
  rowsPaintedMs: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  /** (after − before) / files. */
  heapPerFileBytes: number;
  /** Keys typed with the uploader empty (baseline, same page, same run). */
  idleTyping: KeyLatency;
  /** Keys typed while the 200-file list was updating. */
  busyTyping: KeyLatency;
  /** Long tasks (> 50 ms) from the drop to the end of typing, and the longest. */
  longTasks: number;
  longestTaskMs: number;
  /** Each long task as "start relative to the drop + duration" (ms). */
  longTaskSpans: string[];
  /** Files done by the end of the measurement (uploads are slowed on purpose). */
  uploadedDuringMeasurement: number;
}

async function heapAfterGc(bench: BenchPage): Promise<number> {
  await bench.cdp.send('HeapProfiler.collectGarbage');
  await bench.cdp.send('HeapProfiler.collectGarbage');
  const usage = await bench.cdp.send('Runtime.getHeapUsage');
  return usage.usedSize;
}

type MetricName = 'ScriptDuration' | 'LayoutDuration' | 'RecalcStyleDuration' | 'TaskDuration' | 'LayoutCount';

async function readMetrics(bench: BenchPage): Promise<Record<MetricName, number> & { at: number }> {
  const { metrics } = await bench.cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return {
    ScriptDuration: value('ScriptDuration'),
    LayoutDuration: value('LayoutDuration'),
    RecalcStyleDuration: value('RecalcStyleDuration'),
    TaskDuration: value('TaskDuration'),
    LayoutCount: value('LayoutCount'),
    at: performance.now(),
  };
}

async function typeKeys(bench: BenchPage, options: ScaleOptions): Promise<KeyLatency> {
  const start = await bench.page.evaluate(() => window.uploaderBench!.stats().keyLatencies.length);
  const metricsBefore = await readMetrics(bench);
  await bench.page.focus('#bench-title');
  for (let key = 0; key < options.keystrokes; key += 1) {
    await bench.page.keyboard.press(String.fromCharCode(97 + (key % 26)));
    await sleep(options.keyIntervalMs);
  }
  await sleep(100);
  const metricsAfter = await readMetrics(bench);
  const latencies = (await bench.page.evaluate(() => window.uploaderBench!.stats().keyLatencies)).slice(start);
  const elapsedSeconds = (metricsAfter.at - metricsBefore.at) / 1000;
  // CDP durations are in seconds: ms of main-thread work per second of wall time.
  const perSecond = (name: MetricName) => round(((metricsAfter[name] - metricsBefore[name]) * 1000) / elapsedSeconds, 1);
  return {
    latenciesMs: latencies.map((value) => round(value, 1)),
    samples: latencies.length,
    medianMs: round(median(latencies), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    maxMs: round(Math.max(...latencies), 1),
    mainThreadMsPerSecond: {
      script: perSecond('ScriptDuration'),
      layout: perSecond('LayoutDuration'),
      style: perSecond('RecalcStyleDuration'),
      task: perSecond('TaskDuration'),
    },
    layoutsPerSecond: round((metricsAfter.LayoutCount - metricsBefore.LayoutCount) / elapsedSeconds, 1),
  };
}

export async function runScale(env: BenchEnvironment, options: ScaleOptions): Promise<ScaleResult> {
  await env.resetEmulator();
  const bench = await env.openPage('uploader.html', { maxFiles: options.files, concurrency: options.concurrency });
  try {
    await bench.cdp.send('Performance.enable');
    if (options.reducedMotion) await bench.page.emulateMedia({ reducedMotion: 'reduce' });
    await bench.throttleUpload(options.uploadCap);
    await bench.prepareAuthorizedFiles(options.files, options.fileSize);
    const idleTyping = await typeKeys(bench, options);
    const heapBeforeBytes = await heapAfterGc(bench);

    const { mark, rows } = await bench.page.evaluate(async (files) => {
      const api = window.uploaderBench!;
      const dropped: DropMark = api.drop({ watchRows: files });
      return { mark: dropped, rows: await api.waitForRows() };
    }, options.files);

    const busyTyping = await typeKeys(bench, options);
    const typedUntil = await bench.page.evaluate(() => performance.now());
    const heapAfterBytes = await heapAfterGc(bench);
    const stats = await bench.page.evaluate(() => window.uploaderBench!.stats());
    const longTasks = stats.longTasks.filter(
      (task) => task.startTime + task.duration >= mark.t0 && task.startTime <= typedUntil && task.duration > 50,
    );
    const uploaded = (await env.ossRequests()).filter((request) => request.status === 200).length;
    return {
      options,
      rowsInDomMs: round(rows.rowsAt - mark.t0, 1),
      rowsPaintedMs: round(rows.frameAt - mark.t0, 1),
      heapBeforeBytes,
      heapAfterBytes,
      heapPerFileBytes: round((heapAfterBytes - heapBeforeBytes) / options.files),
      idleTyping,
      busyTyping,
      longTasks: longTasks.length,
      longestTaskMs: round(Math.max(0, ...longTasks.map((task) => task.duration))),
      longTaskSpans: longTasks.map((task) => `${round(task.startTime - mark.t0)}+${round(task.duration)}`),
      uploadedDuringMeasurement: uploaded,
    };
  } finally {
    await bench.close();
  }
}

/** Several runs as one: key latencies pooled, everything else the median (long tasks: the total). */
export function combineScaleRuns(runs: ScaleResult[]): ScaleResult & { runs: number } {
  const first = runs[0];
  if (!first) throw new Error('no scale runs');
  const pool = (pick: (run: ScaleResult) => KeyLatency): KeyLatency => {
    const latencies = runs.flatMap((run) => pick(run).latenciesMs);
    const perSecond = (key: keyof KeyLatency['mainThreadMsPerSecond']) =>
      round(median(runs.map((run) => pick(run).mainThreadMsPerSecond[key])), 1);
    return {
      latenciesMs: latencies,
      samples: latencies.length,
      medianMs: round(median(latencies), 1),
      p95Ms: round(percentile(latencies, 95), 1),
      maxMs: round(Math.max(...latencies), 1),
      mainThreadMsPerSecond: {
        script: perSecond('script'),
        layout: perSecond('layout'),
        style: perSecond('style'),
        task: perSecond('task'),
      },
      layoutsPerSecond: round(median(runs.map((run) => pick(run).layoutsPerSecond)), 1),
    };
  };
  const mid = (pick: (run: ScaleResult) => number, digits = 0) => round(median(runs.map(pick)), digits);
  return {
    runs: runs.length,
    options: first.options,
    rowsInDomMs: mid((run) => run.rowsInDomMs, 1),
    rowsPaintedMs: mid((run) => run.rowsPaintedMs, 1),
    heapBeforeBytes: mid((run) => run.heapBeforeBytes),
    heapAfterBytes: mid((run) => run.heapAfterBytes),
    heapPerFileBytes: mid((run) => run.heapPerFileBytes),
    idleTyping: pool((run) => run.idleTyping),
    busyTyping: pool((run) => run.busyTyping),
    longTasks: runs.reduce((total, run) => total + run.longTasks, 0),
    longestTaskMs: Math.max(...runs.map((run) => run.longestTaskMs)),
    longTaskSpans: runs.flatMap((run) => run.longTaskSpans),
    uploadedDuringMeasurement: mid((run) => run.uploadedDuringMeasurement),
  };
}
