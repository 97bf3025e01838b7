/**
 * §7 PUT versus POST: the same batch through <TicketAttachmentUploader> in presigned PUT mode
 * (`fetchUploadUrl`, a GetAttachmentUploadUrl round trip per file) and in POST policy mode
 * (`fetchAuthorization`, one getOSSTempAuthor prefetched on mount), against the same local stack,
 * same files, same Chromium, rounds alternating which mode goes first (A/B, then B/A). Issue 13's
 * promise: a PUT batch is not slower than a POST batch by more than one upload-URL round trip,
 * which the PUT page measures itself in the same run.
 */
import type { DropMark } from '../pages/benchApi';
import type { BenchEnvironment, OssRequestLogEntry } from '../support/harness';
import { median, percentile, round } from '../support/stats';

export interface PutVersusPostCase {
  files: number;
  /**
   * BENCH-ONLY delay the page adds before each backend call of either mode (getOSSTempAuthor,
   * the upload URL): 0 is the local stack as it is, more stands for a backend farther away.
   */
  backendDelayMs: number;
  /** Upload cap inside Chromium, bytes per second; 0 = loopback speed (the worst case for PUT: nothing to hide a round trip behind). */
  uploadCap: number;
}

export interface PutVersusPostOptions {
  rounds: number;
  fileSize: number;
  concurrency: number;
  /** Round trips measured on the PUT page after each of its batches. */
  roundTripSamples: number;
  cases: PutVersusPostCase[];
}

export interface PutVersusPostRun {
  /** Files handed over → last key emitted (ms, page clock). */
  durationMs: number;
  ok: number;
  /** Backend calls the component made for the batch: getOSSTempAuthor after the drop, or upload URLs. */
  backendCalls: number;
  /** PUT: how long each of the batch's upload URL calls took (while the uploads ran). */
  inBatchRoundTrips: number[];
}

export interface PutVersusPostRound {
  round: number;
  order: 'put-first' | 'post-first';
  put: PutVersusPostRun;
  post: PutVersusPostRun;
  ratio: number;
  differenceMs: number;
  /** Median of this round's upload URL round trips. */
  roundTripMs: number;
}

/** Median and spread of a list of figures. */
export interface Spread {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export interface PutVersusPostCaseResult extends PutVersusPostCase {
  rounds: PutVersusPostRound[];
  putMs: Spread;
  postMs: Spread;
  /** Per-round PUT / POST. */
  ratio: Spread;
  /** Per-round PUT − POST (ms). */
  differenceMs: Spread;
  /** One upload URL round trip as the page sees it, on an idle page after the batch (all samples of all rounds). */
  roundTripMs: Spread;
  /** The component's upload URL calls during the batches (the same server is busy storing uploads then). */
  inBatchRoundTripMs: Spread;
  /** Median difference in upload URL round trips (difference / median round trip). */
  differenceInRoundTrips: number;
}

export interface PutVersusPostResult {
  options: PutVersusPostOptions;
  cases: PutVersusPostCaseResult[];
}

export function spread(values: readonly number[], digits = 1): Spread {
  return {
    median: round(median(values), digits),
    p25: round(percentile(values, 25), digits),
    p75: round(percentile(values, 75), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
  };
}

async function runBatch(
  env: BenchEnvironment,
  mode: 'put' | 'post',
  batch: PutVersusPostCase,
  options: PutVersusPostOptions,
): Promise<PutVersusPostRun & { roundTrips: number[] }> {
  await env.resetEmulator();
  const query = {
    mode,
    maxFiles: batch.files,
    concurrency: options.concurrency,
    ...(mode === 'put' ? { uploadUrlDelayMs: batch.backendDelayMs } : { authDelayMs: batch.backendDelayMs }),
  };
  const bench = await env.openPage('uploader.html', query);
  try {
    await bench.throttleUpload(batch.uploadCap);
    // POST: waits for the mount prefetch, as a page that has been open a moment has it. PUT: nothing to wait for.
    await bench.prepareAuthorizedFiles(batch.files, options.fileSize);
    const { mark, doneAt, calls, inBatch } = await bench.page.evaluate(
      async ({ files, mode }): Promise<{ mark: DropMark; doneAt: number; calls: number; inBatch: number[] }> => {
        const api = window.uploaderBench!;
        const before = mode === 'put' ? api.stats().uploadUrlCalls.length : api.stats().authorizationCalls.length;
        const dropped = api.drop();
        const done = await api.waitForPaths(files);
        const after = mode === 'put' ? api.stats().uploadUrlCalls.length : api.stats().authorizationCalls.length;
        const inBatch = api.stats().uploadUrlCalls.map((call) => call.answeredAt - call.startedAt);
        return { mark: dropped, doneAt: done, calls: after - before, inBatch };
      },
      { files: batch.files, mode },
    );
    const requests: OssRequestLogEntry[] = await env.ossRequests();
    await bench.throttleUpload(0);
    const roundTrips =
      mode === 'put'
        ? await bench.page.evaluate((count) => window.uploaderBench!.measureUploadUrlRoundTrips(count), options.roundTripSamples)
        : [];
    return {
      durationMs: round(doneAt - mark.t0, 1),
      ok: requests.filter((request) => request.status === 200).length,
      backendCalls: calls,
      inBatchRoundTrips: inBatch.map((value) => round(value, 1)),
      roundTrips,
    };
  } finally {
    await bench.close();
  }
}

export async function runPutVersusPost(
  env: BenchEnvironment,
  options: PutVersusPostOptions,
  log: (line: string) => void,
): Promise<PutVersusPostResult> {
  // Warm-up (discarded): JIT, connections, the SDK clients' first calls.
  for (const mode of ['put', 'post'] as const) await runBatch(env, mode, { files: 3, backendDelayMs: 0, uploadCap: 0 }, options);

  const cases: PutVersusPostCaseResult[] = [];
  for (const batch of options.cases) {
    log(
      `  ${batch.files} files, backend delay ${batch.backendDelayMs} ms, upload cap ${batch.uploadCap > 0 ? `${batch.uploadCap / 1e6} MB/s` : 'none'}:`,
    );
    const rounds: PutVersusPostRound[] = [];
    const allRoundTrips: number[] = [];
    const inBatchRoundTrips: number[] = [];
    for (let index = 1; index <= options.rounds; index += 1) {
      // Alternate which mode goes first, so a drift of the shared machine hits both alike.
      const order = index % 2 === 1 ? 'put-first' : 'post-first';
      const [first, second] = order === 'put-first' ? (['put', 'post'] as const) : (['post', 'put'] as const);
      const firstRun = await runBatch(env, first, batch, options);
      const secondRun = await runBatch(env, second, batch, options);
      const put = first === 'put' ? firstRun : secondRun;
      const post = first === 'post' ? firstRun : secondRun;
      if (put.ok !== batch.files || post.ok !== batch.files) {
        throw new Error(`round ${index}: expected ${batch.files} stored files, got PUT ${put.ok}, POST ${post.ok}`);
      }
      allRoundTrips.push(...put.roundTrips);
      inBatchRoundTrips.push(...put.inBatchRoundTrips);
      const roundTripMs = round(median(put.roundTrips), 1);
      const item: PutVersusPostRound = {
        round: index,
        order,
        put: { durationMs: put.durationMs, ok: put.ok, backendCalls: put.backendCalls, inBatchRoundTrips: put.inBatchRoundTrips },
        post: { durationMs: post.durationMs, ok: post.ok, backendCalls: post.backendCalls, inBatchRoundTrips: [] },
        ratio: round(put.durationMs / post.durationMs, 4),
        differenceMs: round(put.durationMs - post.durationMs, 1),
        roundTripMs,
      };
      rounds.push(item);
      log(
        `    round ${index} (${order}): PUT ${put.durationMs.toFixed(0)} ms, POST ${post.durationMs.toFixed(0)} ms, ratio ${item.ratio.toFixed(3)}, ` +
          `difference ${item.differenceMs.toFixed(0)} ms, round trip ${roundTripMs.toFixed(1)} ms`,
      );
    }
    const differenceMs = spread(rounds.map((item) => item.differenceMs));
    const roundTripMs = spread(allRoundTrips);
    cases.push({
      ...batch,
      rounds,
      putMs: spread(rounds.map((item) => item.put.durationMs)),
      postMs: spread(rounds.map((item) => item.post.durationMs)),
      ratio: spread(
        rounds.map((item) => item.ratio),
        3,
      ),
      differenceMs,
      roundTripMs,
      inBatchRoundTripMs: spread(inBatchRoundTrips),
      differenceInRoundTrips: round(differenceMs.median / roundTripMs.median, 2),
    });
  }
  return { options, cases };
}
