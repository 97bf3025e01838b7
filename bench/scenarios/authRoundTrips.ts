/**
 * §4 Authorization round trips: 30 files, a 5-second authorization lifetime, a cap that makes the
 * batch last about 20 s. Counts getOSSTempAuthor calls (ticket API counter) and "Policy expired"
 * answers (emulator log), against the minimum the lifetime allows.
 */
import type { BenchEnvironment } from '../support/harness';
import { round } from '../support/stats';

export interface AuthRoundTripOptions {
  files: number;
  fileSize: number;
  lifetimeSeconds: number;
  uploadCap: number;
  concurrency: number;
}

export interface AuthRoundTripResult {
  options: AuthRoundTripOptions;
  durationMs: number;
  /** Lifetime minus the library's safety margin (min(15 s, lifetime / 4)). */
  usableLifetimeMs: number;
  /** ceil(duration / usable lifetime). */
  minimumRequests: number;
  /** getOSSTempAuthor calls from page load to the batch's end (the mount prefetch included). */
  requests: number;
  /** Of those, the ones made after the drop. */
  requestsAfterDrop: number;
  /** Seconds between consecutive calls, as the page saw them. */
  intervalsSeconds: number[];
  /** Calls started while another was still waiting for its answer. */
  overlapping: number;
  policyExpired: number;
  failedRequests: number;
  storedFiles: number;
}

export async function runAuthRoundTrips(env: BenchEnvironment, options: AuthRoundTripOptions): Promise<AuthRoundTripResult> {
  await env.resetEmulator();
  await env.setAuthorizationLifetime(options.lifetimeSeconds);
  const before = await env.authorizationRequests();
  const bench = await env.openPage('uploader.html', { maxFiles: options.files, concurrency: options.concurrency });
  try {
    await bench.throttleUpload(options.uploadCap);
    await bench.prepareAuthorizedFiles(options.files, options.fileSize);
    const atDrop = await env.authorizationRequests();
    const { mark, doneAt, calls } = await bench.page.evaluate(async (files) => {
      const api = window.uploaderBench!;
      const dropped = api.drop();
      const done = await api.waitForPaths(files);
      return { mark: dropped, doneAt: done, calls: api.stats().authorizationCalls };
    }, options.files);
    const after = await env.authorizationRequests();
    const requests = await env.ossRequests();

    const durationMs = doneAt - mark.t0;
    const lifetimeMs = options.lifetimeSeconds * 1000;
    const usableLifetimeMs = lifetimeMs - Math.min(15_000, lifetimeMs / 4);
    const starts = calls.map((call) => call.startedAt);
    const overlapping = calls.filter((call, index) =>
      calls.some((other, at) => at < index && other.startedAt <= call.startedAt && !(other.answeredAt < call.startedAt)),
    ).length;
    return {
      options,
      durationMs: round(durationMs),
      usableLifetimeMs,
      minimumRequests: Math.ceil(durationMs / usableLifetimeMs),
      requests: after - before,
      requestsAfterDrop: after - atDrop,
      intervalsSeconds: starts.slice(1).map((start, index) => round((start - (starts[index] as number)) / 1000, 2)),
      overlapping,
      policyExpired: requests.filter((request) => request.code === 'AccessDenied').length,
      failedRequests: requests.filter((request) => request.status !== 200).length,
      storedFiles: requests.filter((request) => request.status === 200).length,
    };
  } finally {
    await bench.close();
    await env.setAuthorizationLifetime(120);
  }
}
