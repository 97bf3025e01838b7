/**
 * What the bench pages expose on `window`, shared by the pages (browser) and the scenarios (Node).
 * Times are the page's `performance.now()` unless named `epoch…` (ms since 1970, the machine clock).
 */

/** Page settings, read from the query string. */
export interface UploaderPageConfig {
  maxFiles: number;
  concurrency: number;
  /** Fixed delay the bench page adds before every getOSSTempAuthor fetch (a slower backend). 0 = none. */
  authDelayMs: number;
  /** Mount the uploader `disabled` (no mount prefetch); `drop()` enables it right before the change event. */
  deferAuthorization: boolean;
  /** `post`: `fetchAuthorization` (getOSSTempAuthor); `put`: `fetchUploadUrl` (a presigned PUT URL per file). */
  mode: 'post' | 'put';
  /** Fixed delay the bench page adds before every upload URL fetch (a slower backend). 0 = none. */
  uploadUrlDelayMs: number;
}

export interface CommitRecord {
  phase: string;
  actualDuration: number;
  /** performance.now() when the commit finished. */
  commitTime: number;
}

export interface LongTaskRecord {
  startTime: number;
  duration: number;
}

export interface AuthorizationCall {
  startedAt: number;
  /** Response headers received (the body is read by the library right after). NaN while pending. */
  answeredAt: number;
}

export interface DropMark {
  /** performance.now() right before the change event is dispatched. */
  t0: number;
  /** performance.timeOrigin + performance.now() at the same moment, to compare with the emulator's clock. */
  epochT0: number;
  /** Date.now() at the same moment (cross-check of the above). */
  dateT0: number;
  /** Cold start only: how long enabling the uploader took, right before t0 (its prefetch starts there). */
  enableMs: number;
}

export interface PageStats {
  commits: CommitRecord[];
  longTasks: LongTaskRecord[];
  authorizationCalls: AuthorizationCall[];
  /** PUT mode: every upload URL fetch the component made (same shape as an authorization call). */
  uploadUrlCalls: AuthorizationCall[];
  /** Every onChange: when, and how many paths. */
  changes: { at: number; count: number }[];
  /** keydown → next frame (ms) of every key typed into the text input. */
  keyLatencies: number[];
  /** performance.now() of every XMLHttpRequest.send() on the page (see `recordXhrSends`). */
  xhrSends: number[];
  /** performance.now() of every XMLHttpRequest `load` event, before the page's own handler (see `recordXhrLoads`). */
  xhrLoads: number[];
}

export interface UploaderBenchApi {
  config: UploaderPageConfig;
  /** Resolves (performance.now()) once the authorization query holds an answer. */
  whenAuthorized(): Promise<number>;
  /** Creates `count` files of `size` random bytes (outside any timing). */
  prepareFiles(count: number, size: number): void;
  /** Hands the prepared files to the uploader's file input (change event). `watchRows`: record when that many rows are in the DOM. */
  drop(options?: { watchRows?: number }): DropMark;
  /**
   * PUT mode: `count` upload URL round trips one after another, exactly as the component's
   * `fetchUploadUrl` makes them (bench delay included), answer read; each one's ms.
   */
  measureUploadUrlRoundTrips(count: number): Promise<number[]>;
  /** Resolves with the time of the first onChange that reports at least `count` paths. */
  waitForPaths(count: number): Promise<number>;
  /** After `drop({ watchRows })`: when the rows were in the DOM, and the next animation frame after that. */
  waitForRows(): Promise<{ rowsAt: number; frameAt: number }>;
  stats(): PageStats;
}

export interface RawUploadResult {
  t0: number;
  epochT0: number;
  /** When the last file's load event fired. */
  t1: number;
  /** performance.now() of every XMLHttpRequest.send(). */
  xhrSends: number[];
  /** performance.now() of every XMLHttpRequest `load` event. */
  xhrLoads: number[];
  statuses: number[];
}

export interface RawBenchApi {
  /** Fetches the authorization the batch will use (like the component's mount prefetch). */
  ready(): Promise<void>;
  prepareFiles(count: number, size: number): void;
  /**
   * Uploads the prepared files with bare XHR, `concurrency` at a time: `post` (default) a FormData
   * POST with the prefetched policy; `put` one upload URL request per file, then a PUT of the bytes.
   */
  upload(concurrency: number, mode?: 'post' | 'put'): Promise<RawUploadResult>;
  authorizationRequests(): number;
  longTasks(): LongTaskRecord[];
}

declare global {
  interface Window {
    uploaderBench?: UploaderBenchApi;
    rawBench?: RawBenchApi;
  }
}

/** Random bytes shared by every file (the content does not matter: nothing is compressed). */
export function createFiles(count: number, size: number): File[] {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  return Array.from(
    { length: count },
    (_, index) => new File([bytes], `attachment-${String(index + 1).padStart(3, '0')}.bin`, { type: 'application/octet-stream' }),
  );
}

/** Records main-thread long tasks from page load on. */
export function observeLongTasks(): LongTaskRecord[] {
  const records: LongTaskRecord[] = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) records.push({ startTime: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // Not supported: the list stays empty (the bench reports the count, so it would show 0).
  }
  return records;
}

/**
 * BENCH-ONLY instrumentation: records when the page calls XMLHttpRequest.send(), so the time to
 * first byte splits into page work (drop → send) and network (send → first byte at the emulator).
 */
export function recordXhrSends(): number[] {
  const sends: number[] = [];
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function recordSend(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    sends.push(performance.now());
    send.call(this, body);
  };
  return sends;
}

/**
 * BENCH-ONLY instrumentation: records when each XMLHttpRequest's `load` event fires. The listener is
 * added in `open()`, before the page sets its own `onload`, so it runs first and the time excludes the
 * page's answer handling; `load` → the next `send()` is the gap between one file and the next.
 */
export function recordXhrLoads(): number[] {
  const loads: number[] = [];
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
  XMLHttpRequest.prototype.open = function recordOpen(this: XMLHttpRequest, ...args: unknown[]) {
    this.addEventListener('load', () => loads.push(performance.now()));
    open.apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
  return loads;
}

export function readNumberParam(params: URLSearchParams, name: string, fallback: number): number {
  const value = Number(params.get(name));
  return params.has(name) && Number.isFinite(value) ? value : fallback;
}

export const epochNow = (): number => performance.timeOrigin + performance.now();
