import { browserConnectivity } from './browserConnectivity.js';
import type { Connectivity } from './browserConnectivity.js';
import { callUserCallback } from './callUserCallback.js';
import { loadImageShrinker } from './loadImageShrinker.js';
import { isRetryableUploadError } from './parseOssErrorResponse.js';
import type { ShrinkImage } from './ShrinkImage.js';
import { isFileBusy } from './uploadSelectors.js';
import { initialUploadState, uploadReducer } from './uploadReducer.js';
import type { FileUpload, UploadAction, UploadState } from './uploadReducer.js';
import type { UploadStrategy, UploadTarget } from './UploadStrategy.js';
import { isUploadError, UploadError } from './UploadError.js';
import type { UploadErrorCode } from './UploadError.js';
import type { FileLimits } from './validateFile.js';

export interface UploadQueueOptions {
  /**
   * How a file gets its destination and is sent: `createPostPolicyStrategy` (one POST policy shared
   * by every file) or `createPresignedPutStrategy` (one presigned URL per file).
   */
  strategy: UploadStrategy;
  /** Most uploads at once. Default 3. */
  concurrency?: number;
  /** Attempts per file for network errors, timeouts, 5xx and 429, the first included. Default 3. */
  maxAttempts?: number;
  /**
   * Delay (ms) before attempt `attempt` (2, 3, …). Default: 500 ms doubling per attempt, at most
   * 10 s, times a random 0.5–1.5 (jitter). A 429 or 503 with a readable `Retry-After` waits what it
   * asks instead (at most 60 s).
   */
  retryDelay?: (attempt: number) => number;
  /**
   * Whether the device is online, and when that changes. Default: `navigator.onLine` and the
   * window's `online`/`offline` events (always online without a browser). While offline, uploads in
   * flight are aborted and every file waits, without spending an attempt; back online, the queue resumes.
   */
  connectivity?: Connectivity;
  /** How long files wait for the connection before failing with `offline` (retryable by hand). Default 600,000 ms (10 minutes). */
  offlineTimeoutMs?: number;
  /** Stall timeout passed to the transport. Default 30,000 ms. */
  stallTimeoutMs?: number;
  /** Size limits checked again once the policy is known. */
  limits?: Pick<FileLimits, 'maxFileSize' | 'minFileSize'>;
  /** Id of a new entry (also the object key's folder). Default: 12 random base-36 characters. */
  createId?: () => string;
  /** Client clock. Default `Date.now`. */
  now?: () => number;
  /**
   * Coalesces notifications. Default: the first animation frame at least 50 ms after the previous
   * notification (a 50 ms timer when frames are paused; a 16 ms tick without `requestAnimationFrame`).
   */
  scheduleNotification?: (notify: () => void) => () => void;
  /** Shrinks an image added over its limit (`add(files, shrinkTo)`). Default: the built-in one, loaded on first use. */
  shrinkImage?: ShrinkImage;
  /** Shrink such images at once instead of offering it (`shrink(id)`). Default false. */
  autoShrink?: boolean;
  /*
   * The lifecycle callbacks below are the app's: whatever one throws is reported as an uncaught
   * error (`reportUncaughtError`) and changes nothing in the queue. Default: none.
   */
  /**
   * A file starts sending: its target is known (`key`) and `loaded` is 0. Called for every attempt
   * (a retry, or the fresh target after an expired one, starts sending again).
   */
  onUploadStarted?: (upload: Extract<FileUpload, { status: 'uploading' }>) => void;
  /**
   * A file sent more bytes: at most once per file per notification (`scheduleNotification`, at most
   * one per 50 ms by default), with its latest progress, and never after it left `uploading`.
   */
  onUploadProgress?: (upload: Extract<FileUpload, { status: 'uploading' }>) => void;
  onUploadSucceeded?: (upload: Extract<FileUpload, { status: 'done' }>) => void;
  onUploadFailed?: (upload: Extract<FileUpload, { status: 'failed' }>) => void;
  /** A queued or in-flight file was canceled (`cancel`, `abortAll`, `destroy`); not called for a removed file. */
  onUploadCanceled?: (upload: Extract<FileUpload, { status: 'canceled' }>) => void;
  /**
   * Called synchronously when the queue goes from idle to busy (any file queued, authorizing or
   * uploading) and back. Not coalesced: a batch that ends within one frame still reports both.
   */
  onBusyChange?: (busy: boolean) => void;
}

export interface UploadQueue {
  subscribe(listener: () => void): () => void;
  getSnapshot(): UploadState;
  setOptions(options: Partial<UploadQueueOptions>): void;
  /**
   * Queues files (already validated by the caller) and returns their ids. A file over `shrinkTo` bytes
   * (an image the caller found shrinkable) waits in `shrinkOffered` for `shrink(id)`, or is shrunk at once (`autoShrink`).
   */
  add(files: readonly File[], shrinkTo?: number): string[];
  /** Shrinks an offered image to fit, then queues the shrunk copy; a failure fails the file with the shrinker's reason. */
  shrink(id: string): void;
  cancel(id: string): void;
  /** Moves a failed or canceled file back to the queue, with a fresh attempt budget. */
  retry(id: string): void;
  /** Cancels (if needed) and drops a file; returns what was removed. */
  remove(id: string): FileUpload | undefined;
  /**
   * Cancels every queued and in-flight file and clears all timers; the queue stays usable (React's
   * StrictMode unmounts and remounts effects once, so an unmount must not kill the queue for good).
   */
  abortAll(): void;
  /** `abortAll()`, then stops working and notifying for good. */
  destroy(): void;
}

const DEFAULT_CONCURRENCY = 3;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_OFFLINE_TIMEOUT_MS = 600_000;

function defaultRetryDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** (attempt - 2)) * (0.5 + Math.random());
}

function defaultCreateId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => (byte % 36).toString(36)).join('');
}

/**
 * Shortest time between two notifications in a browser. XMLHttpRequest fires `progress` about every
 * 50 ms per request (docs/browser-rendering.md §1), so a faster cadence only
 * redraws one bar at a time, and each frame the page produces costs CPU in the renderer, its raster
 * workers and the GPU process that the uploads themselves need on a small machine.
 */
const NOTIFICATION_INTERVAL_MS = 50;

/**
 * The default `scheduleNotification`: the first animation frame at least 50 ms after the previous
 * notification (at once after a quiet spell). rAF is paused in background tabs, so a timer races it
 * and the state still settles while hidden. Without rAF (Node, tests): a 16 ms tick.
 */
function createNotificationScheduler(): (notify: () => void) => () => void {
  let lastNotifiedAt = -1e9;
  return (notify) => {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      lastNotifiedAt = performance.now();
      notify();
    };
    const hasFrames = typeof requestAnimationFrame === 'function';
    const wait = Math.max(0, lastNotifiedAt + NOTIFICATION_INTERVAL_MS - performance.now());
    // The fallback timer also serves as the 16 ms tick without frames; a frame that comes after a
    // cancel finds `done` and does nothing.
    const timers = [
      setTimeout(run, hasFrames ? wait + 50 : 16),
      hasFrames ? setTimeout(() => done || requestAnimationFrame(run), wait) : undefined,
    ];
    return () => {
      done = true;
      timers.forEach(clearTimeout);
    };
  };
}

/** Anything thrown that is not an UploadError (a custom `authorize` or transport) gets the code of its stage. */
function toUploadError(error: unknown, fallbackCode: UploadErrorCode): UploadError {
  if (isUploadError(error)) return error;
  return new UploadError(fallbackCode, error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * Owns every file's lifecycle: runs at most `concurrency` uploads, gets each file's target (through
 * the strategy) right before it starts, retries transient failures with backoff, gets one fresh
 * target when storage says the first lapsed, and guarantees each file ends `done`, `failed`
 * (retryable) or `canceled`.
 * Framework-free: React reads it through `useSyncExternalStore`.
 */
export function createUploadQueue(initialOptions: UploadQueueOptions): UploadQueue {
  let options = initialOptions;
  let state = initialUploadState;
  let destroyed = false;
  let pumpPaused = false;
  let cancelScheduledNotify: (() => void) | null = null;
  const listeners = new Set<() => void>();
  const active = new Map<string, AbortController>();
  /** Attempt number of a file's next try (absent = 1). */
  const attempts = new Map<string, number>();
  const backoffTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Shrinks in progress: local work, so (unlike uploads) going offline does not abort them. */
  const shrinks = new Map<string, AbortController>();
  /** True from the moment the queue learns the device is offline until it learns it is back. */
  let offline = false;
  let offlineTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribeConnectivity: (() => void) | undefined;
  const isOnline = () => (options.connectivity ?? browserConnectivity).isOnline();

  const now = () => (options.now ?? Date.now)();

  /** Files whose progress changed since the last notification: `onUploadProgress` rides on it. */
  const progressed = new Set<string>();
  let notificationPending = false;
  const defaultScheduleNotification = createNotificationScheduler();
  const notify = () => {
    notificationPending = false;
    cancelScheduledNotify = null;
    for (const listener of [...listeners]) listener();
    const ids = [...progressed];
    progressed.clear();
    for (const id of ids) {
      const upload = find(id);
      if (upload?.status === 'uploading') callUserCallback(options.onUploadProgress, upload);
    }
  };

  const scheduleNotification = () => {
    if (destroyed || notificationPending || (listeners.size === 0 && progressed.size === 0)) return;
    notificationPending = true;
    const cancel = (options.scheduleNotification ?? defaultScheduleNotification)(notify);
    // A scheduler may run `notify` synchronously; only a still-pending notification is cancelable.
    cancelScheduledNotify = notificationPending ? cancel : null;
  };

  let busy = false;
  /** Applies an action; true when the state changed. */
  const dispatch = (action: UploadAction): boolean => {
    const next = uploadReducer(state, action);
    if (next === state) return false;
    state = next;
    const nowBusy = state.files.some(isFileBusy);
    if (nowBusy !== busy) {
      busy = nowBusy;
      watchConnectivity();
      callUserCallback(options.onBusyChange, busy);
    }
    scheduleNotification();
    return true;
  };

  const cancelNotification = () => {
    cancelScheduledNotify?.();
    cancelScheduledNotify = null;
    notificationPending = false;
    progressed.clear();
  };

  const find = (id: string) => state.files.find((upload) => upload.id === id);

  /** Listens to the connection only while there is work: an idle or unmounted uploader holds no listener. */
  function watchConnectivity() {
    if (busy && !destroyed) {
      unsubscribeConnectivity ??= (options.connectivity ?? browserConnectivity).subscribe(() => (isOnline() ? goOnline() : goOffline()));
      return;
    }
    unsubscribeConnectivity?.();
    unsubscribeConnectivity = undefined;
    offline = false;
    clearTimeout(offlineTimer);
  }

  /**
   * Aborts every upload in flight and makes every file wait, keeping each one's attempt count and
   * (PUT mode) its URL: nothing sent while offline can arrive, and retrying into a dead network would
   * burn the attempts in seconds. After `offlineTimeoutMs` the waiting files fail with `offline`.
   */
  function goOffline() {
    if (offline) return;
    offline = true;
    for (const controller of active.values()) controller.abort();
    active.clear();
    for (const timer of backoffTimers.values()) clearTimeout(timer);
    backoffTimers.clear();
    dispatch({ type: 'connectionLost' });
    offlineTimer = setTimeout(() => {
      const error = new UploadError('offline', 'Offline for longer than offlineTimeoutMs.');
      for (const upload of state.files) {
        if (upload.status !== 'queued') continue;
        release(upload.id);
        fail(upload.id, error);
      }
    }, options.offlineTimeoutMs ?? DEFAULT_OFFLINE_TIMEOUT_MS);
  }

  /** Back online: every waiting file is queued again and the queue resumes; each gets a target checked for expiry anew. */
  function goOnline() {
    if (!offline) return;
    offline = false;
    clearTimeout(offlineTimer);
    dispatch({ type: 'connectionRestored' });
    pump();
  }

  const fail = (id: string, error: UploadError) => {
    attempts.delete(id);
    dispatch({ type: 'uploadFailed', id, error });
    const upload = find(id);
    if (upload?.status === 'failed') callUserCallback(options.onUploadFailed, upload);
  };

  const cancelEntry = (id: string) => {
    const upload = dispatch({ type: 'uploadCanceled', id }) && find(id);
    if (upload && upload.status === 'canceled') callUserCallback(options.onUploadCanceled, upload);
  };

  const release = (id: string) => options.strategy.release?.(id);

  /**
   * The files that will start next are fetched ahead while uploads run (presigned PUT: their URLs),
   * one per upload slot: slots often free up together (uploads of similar size started together),
   * and each of those files would otherwise wait a round trip for its URL. The strategy skips files
   * it already holds a usable answer for.
   */
  const prefetchNext = () => {
    const lookahead = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    let prefetched = 0;
    for (const upload of state.files) {
      if (prefetched >= lookahead) return;
      if (upload.status !== 'queued' || active.has(upload.id) || backoffTimers.has(upload.id)) continue;
      options.strategy.prefetch?.({ id: upload.id, file: upload.file });
      prefetched += 1;
    }
  };

  const run = async (id: string, controller: AbortController) => {
    const { signal } = controller;
    const { strategy } = options;
    let replacing: UploadTarget | undefined;
    for (;;) {
      const upload = find(id);
      if (!upload || signal.aborted) return;
      dispatch({ type: 'authorizationStarted', id });
      let target: UploadTarget;
      try {
        const prepared = strategy.prepare({ id, file: upload.file, signal, replacing, limits: options.limits, now });
        // A target at hand is sent at once: any `await` first would let the render React queued in a
        // microtask (the drop's, the previous file's) run before this file's first byte.
        target = prepared instanceof Promise ? await prepared : prepared;
      } catch (error) {
        if (signal.aborted) return;
        // Failed while the device is offline (its `offline` event may not have arrived yet): the
        // outage explains it, so the file waits and is prepared (and checked) anew once back online.
        if (!isOnline()) {
          goOffline();
          return;
        }
        release(id);
        fail(id, toUploadError(error, strategy.prepareErrorCode));
        return;
      }
      if (signal.aborted) return;
      dispatch({ type: 'uploadStarted', id, key: target.key, total: upload.file.size });
      const started = find(id);
      if (started?.status === 'uploading') callUserCallback(options.onUploadStarted, started);
      prefetchNext();
      try {
        const result = await target.send({
          signal,
          stallTimeoutMs: options.stallTimeoutMs,
          onProgress: (loaded, total) => {
            if (signal.aborted || !dispatch({ type: 'uploadProgressed', id, loaded, total })) return;
            if (options.onUploadProgress) {
              progressed.add(id);
              scheduleNotification();
            }
          },
        });
        if (signal.aborted) return;
        attempts.delete(id);
        release(id);
        dispatch({ type: 'uploadSucceeded', id, key: result.key, etag: result.etag });
        const done = find(id);
        if (done?.status === 'done') callUserCallback(options.onUploadSucceeded, done);
        return;
      } catch (caught) {
        if (signal.aborted) return;
        const error = toUploadError(caught, 'network-error');
        // The target lapsed ("Policy expired", "Request has expired."): one fresh target and one more
        // send, transparently, which does not count as an attempt.
        if (replacing === undefined && target.isExpiredRefusal(error)) {
          replacing = target;
          continue;
        }
        if (!isOnline()) {
          goOffline();
          return;
        }
        const attempt = attempts.get(id) ?? 1;
        const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
        if (isRetryableUploadError(error) && attempt < maxAttempts) {
          attempts.set(id, attempt + 1);
          dispatch({ type: 'retryScheduled', id, attempt: attempt + 1, error });
          // A 429 or 503 that says when to come back (Retry-After, capped when parsed) is believed over the curve.
          const retryAfter = error.status === 429 || error.status === 503 ? error.retryAfterMs : undefined;
          const delay = retryAfter ?? (options.retryDelay ?? defaultRetryDelay)(attempt + 1);
          backoffTimers.set(
            id,
            setTimeout(() => {
              backoffTimers.delete(id);
              pump();
            }, delay),
          );
          return;
        }
        release(id);
        fail(id, error);
        return;
      }
    }
  };

  const start = (id: string) => {
    const controller = new AbortController();
    active.set(id, controller);
    run(id, controller)
      // Only a bug or a strategy that throws outside its promises gets here: the file still ends
      // failed (retryable) instead of hanging in `uploading`, and nothing rejects unhandled.
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        controller.abort();
        fail(id, toUploadError(error, 'network-error'));
      })
      .finally(() => {
        if (active.get(id) === controller) active.delete(id);
        pump();
      });
  };

  const shrink = async (id: string) => {
    const upload = find(id);
    if (destroyed || upload?.shrinkTo === undefined || !dispatch({ type: 'shrinkStarted', id })) return;
    const controller = new AbortController();
    shrinks.set(id, controller);
    try {
      const shrinkImage = options.shrinkImage ?? (await loadImageShrinker());
      const { file } = await shrinkImage(upload.file, { maxBytes: upload.shrinkTo, signal: controller.signal });
      if (!controller.signal.aborted) dispatch({ type: 'shrinkSucceeded', id, file });
    } catch (error) {
      if (!controller.signal.aborted) fail(id, toUploadError(error, 'image-not-decodable'));
    }
    if (shrinks.get(id) === controller) shrinks.delete(id);
    pump();
  };

  function pump() {
    if (destroyed || pumpPaused) return;
    if (options.autoShrink) for (const upload of state.files) if (upload.status === 'shrinkOffered') void shrink(upload.id);
    // Not subscribed while idle, so the browser may have gone offline unseen; new files wait too.
    if (busy && !offline && !isOnline()) goOffline();
    if (offline) {
      dispatch({ type: 'connectionLost' });
      return;
    }
    const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    for (const upload of state.files) {
      if (active.size >= concurrency) return;
      if (upload.status === 'queued' && !active.has(upload.id) && !backoffTimers.has(upload.id)) start(upload.id);
    }
  }

  const stop = (id: string) => {
    active.get(id)?.abort();
    active.delete(id);
    shrinks.get(id)?.abort();
    shrinks.delete(id);
    clearTimeout(backoffTimers.get(id));
    backoffTimers.delete(id);
    attempts.delete(id);
    release(id);
  };

  const queue: UploadQueue = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    setOptions(next) {
      options = { ...options, ...next };
      pump();
    },
    add(files, shrinkTo) {
      if (destroyed) return [];
      const createId = options.createId ?? defaultCreateId;
      const addedAt = now();
      const entries = files.map((file) => ({
        id: createId(),
        file,
        addedAt,
        shrinkTo: file.size > (shrinkTo ?? Infinity) ? shrinkTo : undefined,
      }));
      dispatch({ type: 'filesAdded', files: entries });
      pump();
      return entries.map((entry) => entry.id);
    },
    shrink(id) {
      void shrink(id);
    },
    cancel(id) {
      stop(id);
      cancelEntry(id);
      pump();
    },
    retry(id) {
      if (destroyed) return;
      attempts.delete(id);
      dispatch({ type: 'retryRequested', id });
      pump();
    },
    remove(id) {
      const upload = find(id);
      if (!upload) return undefined;
      stop(id);
      dispatch({ type: 'fileRemoved', id });
      pump();
      return upload;
    },
    abortAll() {
      pumpPaused = true; // no new starts while canceling one file frees a slot for the next
      for (const upload of state.files) {
        if (isFileBusy(upload)) {
          stop(upload.id);
          cancelEntry(upload.id);
        }
      }
      pumpPaused = false;
      if (listeners.size === 0) cancelNotification();
    },
    destroy() {
      listeners.clear();
      queue.abortAll();
      destroyed = true;
      watchConnectivity();
    },
  };
  return queue;
}
