/**
 * §8 Unthrottled (issue 14): the component against bare XHR with NO bandwidth cap, on loopback, where
 * nothing hides what the library costs. Per case and mode, rounds alternate which page goes first
 * (A/B, then B/A); each run opens a fresh page, builds the files in it outside the timing, then
 * measures, in the same run for both pages:
 * - the batch time, drop (or the bare page's `upload()` call) → every file stored and seen by the page;
 * - drop → the first `XMLHttpRequest.send()` (both pages wrap `send`, see `recordXhrSends`);
 * - main-thread CPU time from drop to done: the renderer main thread's `ThreadTime` (CPU time) and
 *   `TaskDuration` (wall time inside tasks) from the CDP Performance domain, read right before the drop
 *   and right after the batch; both pages pay the same DevTools command to read them;
 * - the gap between one file's `load` event and the next `send()`.
 * POST policy mode is compared with bare XHR + FormData with its policy in hand; presigned PUT mode
 * with bare XHR that asks one upload URL per file right before sending it (no prefetch), plus the
 * upload URL round trip measured idle on the same page.
 */
import type { CDPSession } from 'playwright-core';
import type { DropMark, RawUploadResult } from '../pages/benchApi';
import type { BenchEnvironment, OssRequestLogEntry } from '../support/harness';
import { median, round } from '../support/stats';
import { spread, type Spread } from './putVersusPost';
import { diffProcessCpu, readProcessCpu, type CpuByGroup } from '../support/processCpu';

export interface UnthrottledCase {
  files: number;
  fileSize: number;
  concurrency: number;
}

export interface UnthrottledOptions {
  rounds: number;
  modes: ('post' | 'put')[];
  cases: UnthrottledCase[];
  /** PUT mode: upload URL round trips measured idle on the component's page after its batch. */
  roundTripSamples: number;
}

export interface UnthrottledRun {
  durationMs: number;
  /** Drop → first XMLHttpRequest.send(). */
  firstSendMs: number;
  /** Renderer main thread CPU time (CDP `ThreadTime`), drop → done. */
  cpuMs: number;
  /** Renderer main thread time inside tasks (CDP `TaskDuration`), drop → done. */
  taskMs: number;
  /** Median of each `load` → the first `send()` after it (files that had a successor). */
  loadToNextSendMs: number;
  /** CPU of every Chromium process (by type; the renderer by thread) and of the emulator's Node process, drop → done. */
  processCpuMs: CpuByGroup;
  ok: number;
}

export interface UnthrottledRound {
  round: number;
  order: 'component-first' | 'bare-first';
  component: UnthrottledRun;
  bare: UnthrottledRun;
  ratio: number;
}

export interface UnthrottledCaseResult extends UnthrottledCase {
  mode: 'post' | 'put';
  rounds: UnthrottledRound[];
  /** Per-round component / bare batch time. */
  ratio: Spread;
  componentMs: Spread;
  bareMs: Spread;
  firstSendMs: { component: Spread; bare: Spread };
  /** Main-thread CPU time per file (ms). */
  cpuPerFileMs: { component: Spread; bare: Spread };
  taskPerFileMs: { component: Spread; bare: Spread };
  loadToNextSendMs: { component: Spread; bare: Spread };
  /** PUT mode: idle upload URL round trips on the component's page. */
  roundTripMs?: Spread;
  /**
   * Batches of at most 3 files: drop → first send of the third batch dropped on the same page, one page
   * per round (the first drop on a fresh page also pays for running its code for the first time).
   */
  warmFirstSendMs?: Spread;
}

export interface UnthrottledResult {
  options: UnthrottledOptions;
  cases: UnthrottledCaseResult[];
}

async function mainThreadMetrics(cdp: CDPSession): Promise<{ cpuMs: number; taskMs: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? Number.NaN;
  // Both are seconds.
  return { cpuMs: value('ThreadTime') * 1000, taskMs: value('TaskDuration') * 1000 };
}

function loadToNextSend(loads: readonly number[], sends: readonly number[]): number {
  const gaps: number[] = [];
  for (const load of loads) {
    const next = sends.find((at) => at >= load);
    if (next !== undefined) gaps.push(next - load);
  }
  return gaps.length > 0 ? median(gaps) : Number.NaN;
}

function countStored(requests: readonly OssRequestLogEntry[]): number {
  return requests.filter((request) => request.status === 200).length;
}

async function runComponent(
  env: BenchEnvironment,
  mode: 'post' | 'put',
  batch: UnthrottledCase,
  roundTripSamples: number,
): Promise<UnthrottledRun & { roundTrips: number[] }> {
  await env.resetEmulator();
  const bench = await env.openPage('uploader.html', { mode, maxFiles: batch.files, concurrency: batch.concurrency });
  try {
    await bench.cdp.send('Performance.enable');
    await bench.prepareAuthorizedFiles(batch.files, batch.fileSize);
    const before = await mainThreadMetrics(bench.cdp);
    const cpuBefore = readProcessCpu();
    const { mark, doneAt, sends, loads } = await bench.page.evaluate(async (files) => {
      const api = window.uploaderBench!;
      const dropped: DropMark = api.drop();
      const done = await api.waitForPaths(files);
      const { xhrSends, xhrLoads } = api.stats();
      return {
        mark: dropped,
        doneAt: done,
        sends: xhrSends.filter((at) => at >= dropped.t0),
        loads: xhrLoads.filter((at) => at >= dropped.t0),
      };
    }, batch.files);
    const processCpuMs = diffProcessCpu(cpuBefore, readProcessCpu());
    const after = await mainThreadMetrics(bench.cdp);
    const ok = countStored(await env.ossRequests());
    const roundTrips =
      mode === 'put' ? await bench.page.evaluate((count) => window.uploaderBench!.measureUploadUrlRoundTrips(count), roundTripSamples) : [];
    return {
      durationMs: round(doneAt - mark.t0, 1),
      firstSendMs: round((sends[0] ?? Number.NaN) - mark.t0, 2),
      cpuMs: round(after.cpuMs - before.cpuMs, 2),
      taskMs: round(after.taskMs - before.taskMs, 2),
      loadToNextSendMs: round(loadToNextSend(loads, sends), 2),
      processCpuMs,
      ok,
      roundTrips,
    };
  } finally {
    await bench.close();
  }
}

/** Drop → first send of the third of three batches on one page (the code on the path has run twice before). */
async function runWarmDrops(env: BenchEnvironment, mode: 'post' | 'put', batch: UnthrottledCase): Promise<number> {
  await env.resetEmulator();
  const drops = 3;
  const bench = await env.openPage('uploader.html', { mode, maxFiles: batch.files * drops, concurrency: batch.concurrency });
  try {
    let firstSendMs = Number.NaN;
    for (let drop = 1; drop <= drops; drop += 1) {
      await bench.prepareAuthorizedFiles(batch.files, batch.fileSize);
      firstSendMs = await bench.page.evaluate(async (count) => {
        const api = window.uploaderBench!;
        const mark = api.drop();
        await api.waitForPaths(count);
        return (api.stats().xhrSends.find((at) => at >= mark.t0) ?? Number.NaN) - mark.t0;
      }, batch.files * drop);
    }
    return round(firstSendMs, 2);
  } finally {
    await bench.close();
  }
}

async function runBare(env: BenchEnvironment, mode: 'post' | 'put', batch: UnthrottledCase): Promise<UnthrottledRun> {
  await env.resetEmulator();
  const bench = await env.openPage('raw.html');
  try {
    await bench.cdp.send('Performance.enable');
    await bench.page.evaluate(async ({ files, fileSize }) => {
      const api = window.rawBench!;
      await api.ready();
      api.prepareFiles(files, fileSize);
    }, batch);
    const before = await mainThreadMetrics(bench.cdp);
    const cpuBefore = readProcessCpu();
    const result = await bench.page.evaluate(
      ({ concurrency, mode }): Promise<RawUploadResult> => window.rawBench!.upload(concurrency, mode),
      { concurrency: batch.concurrency, mode },
    );
    const processCpuMs = diffProcessCpu(cpuBefore, readProcessCpu());
    const after = await mainThreadMetrics(bench.cdp);
    return {
      durationMs: round(result.t1 - result.t0, 1),
      firstSendMs: round((result.xhrSends[0] ?? Number.NaN) - result.t0, 2),
      cpuMs: round(after.cpuMs - before.cpuMs, 2),
      taskMs: round(after.taskMs - before.taskMs, 2),
      loadToNextSendMs: round(loadToNextSend(result.xhrLoads, result.xhrSends), 2),
      processCpuMs,
      ok: countStored(await env.ossRequests()),
    };
  } finally {
    await bench.close();
  }
}

/** "emulator 90, browser 20, gpu 10, network 60, main 120, renderer pool 40, …" from a CPU split. */
function describeProcessCpu(cpu: CpuByGroup): string {
  return Object.entries(cpu)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
}

export const describeCase = (batch: UnthrottledCase, mode?: 'post' | 'put'): string =>
  `${mode ? `${mode.toUpperCase()} ` : ''}${batch.files} × ${batch.fileSize >= 1_000_000 ? `${(batch.fileSize / 1_048_576).toFixed(1)} MiB` : `${Math.round(batch.fileSize / 1024)} KB`}, conc ${batch.concurrency}`;

export async function runUnthrottled(
  env: BenchEnvironment,
  options: UnthrottledOptions,
  log: (line: string) => void,
): Promise<UnthrottledResult> {
  // Warm-up (discarded): JIT, connections, the backend's first calls.
  for (const mode of options.modes) {
    await runComponent(env, mode, { files: 3, fileSize: 65_536, concurrency: 3 }, 0);
    await runBare(env, mode, { files: 3, fileSize: 65_536, concurrency: 3 });
  }
  const cases: UnthrottledCaseResult[] = [];
  for (const mode of options.modes) {
    for (const batch of options.cases) {
      log(`  ${describeCase(batch, mode)}:`);
      const rounds: UnthrottledRound[] = [];
      const roundTrips: number[] = [];
      for (let index = 1; index <= options.rounds; index += 1) {
        // Alternate which page goes first, so a drift of the shared machine hits both alike.
        const order = index % 2 === 1 ? 'component-first' : 'bare-first';
        let component: Awaited<ReturnType<typeof runComponent>>;
        let bare: UnthrottledRun;
        if (order === 'component-first') {
          component = await runComponent(env, mode, batch, options.roundTripSamples);
          bare = await runBare(env, mode, batch);
        } else {
          bare = await runBare(env, mode, batch);
          component = await runComponent(env, mode, batch, options.roundTripSamples);
        }
        if (component.ok !== batch.files || bare.ok !== batch.files) {
          throw new Error(
            `${describeCase(batch, mode)} round ${index}: expected ${batch.files} stored files, got component ${component.ok}, bare ${bare.ok}`,
          );
        }
        roundTrips.push(...component.roundTrips);
        const { roundTrips: _, ...componentRun } = component;
        const ratio = round(component.durationMs / bare.durationMs, 4);
        rounds.push({ round: index, order, component: componentRun, bare, ratio });
        log(
          `    round ${index} (${order}): component ${component.durationMs.toFixed(0)} ms, bare ${bare.durationMs.toFixed(0)} ms, ratio ${ratio.toFixed(3)}; ` +
            `first send ${component.firstSendMs.toFixed(1)} | ${bare.firstSendMs.toFixed(1)} ms; CPU/file ${(component.cpuMs / batch.files).toFixed(2)} | ${(bare.cpuMs / batch.files).toFixed(2)} ms; ` +
            `load→next send ${component.loadToNextSendMs.toFixed(2)} | ${bare.loadToNextSendMs.toFixed(2)} ms; ` +
            `CPU ms ${describeProcessCpu(component.processCpuMs)} | ${describeProcessCpu(bare.processCpuMs)}`,
        );
      }
      const warmFirstSends: number[] = [];
      if (batch.files <= 3) {
        for (let index = 1; index <= options.rounds; index += 1) warmFirstSends.push(await runWarmDrops(env, mode, batch));
        log(`    warm (third drop on one page): first send ${warmFirstSends.map((value) => value.toFixed(1)).join(', ')} ms`);
      }
      const both = (pick: (run: UnthrottledRun) => number, digits = 2) => ({
        component: spread(
          rounds.map((item) => pick(item.component)),
          digits,
        ),
        bare: spread(
          rounds.map((item) => pick(item.bare)),
          digits,
        ),
      });
      cases.push({
        ...batch,
        mode,
        rounds,
        ratio: spread(
          rounds.map((item) => item.ratio),
          3,
        ),
        componentMs: spread(rounds.map((item) => item.component.durationMs)),
        bareMs: spread(rounds.map((item) => item.bare.durationMs)),
        firstSendMs: both((run) => run.firstSendMs),
        cpuPerFileMs: both((run) => run.cpuMs / batch.files, 3),
        taskPerFileMs: both((run) => run.taskMs / batch.files, 3),
        loadToNextSendMs: both((run) => run.loadToNextSendMs),
        ...(mode === 'put' ? { roundTripMs: spread(roundTrips) } : {}),
        ...(warmFirstSends.length > 0 ? { warmFirstSendMs: spread(warmFirstSends) } : {}),
      });
    }
  }
  return { options, cases };
}
