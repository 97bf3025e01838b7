/**
 * §2 Upload overhead: 20 files of 1.9 MiB through <TicketAttachmentUploader> (A) versus bare
 * XHR + FormData (B), concurrency 3 each, same emulator, same Chromium-side upload cap, A/B/A/B.
 */
import type { DropMark, RawUploadResult } from '../pages/benchApi';
import type { BenchEnvironment, OssRequestLogEntry } from '../support/harness';
import { median, round } from '../support/stats';

export interface OverheadOptions {
  rounds: number;
  files: number;
  fileSize: number;
  concurrency: number;
  /** Upload cap inside Chromium, bytes per second (shared by all requests of the page). */
  uploadCap: number;
}

export interface OverheadRun {
  /** Files handed over → last file done (ms, page clock). */
  durationMs: number;
  /** Emulator: first request received → last request finished (ms, emulator clock). */
  serverSpanMs: number;
  /** Last request finished on the emulator → the page saw the batch done (ms). */
  tailMs: number;
  ok: number;
}

export interface OverheadRound {
  round: number;
  component: OverheadRun;
  raw: OverheadRun;
  ratio: number;
}

export interface OverheadResult {
  options: OverheadOptions;
  rounds: OverheadRound[];
  medianRatio: number;
  medianComponentMs: number;
  medianRawMs: number;
  medianTailComponentMs: number;
  medianTailRawMs: number;
}

function summarize(durationMs: number, epochDone: number, requests: OssRequestLogEntry[]): OverheadRun {
  const first = Math.min(...requests.map((request) => request.receivedAt));
  const last = Math.max(...requests.map((request) => request.finishedAt));
  return {
    durationMs,
    serverSpanMs: last - first,
    tailMs: epochDone - last,
    ok: requests.filter((request) => request.status === 200).length,
  };
}

async function runComponent(env: BenchEnvironment, options: OverheadOptions): Promise<OverheadRun> {
  await env.resetEmulator();
  const bench = await env.openPage('uploader.html', { maxFiles: options.files, concurrency: options.concurrency });
  try {
    await bench.throttleUpload(options.uploadCap);
    await bench.page.evaluate(async ({ files, fileSize }) => {
      const api = window.uploaderBench!;
      await api.whenAuthorized();
      api.prepareFiles(files, fileSize);
    }, options);
    const { mark, doneAt } = await bench.page.evaluate(async (files): Promise<{ mark: DropMark; doneAt: number }> => {
      const api = window.uploaderBench!;
      const dropped = api.drop();
      return { mark: dropped, doneAt: await api.waitForPaths(files) };
    }, options.files);
    const durationMs = doneAt - mark.t0;
    return summarize(durationMs, mark.epochT0 + durationMs, await env.ossRequests());
  } finally {
    await bench.close();
  }
}

async function runRaw(env: BenchEnvironment, options: OverheadOptions): Promise<OverheadRun> {
  await env.resetEmulator();
  const bench = await env.openPage('raw.html');
  try {
    await bench.throttleUpload(options.uploadCap);
    await bench.page.evaluate(async ({ files, fileSize }) => {
      const api = window.rawBench!;
      await api.ready();
      api.prepareFiles(files, fileSize);
    }, options);
    const result = await bench.page.evaluate(
      (concurrency): Promise<RawUploadResult> => window.rawBench!.upload(concurrency),
      options.concurrency,
    );
    const durationMs = result.t1 - result.t0;
    return summarize(durationMs, result.epochT0 + durationMs, await env.ossRequests());
  } finally {
    await bench.close();
  }
}

export async function runUploadOverhead(
  env: BenchEnvironment,
  options: OverheadOptions,
  log: (line: string) => void,
): Promise<OverheadResult> {
  // Warm-up (discarded): JIT, HTTP connections, disk cache of the pages.
  await runComponent(env, { ...options, files: 3, uploadCap: 0 });
  await runRaw(env, { ...options, files: 3, uploadCap: 0 });

  const rounds: OverheadRound[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    const component = await runComponent(env, options);
    const raw = await runRaw(env, options);
    if (component.ok !== options.files || raw.ok !== options.files) {
      throw new Error(`round ${round}: expected ${options.files} stored files, got component ${component.ok}, raw ${raw.ok}`);
    }
    const ratio = component.durationMs / raw.durationMs;
    rounds.push({ round, component, raw, ratio });
    log(
      `  round ${round}: component ${(component.durationMs / 1000).toFixed(2)} s, raw ${(raw.durationMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(3)}`,
    );
  }
  return {
    options,
    rounds,
    medianRatio: round(median(rounds.map((item) => item.ratio)), 4),
    medianComponentMs: round(median(rounds.map((item) => item.component.durationMs))),
    medianRawMs: round(median(rounds.map((item) => item.raw.durationMs))),
    medianTailComponentMs: round(median(rounds.map((item) => item.component.tailMs)), 1),
    medianTailRawMs: round(median(rounds.map((item) => item.raw.tailMs)), 1),
  };
}
