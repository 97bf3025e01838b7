/**
 * §5 Time to first byte: from the file input's change event (page clock, performance.timeOrigin +
 * performance.now()) to the emulator's `firstFileByteAt` of the first upload (same machine clock,
 * emulator clockOffset 0).
 *
 * - warm: the uploader's mount prefetch has finished before the drop;
 * - cold: the uploader was mounted `disabled` (so no prefetch) and is enabled synchronously
 *   (flushSync) right before the change event: the first file waits for getOSSTempAuthor;
 * - baseline: the bare-XHR page with its authorization already in hand.
 * The bench page adds a fixed delay to every getOSSTempAuthor call (BENCH-ONLY, a slower backend).
 */
import type { DropMark, RawUploadResult } from '../pages/benchApi';
import type { BenchEnvironment } from '../support/harness';
import { median, round } from '../support/stats';

export type TtfbVariant = 'warm' | 'cold' | 'raw';

export interface TtfbRun {
  variant: TtfbVariant;
  ttfbMs: number;
  /** Drop → the page's XMLHttpRequest.send() (page work, authorization wait included). */
  toSendMs: number;
  /** getOSSTempAuthor calls whose answer was still outstanding at the drop and that started before the first byte. */
  authorizationCallsOnPath: number;
  /** Ticket API counter: calls between the drop and the end of the upload. */
  apiRequestsAfterDrop: number;
  /** cold only: time spent enabling the uploader (flushSync) right before the drop; its prefetch starts then (not in ttfbMs). */
  enableMs: number;
  /** Page epoch clock (timeOrigin + now) minus Date.now() at the drop: how far the two page clocks disagree. */
  clockSkewMs: number;
}

export interface TtfbResult {
  authDelayMs: number;
  fileSize: number;
  runs: TtfbRun[];
  median: Record<TtfbVariant, number>;
  /** Median drop → XMLHttpRequest.send(). */
  medianToSend: Record<TtfbVariant, number>;
  warmAuthorizationCallsOnPath: number;
  coldAuthorizationCallsOnPath: number;
  /** cold: median time the synchronous enable took just before the change event (its fetch starts there). */
  medianColdEnableMs: number;
}

async function firstByteAt(env: BenchEnvironment): Promise<number> {
  const requests = await env.ossRequests();
  const first = Math.min(...requests.map((request) => request.firstFileByteAt ?? Number.POSITIVE_INFINITY));
  if (!Number.isFinite(first)) throw new Error('the emulator saw no file byte');
  return first;
}

async function runUploader(env: BenchEnvironment, variant: 'warm' | 'cold', authDelayMs: number, fileSize: number): Promise<TtfbRun> {
  await env.resetEmulator();
  const bench = await env.openPage('uploader.html', { maxFiles: 1, authDelayMs, ...(variant === 'cold' ? { deferAuthorization: 1 } : {}) });
  try {
    // Every first upload of a page pays its CORS preflight (no preflight cache between runs).
    await bench.cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await bench.page.evaluate(
      async ({ warm, size }) => {
        const api = window.uploaderBench!;
        if (warm) await api.whenAuthorized();
        api.prepareFiles(1, size);
      },
      { warm: variant === 'warm', size: fileSize },
    );
    const before = await env.authorizationRequests();
    const { mark, calls, sends } = await bench.page.evaluate(async () => {
      const api = window.uploaderBench!;
      const dropped: DropMark = api.drop();
      await api.waitForPaths(1);
      const stats = api.stats();
      return { mark: dropped, calls: stats.authorizationCalls, sends: stats.xhrSends };
    });
    const after = await env.authorizationRequests();
    const ttfbMs = (await firstByteAt(env)) - mark.epochT0;
    const firstByteOnPageClock = mark.t0 + ttfbMs;
    return {
      variant,
      ttfbMs: round(ttfbMs, 1),
      toSendMs: round((sends.find((at) => at >= mark.t0) ?? Number.NaN) - mark.t0, 1),
      authorizationCallsOnPath: calls.filter((call) => !(call.answeredAt <= mark.t0) && call.startedAt <= firstByteOnPageClock).length,
      apiRequestsAfterDrop: after - before,
      enableMs: round(mark.enableMs, 1),
      clockSkewMs: round(mark.epochT0 - mark.dateT0, 1),
    };
  } finally {
    await bench.close();
  }
}

async function runRaw(env: BenchEnvironment, fileSize: number): Promise<TtfbRun> {
  await env.resetEmulator();
  const bench = await env.openPage('raw.html');
  try {
    await bench.cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await bench.page.evaluate(async (size) => {
      await window.rawBench!.ready();
      window.rawBench!.prepareFiles(1, size);
    }, fileSize);
    const before = await env.authorizationRequests();
    const result = await bench.page.evaluate((): Promise<RawUploadResult> => window.rawBench!.upload(1));
    const after = await env.authorizationRequests();
    return {
      variant: 'raw',
      ttfbMs: round((await firstByteAt(env)) - result.epochT0, 1),
      toSendMs: round((result.xhrSends[0] ?? Number.NaN) - result.t0, 1),
      authorizationCallsOnPath: after - before,
      apiRequestsAfterDrop: after - before,
      enableMs: 0,
      clockSkewMs: 0,
    };
  } finally {
    await bench.close();
  }
}

export async function runTimeToFirstByte(
  env: BenchEnvironment,
  options: { repetitions: number; authDelayMs: number; fileSize: number },
  log: (line: string) => void,
): Promise<TtfbResult> {
  // Warm-up, discarded.
  await runUploader(env, 'warm', options.authDelayMs, options.fileSize);
  await runRaw(env, options.fileSize);
  const runs: TtfbRun[] = [];
  for (let repetition = 1; repetition <= options.repetitions; repetition += 1) {
    const warm = await runUploader(env, 'warm', options.authDelayMs, options.fileSize);
    const cold = await runUploader(env, 'cold', options.authDelayMs, options.fileSize);
    const raw = await runRaw(env, options.fileSize);
    runs.push(warm, cold, raw);
    log(
      `  #${repetition}: warm ${warm.ttfbMs} ms (send after ${warm.toSendMs} ms, ${warm.authorizationCallsOnPath} auth calls), ` +
        `cold ${cold.ttfbMs} ms (send after ${cold.toSendMs} ms, ${cold.authorizationCallsOnPath}), bare XHR ${raw.ttfbMs} ms (send after ${raw.toSendMs} ms)`,
    );
  }
  const of = (variant: TtfbVariant) => runs.filter((run) => run.variant === variant);
  return {
    authDelayMs: options.authDelayMs,
    fileSize: options.fileSize,
    runs,
    median: {
      warm: median(of('warm').map((run) => run.ttfbMs)),
      cold: median(of('cold').map((run) => run.ttfbMs)),
      raw: median(of('raw').map((run) => run.ttfbMs)),
    },
    medianToSend: {
      warm: median(of('warm').map((run) => run.toSendMs)),
      cold: median(of('cold').map((run) => run.toSendMs)),
      raw: median(of('raw').map((run) => run.toSendMs)),
    },
    warmAuthorizationCallsOnPath: Math.max(...of('warm').map((run) => run.authorizationCallsOnPath)),
    coldAuthorizationCallsOnPath: Math.min(...of('cold').map((run) => run.authorizationCallsOnPath)),
    medianColdEnableMs: median(of('cold').map((run) => run.enableMs)),
  };
}
