import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAuthorizationUsable } from '../../src/core/authorizationExpiry';
import { createUploadQueue, type UploadQueueOptions } from '../../src/core/createUploadQueue';
import { createPostPolicyStrategy, type AuthorizeRequest, type PostPolicyStrategyOptions } from '../../src/core/postPolicyStrategy';
import type { OssAuthorization } from '../../src/core/parseOssAuthorization';
import { parseOssErrorResponse } from '../../src/core/parseOssErrorResponse';
import { buildContentDisposition, type PostObjectRequest, type PostObjectResult } from '../../src/core/postObject';
import type { FileUpload, UploadState } from '../../src/core/uploadReducer';
import { isAuthorizationErrorCode, UploadError } from '../../src/core/UploadError';
import { makeAuthorization, makeFile, ossErrorXml, T0 } from '../../fixtures';
import { NGINX_502_HTML } from '../support/ossErrorCases';

// ---------------------------------------------------------------------------------------------
// Harness: an injected clock, a cache-like `authorize`, a controllable `send`, a manual notifier.
// ---------------------------------------------------------------------------------------------

/** Lets every pending promise continuation run (the queue awaits authorize, then send). */
async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

function createClock(start = T0) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}
type Clock = ReturnType<typeof createClock>;

interface AuthorizerOptions {
  /** Lifetime of each new authorization on the server clock. Default 120 s. */
  lifetimeMs?: number;
  /**
   * `cache`: returns the cached authorization while `isAuthorizationUsable`, like react-query with a
   * staleness check; `dumb`: returns the cached one until the queue names it in `rejected`.
   */
  mode?: 'cache' | 'dumb';
  /** content-length-range of each policy. */
  range?: readonly [number, number];
}

/** A fake `authorize` that behaves like the React layer's cache and counts real fetches. */
function createAuthorizer(clock: Clock, { lifetimeMs = 120_000, mode = 'cache', range }: AuthorizerOptions = {}) {
  const requests: AuthorizeRequest[] = [];
  const issued: OssAuthorization[] = [];
  let cached: OssAuthorization | null = null;
  const authorize = async (request: AuthorizeRequest): Promise<OssAuthorization> => {
    requests.push(request);
    const reusable = cached !== null && cached !== request.rejected && (mode === 'dumb' || isAuthorizationUsable(cached, clock.now()));
    if (reusable && cached) return cached;
    // Each fetch gets its own dir, as getOSSTempAuthor's `pop_temp<n>/` suggests (docs/oss-protocol.md §6).
    cached = makeAuthorization({
      receivedAt: clock.now(),
      serverNow: clock.now(),
      lifetimeMs,
      dir: `pop_temp${issued.length + 1}/`,
      range,
    });
    issued.push(cached);
    return cached;
  };
  return {
    authorize,
    requests,
    issued,
    get fetches() {
      return issued.length;
    },
  };
}

interface SendCall {
  request: PostObjectRequest;
  /** The entry id, read from the key's id folder. */
  id: string;
  settled: boolean;
  resolve(result?: Partial<PostObjectResult>): void;
  reject(error: unknown): void;
  progress(loaded: number, total: number): void;
}

/** A fake transport: every call is a deferred the test settles. Like `postObject`, it rejects with `canceled` on abort unless told not to. */
function createSender({ rejectOnAbort = true } = {}) {
  const calls: SendCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (request: PostObjectRequest) =>
    new Promise<PostObjectResult>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const settle = () => {
        if (call.settled) return;
        call.settled = true;
        inFlight -= 1;
      };
      const call: SendCall = {
        request,
        id: request.key.split('/')[1] ?? '',
        settled: false,
        resolve(result = {}) {
          settle();
          resolve({
            key: request.key,
            status: 200,
            etag: `"etag-${call.id}"`,
            requestId: 'req-1',
            location: null,
            serverDate: null,
            ...result,
          });
        },
        reject(error) {
          settle();
          reject(error);
        },
        progress(loaded, total) {
          request.onProgress?.(loaded, total);
        },
      };
      calls.push(call);
      if (rejectOnAbort) {
        request.signal?.addEventListener('abort', () => call.reject(new UploadError('canceled', 'The upload was canceled.')), {
          once: true,
        });
      }
    });
  return {
    send,
    calls,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    callsFor: (id: string) => calls.filter((call) => call.id === id),
    pending: () => calls.filter((call) => !call.settled),
    last(): SendCall {
      const call = calls[calls.length - 1];
      if (!call) throw new Error('no send call');
      return call;
    },
  };
}

/** Notifications wait here until `flush()`: one "animation frame". */
function createManualScheduler() {
  const pending = new Set<() => void>();
  return {
    schedule: (notify: () => void) => {
      pending.add(notify);
      return () => pending.delete(notify);
    },
    get pendingCount() {
      return pending.size;
    },
    flush() {
      const batch = [...pending];
      pending.clear();
      for (const notify of batch) notify();
    },
  };
}

interface SetupOptions extends Partial<UploadQueueOptions> {
  authorizer?: AuthorizerOptions;
  rejectOnAbort?: boolean;
  /** Replaces the fake authorizer's `authorize`. */
  authorize?: PostPolicyStrategyOptions['authorize'];
}

function setup({ authorizer: authorizerOptions, rejectOnAbort, authorize, ...options }: SetupOptions = {}) {
  const clock = createClock();
  const authorizer = createAuthorizer(clock, authorizerOptions);
  const sender = createSender({ rejectOnAbort });
  const scheduler = createManualScheduler();
  const retryDelays: number[] = [];
  const succeeded: string[] = [];
  const failed: Array<[string, string]> = [];
  let nextId = 0;
  const queue = createUploadQueue({
    strategy: createPostPolicyStrategy({ authorize: authorize ?? authorizer.authorize, send: sender.send }),
    createId: () => `id${++nextId}`,
    now: clock.now,
    retryDelay: (attempt) => {
      retryDelays.push(attempt);
      return 1_000 * 2 ** (attempt - 2);
    },
    scheduleNotification: scheduler.schedule,
    onUploadSucceeded: (upload) => succeeded.push(upload.id),
    onUploadFailed: (upload) => failed.push([upload.id, upload.error.code]),
    ...options,
  });
  const find = (id: string): FileUpload | undefined => queue.getSnapshot().files.find((upload) => upload.id === id);
  return {
    queue,
    clock,
    authorizer,
    sender,
    scheduler,
    retryDelays,
    succeeded,
    failed,
    find,
    status: (id: string) => find(id)?.status,
    errorCode: (id: string) => {
      const upload = find(id);
      return upload?.status === 'failed' ? upload.error.code : undefined;
    },
    files: (count: number, size = 100) =>
      Array.from({ length: count }, (_, index) => makeFile(`file-${index + 1}.txt`, size, 'text/plain')),
  };
}

const POLICY_EXPIRED = () => parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.'));

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------

describe('createUploadQueue: concurrency and order', () => {
  it.each([1, 2, 3, 5])('never runs more than %i uploads at once and starts files in FIFO order', async (concurrency) => {
    const t = setup({ concurrency });
    const ids = t.queue.add(t.files(7));
    let maxBusy = 0;
    for (let step = 0; step < 20; step++) {
      await flush();
      const busy = t.queue.getSnapshot().files.filter((upload) => upload.status === 'authorizing' || upload.status === 'uploading').length;
      maxBusy = Math.max(maxBusy, busy);
      const pending = t.sender.pending();
      if (pending.length === 0) break;
      expect(pending.length).toBeLessThanOrEqual(concurrency);
      pending.at(-1)!.resolve(); // finish out of order: the newest first
    }
    expect(t.sender.maxInFlight).toBe(Math.min(concurrency, 7));
    expect(maxBusy).toBeLessThanOrEqual(concurrency);
    expect(t.sender.calls.map((call) => call.id)).toEqual(ids);
    expect(ids.map(t.status)).toEqual(Array(7).fill('done'));
  });

  it('uses a concurrency of 3 by default', async () => {
    const t = setup();
    t.queue.add(t.files(5));
    await flush();
    expect(t.sender.calls.map((call) => call.id)).toEqual(['id1', 'id2', 'id3']);
    expect(t.queue.getSnapshot().files.map((upload) => upload.status)).toEqual(['uploading', 'uploading', 'uploading', 'queued', 'queued']);
  });

  it('starts more files when setOptions raises the concurrency', async () => {
    const t = setup({ concurrency: 1 });
    t.queue.add(t.files(3));
    await flush();
    expect(t.sender.calls).toHaveLength(1);
    t.queue.setOptions({ concurrency: 3 });
    await flush();
    expect(t.sender.calls.map((call) => call.id)).toEqual(['id1', 'id2', 'id3']);
  });

  it('returns the new ids from add, in order', () => {
    const t = setup();
    expect(t.queue.add(t.files(2))).toEqual(['id1', 'id2']);
    expect(t.queue.add(t.files(1))).toEqual(['id3']);
  });
});

describe('createUploadQueue: authorization', () => {
  it('sends a file before add() returns when the authorization is at hand, so no render queued by the drop comes before its first byte', () => {
    const t = setup();
    const cached = makeAuthorization({ receivedAt: t.clock.now(), serverNow: t.clock.now() });
    const syncQueue = createUploadQueue({
      strategy: createPostPolicyStrategy({ authorize: () => cached, send: t.sender.send }),
      createId: () => 'first',
      now: t.clock.now,
      scheduleNotification: t.scheduler.schedule,
    });
    syncQueue.add(t.files(1));
    // Synchronously, no microtask in between.
    expect(t.sender.calls.map((call) => call.request.key)).toEqual([expect.stringMatching(/^pop_temp123\/first\//)]);
    expect(syncQueue.getSnapshot().files[0]?.status).toBe('uploading');
  });

  it('starts the next file in the same task as the previous one completes, without waiting for a notification (render)', async () => {
    const t = setup({ concurrency: 1 });
    const renders: number[] = [];
    t.queue.subscribe(() => renders.push(t.queue.getSnapshot().files.length));
    const [a, b] = t.queue.add(t.files(2));
    await flush();
    t.scheduler.flush();
    t.sender.last().resolve();
    // Microtasks only: no timer, no frame, and the pending notification has not run.
    await flush();
    expect(t.scheduler.pendingCount).toBe(1);
    expect(renders).toHaveLength(1);
    expect(t.status(a!)).toBe('done');
    expect(t.sender.calls.map((call) => call.id)).toEqual([a, b]);
    expect(t.status(b!)).toBe('uploading');
  });

  it('shares one authorization across a batch while it is fresh, asking right before each file starts', async () => {
    const t = setup({ concurrency: 2 });
    t.queue.add(t.files(4));
    await flush();
    expect(t.authorizer.requests).toHaveLength(2);
    t.sender.calls[0]!.resolve();
    t.sender.calls[1]!.resolve();
    await flush();
    expect(t.authorizer.requests).toHaveLength(4);
    const [first] = t.authorizer.issued;
    for (const call of t.sender.calls) expect(call.request.authorization).toBe(first);
    expect(t.authorizer.fetches).toBe(1);
  });

  it('refreshes the authorization between files once the cached one runs out', async () => {
    const t = setup({ concurrency: 1 });
    const [a, b, c] = t.queue.add(t.files(3));
    await flush();
    t.clock.advance(100_000); // 100 s into a 120 s authorization: still outside the 15 s margin
    t.sender.last().resolve();
    await flush();
    t.clock.advance(10_000); // 110 s: inside the margin
    t.sender.last().resolve();
    await flush();
    t.sender.last().resolve();
    await flush();

    expect(t.authorizer.fetches).toBe(2);
    const [auth1, auth2] = t.authorizer.issued;
    expect(t.sender.callsFor(a!)[0]!.request.authorization).toBe(auth1);
    expect(t.sender.callsFor(b!)[0]!.request.authorization).toBe(auth1);
    expect(t.sender.callsFor(c!)[0]!.request.authorization).toBe(auth2);
    expect(t.sender.callsFor(c!)[0]!.request.key.startsWith('pop_temp2/')).toBe(true);
    expect([a, b, c].map((id) => t.status(id!))).toEqual(['done', 'done', 'done']);
  });

  it('asks authorize again, naming the stale authorization in `rejected`, when the cache returns a stale one', async () => {
    const t = setup({ concurrency: 1, authorizer: { mode: 'dumb' } });
    const [, b] = t.queue.add(t.files(2));
    await flush();
    t.clock.advance(110_000);
    t.sender.last().resolve();
    await flush();

    const [auth1, auth2] = t.authorizer.issued;
    expect(t.authorizer.requests.map((request) => request.rejected)).toEqual([undefined, undefined, auth1]);
    expect(t.sender.callsFor(b!)[0]!.request.authorization).toBe(auth2);
  });

  it.each(['cache', 'dumb'] as const)(
    'fails a file with authorization-expired when the authorization expired on arrival, after at most 2 authorize calls (%s authorizer)',
    async (mode) => {
      const t = setup({ authorizer: { mode, lifetimeMs: -5_000 } });
      const [id] = t.queue.add(t.files(1));
      await flush();
      expect(t.status(id!)).toBe('failed');
      expect(t.errorCode(id!)).toBe('authorization-expired');
      expect(t.authorizer.requests.length).toBeLessThanOrEqual(2);
      expect(t.sender.calls).toHaveLength(0);
      // No loop: nothing asks again later.
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      await flush();
      expect(t.authorizer.requests.length).toBeLessThanOrEqual(2);
      expect(t.failed).toEqual([[id, 'authorization-expired']]);
    },
  );

  it('uploads with a fresh 1 s authorization at once (usable on arrival, no refetch)', async () => {
    const t = setup({ authorizer: { lifetimeMs: 1_000 } });
    const [id] = t.queue.add(t.files(1));
    await flush();
    expect(t.authorizer.requests).toHaveLength(1);
    expect(t.sender.calls).toHaveLength(1);
    t.sender.last().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
  });

  it.each([
    ['an UploadError', new UploadError('authorization-rejected', 'ILLEGAL_AUTH'), 'authorization-rejected', 'ILLEGAL_AUTH'],
    ['a plain Error', new Error('Failed to fetch'), 'authorization-request-failed', 'Failed to fetch'],
  ])('fails the file without sending when authorize rejects with %s', async (_label, thrown, code, message) => {
    const t = setup({ authorize: () => Promise.reject(thrown) });
    const [id] = t.queue.add(t.files(1));
    await flush();
    const upload = t.find(id!);
    expect(upload?.status === 'failed' && [upload.error.code, upload.error.message]).toEqual([code, message]);
    expect(t.sender.calls).toHaveLength(0);
  });

  it('re-authorizes once, transparently, after policy-expired and ends done', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    const [auth1] = t.authorizer.issued;
    t.sender.last().reject(POLICY_EXPIRED());
    await flush();

    expect(t.authorizer.requests.at(-1)?.rejected).toBe(auth1);
    expect(t.sender.calls).toHaveLength(2);
    const retry = t.sender.last();
    expect(retry.request.authorization).toBe(t.authorizer.issued[1]);
    expect(retry.request.key).toBe(`pop_temp2/${id}/file-1.txt`);
    expect(t.status(id!)).toBe('uploading');
    retry.resolve();
    await flush();

    expect(t.status(id!)).toBe('done');
    expect(t.find(id!)).toMatchObject({ key: `pop_temp2/${id}/file-1.txt` });
    expect(t.retryDelays).toEqual([]); // not a backoff attempt
    expect(t.succeeded).toEqual([id]);
    expect(t.failed).toEqual([]);
  });

  it('restarts the file progress and key for the transparent re-authorization after policy-expired', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().progress(500, 500);
    t.sender.last().reject(POLICY_EXPIRED());
    await flush();
    const retry = t.sender.last();
    expect(t.find(id!)).toMatchObject({ status: 'uploading', key: retry.request.key, loaded: 0 });
    retry.progress(100, 500);
    expect(t.find(id!)).toMatchObject({ loaded: 100, total: 500 });
  });

  it('fails with policy-expired when the re-authorized upload gets policy-expired again', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(POLICY_EXPIRED());
    await flush();
    t.sender.last().reject(POLICY_EXPIRED());
    await flush();
    await vi.runAllTimersAsync();

    expect(t.status(id!)).toBe('failed');
    expect(t.errorCode(id!)).toBe('policy-expired');
    expect(t.sender.calls).toHaveLength(2);
    expect(t.authorizer.requests).toHaveLength(2);
    expect(t.failed).toEqual([[id, 'policy-expired']]);
  });
});

describe('createUploadQueue: retries', () => {
  const transient: Array<[string, () => UploadError]> = [
    [
      'a 500 InternalError',
      () => parseOssErrorResponse(500, ossErrorXml('InternalError', 'We encountered an internal error. Please try again.')),
    ],
    ['a 502 HTML page', () => parseOssErrorResponse(502, NGINX_502_HTML)],
    ['a 503 SlowDown', () => parseOssErrorResponse(503, ossErrorXml('SlowDown', 'Please reduce your request rate.'))],
    ['a 429', () => parseOssErrorResponse(429, '')],
    ['a network error', () => new UploadError('network-error', 'The connection to storage failed or was dropped.')],
    ['a stall timeout', () => new UploadError('timeout', 'No upload progress for 30000 ms.')],
  ];

  it.each(transient)('retries %s with backoff up to 3 attempts, then fails', async (_label, makeError) => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();

    t.sender.last().reject(makeError());
    await flush();
    expect(t.find(id!)).toMatchObject({ status: 'queued', retry: { attempt: 2, error: { code: makeError().code } } });
    expect(t.retryDelays).toEqual([2]);
    await vi.advanceTimersByTimeAsync(999);
    expect(t.sender.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(t.sender.calls).toHaveLength(2);

    t.sender.last().reject(makeError());
    await flush();
    expect(t.retryDelays).toEqual([2, 3]);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(t.sender.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(t.sender.calls).toHaveLength(3);

    t.sender.last().reject(makeError());
    await flush();
    await vi.runAllTimersAsync();
    expect(t.sender.calls).toHaveLength(3);
    expect(t.status(id!)).toBe('failed');
    expect(t.errorCode(id!)).toBe(makeError().code);
    expect(t.failed).toEqual([[id, makeError().code]]);
  });

  it('ends done when a retry succeeds', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(new UploadError('network-error', 'dropped'));
    await vi.runAllTimersAsync();
    await flush();
    t.sender.last().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
    expect(t.sender.calls).toHaveLength(2);
    expect(t.succeeded).toEqual([id]);
  });

  it('honours maxAttempts', async () => {
    const t = setup({ maxAttempts: 1 });
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(new UploadError('network-error', 'dropped'));
    await flush();
    expect(t.status(id!)).toBe('failed');
    expect(t.retryDelays).toEqual([]);
  });

  it.each([
    [
      '403 access-denied',
      () => parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'You have no right to access this object because of bucket acl.')),
    ],
    [
      '403 signature-mismatch',
      () => parseOssErrorResponse(403, ossErrorXml('SignatureDoesNotMatch', 'The request signature we calculated does not match.')),
    ],
    [
      '403 invalid-access-key',
      () =>
        parseOssErrorResponse(403, ossErrorXml('InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.')),
    ],
    [
      '403 policy-condition-failed',
      () =>
        parseOssErrorResponse(
          403,
          ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "x/"]'),
        ),
    ],
    [
      '400 entity-too-large',
      () => parseOssErrorResponse(400, ossErrorXml('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.')),
    ],
    ['400 InvalidPolicyDocument', () => parseOssErrorResponse(400, ossErrorXml('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.'))],
  ])('fails at once on %s, without retrying', async (_label, makeError) => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(makeError());
    await flush();
    await vi.runAllTimersAsync();
    expect(t.status(id!)).toBe('failed');
    expect(t.errorCode(id!)).toBe(makeError().code);
    expect(t.sender.calls).toHaveLength(1);
    expect(t.retryDelays).toEqual([]);
    expect(t.authorizer.requests).toHaveLength(1);
  });

  it('does not report a plain Error from the transport as an authorization failure', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(new TypeError('Failed to fetch'));
    await flush();
    const upload = t.find(id!);
    // Treated as a dropped connection: retried after a backoff, not failed as an authorization problem.
    const code = upload?.status === 'queued' ? upload.retry?.error.code : undefined;
    expect(code).toBe('network-error');
    expect(isAuthorizationErrorCode(code!)).toBe(false);
  });

  it('lets another file use the slot while one waits for its backoff', async () => {
    const t = setup({ concurrency: 1 });
    const [a, b] = t.queue.add(t.files(2));
    await flush();
    t.sender.last().reject(new UploadError('network-error', 'dropped'));
    await flush();
    expect(t.sender.last().id).toBe(b);
    expect(t.status(a!)).toBe('queued');
    t.sender.last().resolve();
    await vi.runAllTimersAsync();
    await flush();
    expect(t.sender.last().id).toBe(a);
    expect(t.sender.maxInFlight).toBe(1);
  });
});

describe('createUploadQueue: cancel, retry, remove', () => {
  it('cancels mid-upload: canceled status, the send signal aborted, the slot freed', async () => {
    const t = setup({ concurrency: 1 });
    const [a, b] = t.queue.add(t.files(2));
    await flush();
    const call = t.sender.last();
    call.progress(50, 100);
    t.queue.cancel(a!);
    await flush();
    expect(t.status(a!)).toBe('canceled');
    expect(call.request.signal?.aborted).toBe(true);
    expect(t.sender.last().id).toBe(b);
    expect(t.failed).toEqual([]);
  });

  it('ignores late progress and a late success from a canceled upload', async () => {
    const t = setup({ rejectOnAbort: false });
    const [id] = t.queue.add(t.files(1));
    await flush();
    const call = t.sender.last();
    t.queue.cancel(id!);
    const after = t.queue.getSnapshot();
    call.progress(90, 100);
    call.resolve();
    await flush();
    expect(t.queue.getSnapshot()).toBe(after);
    expect(t.status(id!)).toBe('canceled');
    expect(t.succeeded).toEqual([]);
  });

  it('ignores a late failure from a canceled upload', async () => {
    const t = setup({ rejectOnAbort: false });
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.queue.cancel(id!);
    const after = t.queue.getSnapshot();
    t.sender.last().reject(new UploadError('network-error', 'dropped'));
    await flush();
    await vi.runAllTimersAsync();
    expect(t.queue.getSnapshot()).toBe(after);
    expect(t.sender.calls).toHaveLength(1);
  });

  it('cancels while authorizing: the authorize signal is aborted and nothing is sent', async () => {
    const signals: AbortSignal[] = [];
    const t = setup({
      authorize: ({ signal }) => {
        signals.push(signal);
        return new Promise<OssAuthorization>(() => {});
      },
    });
    const [id] = t.queue.add(t.files(1));
    await flush();
    expect(t.status(id!)).toBe('authorizing');
    t.queue.cancel(id!);
    await flush();
    expect(t.status(id!)).toBe('canceled');
    expect(signals[0]?.aborted).toBe(true);
    expect(t.sender.calls).toHaveLength(0);
  });

  it('cancels a file waiting for its backoff, and the backoff never fires', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(new UploadError('network-error', 'dropped'));
    await flush();
    t.queue.cancel(id!);
    await vi.runAllTimersAsync();
    await flush();
    expect(t.status(id!)).toBe('canceled');
    expect(t.sender.calls).toHaveLength(1);
  });

  it('retries a failed file by hand until it is done', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().reject(parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'denied')));
    await flush();
    expect(t.status(id!)).toBe('failed');
    t.queue.retry(id!);
    expect(t.status(id!)).not.toBe('failed');
    await flush();
    t.sender.last().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
    expect(t.sender.calls).toHaveLength(2);
    expect(t.succeeded).toEqual([id]);
  });

  it('gives a file retried by hand a fresh budget of 3 attempts', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    const failAll = async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await flush();
        t.sender.last().reject(new UploadError('network-error', 'dropped'));
        await flush();
        await vi.runAllTimersAsync();
      }
      await flush();
    };
    await failAll();
    expect(t.status(id!)).toBe('failed');
    expect(t.sender.calls).toHaveLength(3);
    t.queue.retry(id!);
    await failAll();
    expect(t.sender.calls).toHaveLength(6);
    expect(t.status(id!)).toBe('failed');
  });

  it('retries a canceled file by hand', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.queue.cancel(id!);
    await flush();
    t.queue.retry(id!);
    await flush();
    t.sender.last().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
  });

  it('ignores retry for a file that is not failed or canceled', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    const before = t.queue.getSnapshot();
    t.queue.retry(id!);
    await flush();
    expect(t.queue.getSnapshot()).toBe(before);
    expect(t.sender.calls).toHaveLength(1);
  });

  it('removes an uploading file: aborts it, drops it, returns it, and starts the next', async () => {
    const t = setup({ concurrency: 1 });
    const [a, b] = t.queue.add(t.files(2));
    await flush();
    const call = t.sender.last();
    const removed = t.queue.remove(a!);
    await flush();
    expect(removed).toMatchObject({ id: a, status: 'uploading' });
    expect(call.request.signal?.aborted).toBe(true);
    expect(t.queue.getSnapshot().files.map((upload) => upload.id)).toEqual([b]);
    expect(t.sender.last().id).toBe(b);
  });

  it('removes a done file and returns undefined for an unknown id', async () => {
    const t = setup();
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.sender.last().resolve();
    await flush();
    expect(t.queue.remove(id!)).toMatchObject({ id, status: 'done' });
    expect(t.queue.getSnapshot().files).toEqual([]);
    expect(t.queue.remove('nope')).toBeUndefined();
  });
});

describe('createUploadQueue: keys and validation', () => {
  it('builds each key under the authorization keyPrefix with the file id and sanitised name', async () => {
    const t = setup({ stallTimeoutMs: 12_345 });
    const [id] = t.queue.add([makeFile('../季度 报告,final.pdf', 100, 'application/pdf')]);
    await flush();
    const { request } = t.sender.last();
    expect(request.key).toBe(`pop_temp1/${id}/季度 报告_final.pdf`);
    expect(request.contentDisposition).toBe(buildContentDisposition('../季度 报告,final.pdf'));
    expect(request.stallTimeoutMs).toBe(12_345);
    expect(request.file.size).toBe(100);
    request.onProgress?.(1, 2);
    expect(t.find(id!)).toMatchObject({ status: 'uploading', key: request.key, loaded: 1, total: 2 });
  });

  it("fails a file larger than the policy's content-length-range with file-too-large, without sending", async () => {
    const t = setup({ authorizer: { range: [0, 1_000] } });
    const [big, fits] = t.queue.add([makeFile('big.bin', 1_001), makeFile('fits.bin', 1_000)]);
    await flush();
    expect(t.status(big!)).toBe('failed');
    expect(t.errorCode(big!)).toBe('file-too-large');
    expect(t.sender.calls.map((call) => call.id)).toEqual([fits]);
    expect(t.retryDelays).toEqual([]);
  });

  it("fails a file smaller than the policy's minimum with file-too-small", async () => {
    const t = setup({ authorizer: { range: [10, 1_000] } });
    const [id] = t.queue.add([makeFile('tiny.txt', 9)]);
    await flush();
    expect(t.errorCode(id!)).toBe('file-too-small');
    expect(t.sender.calls).toHaveLength(0);
  });
});

describe('createUploadQueue: nothing lost or duplicated', () => {
  type Step = 'ok' | '500' | 'net' | '403' | 'policy' | 'cancel' | 'progress';
  const scripts: Array<[Step[], FileUpload['status'], number]> = [
    [['ok'], 'done', 1],
    [['500', 'ok'], 'done', 2],
    [['net', 'net', 'net'], 'failed', 3],
    [['403'], 'failed', 1],
    [['progress', 'cancel'], 'canceled', 1],
    [['policy', 'ok'], 'done', 2],
    [['policy', 'policy'], 'failed', 2],
    [['progress', 'progress', 'ok'], 'done', 1],
    [['net', 'policy', 'ok'], 'done', 3],
  ];

  it('ends every added file in exactly one terminal state, with the expected number of sends', async () => {
    const t = setup({ concurrency: 2 });
    const ids = t.queue.add(t.files(scripts.length));
    const plan = new Map(ids.map((id, index) => [id, [...scripts[index]![0]]]));

    for (let step = 0; step < 200; step++) {
      await flush();
      const pending = t.sender.pending();
      if (pending.length === 0) {
        if (vi.getTimerCount() === 0) break;
        await vi.runOnlyPendingTimersAsync();
        continue;
      }
      for (const call of pending) {
        const next = plan.get(call.id)!.shift();
        if (next === 'ok') call.resolve();
        else if (next === '500') call.reject(parseOssErrorResponse(500, ossErrorXml('InternalError', 'internal')));
        else if (next === 'net') call.reject(new UploadError('network-error', 'dropped'));
        else if (next === '403') call.reject(parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'denied')));
        else if (next === 'policy') call.reject(POLICY_EXPIRED());
        else if (next === 'cancel') t.queue.cancel(call.id);
        else if (next === 'progress') call.progress(10, 100);
        else throw new Error(`no step left for ${call.id}`);
      }
    }

    const final = t.queue.getSnapshot();
    expect(final.files.map((upload) => upload.id)).toEqual(ids);
    expect(ids.map(t.status)).toEqual(scripts.map(([, status]) => status));
    expect(ids.map((id) => t.sender.callsFor(id).length)).toEqual(scripts.map(([, , sends]) => sends));
    expect([...plan.values()].every((steps) => steps.length === 0)).toBe(true);
    expect(t.sender.maxInFlight).toBeLessThanOrEqual(2);
    expect(t.sender.pending()).toHaveLength(0);
    const doneIds = ids.filter((id) => t.status(id) === 'done');
    const failedIds = ids.filter((id) => t.status(id) === 'failed');
    expect(t.succeeded.sort()).toEqual(doneIds.sort());
    expect(t.failed.map(([id]) => id).sort()).toEqual(failedIds.sort());
  });
});

describe('createUploadQueue: notifications', () => {
  it('coalesces many progress events into one notification per scheduled flush', async () => {
    const t = setup();
    const seen: UploadState[] = [];
    t.queue.subscribe(() => seen.push(t.queue.getSnapshot()));
    const [id] = t.queue.add(t.files(1));
    await flush();
    expect(seen).toHaveLength(0);
    expect(t.scheduler.pendingCount).toBe(1);
    t.scheduler.flush();
    expect(seen).toHaveLength(1);

    for (let loaded = 1; loaded <= 50; loaded++) t.sender.last().progress(loaded, 50);
    expect(seen).toHaveLength(1);
    expect(t.scheduler.pendingCount).toBe(1);
    t.scheduler.flush();
    expect(seen).toHaveLength(2);
    expect(seen[1]!.files[0]).toMatchObject({ id, loaded: 50, total: 50 });
  });

  it('schedules nothing when an event does not change the state', async () => {
    const t = setup();
    t.queue.subscribe(() => {});
    t.queue.add(t.files(1));
    await flush();
    t.sender.last().progress(10, 100);
    t.scheduler.flush();
    t.sender.last().progress(5, 100); // backwards: ignored by the reducer
    expect(t.scheduler.pendingCount).toBe(0);
  });

  it('stops notifying an unsubscribed listener', async () => {
    const t = setup();
    const listener = vi.fn();
    const unsubscribe = t.queue.subscribe(listener);
    t.queue.add(t.files(1));
    await flush();
    unsubscribe();
    t.scheduler.flush();
    expect(listener).not.toHaveBeenCalled();
  });

  it('coalesces into one notification per 16 ms tick by default when there is no requestAnimationFrame (Node)', async () => {
    const t = setup({ scheduleNotification: undefined });
    const listener = vi.fn();
    t.queue.subscribe(listener);
    t.queue.add(t.files(1));
    await flush();
    for (let loaded = 1; loaded <= 20; loaded++) t.sender.last().progress(loaded, 20);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(15);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(listener).toHaveBeenCalledTimes(1);
    t.sender.last().progress(20, 20); // no change: nothing scheduled
    vi.advanceTimersByTime(100);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('in a browser, redraws on the next frame after a quiet spell, then at most once per 50 ms (XHR progress cadence)', async () => {
    // Frames every 16 ms on the fake clock, as requestAnimationFrame gives them.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) =>
      setTimeout(() => callback(performance.now()), 16 - (performance.now() % 16)),
    );
    vi.stubGlobal('cancelAnimationFrame', (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle));
    try {
      const t = setup({ scheduleNotification: undefined });
      const notifiedAt: number[] = [];
      t.queue.subscribe(() => notifiedAt.push(performance.now()));
      const start = performance.now();
      t.queue.add(t.files(1));
      await flush();
      vi.advanceTimersByTime(16);
      expect(notifiedAt).toHaveLength(1); // the first change: on the next frame
      // Progress every 5 ms for 200 ms: at most one redraw per 50 ms, each on a frame.
      for (let step = 1; step <= 40; step++) {
        t.sender.last().progress(step, 100);
        vi.advanceTimersByTime(5);
      }
      vi.advanceTimersByTime(100);
      const gaps = notifiedAt.slice(1).map((at, index) => at - (notifiedAt[index] ?? 0));
      expect(gaps.length).toBeGreaterThanOrEqual(3);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(50);
      for (const gap of gaps) expect(gap).toBeLessThan(50 + 16 + 1);
      // A change after a quiet spell shows on the next frame again.
      const quietFrom = performance.now();
      vi.advanceTimersByTime(200);
      const before = notifiedAt.length;
      t.sender.last().progress(90, 100);
      vi.advanceTimersByTime(16);
      expect(notifiedAt).toHaveLength(before + 1);
      expect((notifiedAt.at(-1) ?? 0) - quietFrom).toBeLessThanOrEqual(200 + 16);
      expect(start).toBeLessThan(notifiedAt[0] ?? 0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('notifies every change when scheduleNotification runs synchronously', async () => {
    const t = setup({
      scheduleNotification: (notify) => {
        notify();
        return () => {};
      },
    });
    const seen: UploadState[] = [];
    t.queue.subscribe(() => seen.push(t.queue.getSnapshot()));
    t.queue.add(t.files(1));
    await flush();
    expect(seen.at(-1)).toBe(t.queue.getSnapshot());
    t.sender.last().progress(10, 100);
    expect(seen.at(-1)).toBe(t.queue.getSnapshot());
    t.sender.last().resolve();
    await flush();
    expect(seen.at(-1)?.files[0]?.status).toBe('done');
  });

  it('calls onUploadSucceeded and onUploadFailed once per file with the final entry', async () => {
    const t = setup();
    const succeeded = vi.fn();
    const failed = vi.fn();
    t.queue.setOptions({ onUploadSucceeded: succeeded, onUploadFailed: failed });
    const [a, b] = t.queue.add(t.files(2));
    await flush();
    t.sender.callsFor(a!)[0]!.resolve({ etag: '"abc"' });
    t.sender.callsFor(b!)[0]!.reject(parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'denied')));
    await flush();
    await vi.runAllTimersAsync();
    expect(succeeded).toHaveBeenCalledTimes(1);
    expect(succeeded).toHaveBeenCalledWith(
      expect.objectContaining({ id: a, status: 'done', key: `pop_temp1/${a}/file-1.txt`, etag: '"abc"' }),
    );
    expect(failed).toHaveBeenCalledTimes(1);
    expect(failed).toHaveBeenCalledWith(
      expect.objectContaining({ id: b, status: 'failed', error: expect.objectContaining({ code: 'access-denied', status: 403 }) }),
    );
  });
});

/** Five files, concurrency 2, driven to: done, waiting for backoff, uploading, uploading, queued. */
async function mixedBatch(t: ReturnType<typeof setup>) {
  const ids = t.queue.add(t.files(5));
  await flush();
  t.sender.callsFor(ids[0]!)[0]!.resolve();
  await flush();
  t.sender.callsFor(ids[1]!)[0]!.reject(new UploadError('network-error', 'dropped'));
  await flush();
  expect(ids.map(t.status)).toEqual(['done', 'queued', 'uploading', 'uploading', 'queued']);
  expect(vi.getTimerCount()).toBe(1); // file 2's backoff
  return ids;
}

describe('createUploadQueue: abortAll', () => {
  it('cancels every queued, waiting and in-flight file, aborts their sends and clears backoff timers', async () => {
    const t = setup({ concurrency: 2 });
    const ids = await mixedBatch(t);
    const inFlight = t.sender.pending();
    const authorizeCalls = t.authorizer.requests.length;
    const sends = t.sender.calls.length;

    t.queue.abortAll();
    await flush();

    expect(ids.map(t.status)).toEqual(['done', 'canceled', 'canceled', 'canceled', 'canceled']);
    expect(inFlight.map((call) => call.request.signal?.aborted)).toEqual([true, true]);
    expect(vi.getTimerCount()).toBe(0);
    // Canceling one file frees a slot, but nothing new starts meanwhile.
    expect(t.authorizer.requests).toHaveLength(authorizeCalls);
    expect(t.sender.calls).toHaveLength(sends);
  });

  it('leaves the queue usable afterwards (StrictMode remount)', async () => {
    const t = setup({ concurrency: 2 });
    const ids = await mixedBatch(t);
    t.queue.abortAll();
    await flush();
    const [added] = t.queue.add(t.files(1));
    t.queue.retry(ids[1]!);
    await flush();
    expect(t.sender.pending().map((call) => call.id)).toEqual([added, ids[1]]);
    for (const call of t.sender.pending()) call.resolve();
    await flush();
    expect([t.status(ids[1]!), t.status(added!)]).toEqual(['done', 'done']);
  });

  it('notifies subscribers of the cancellations', async () => {
    const t = setup({ concurrency: 2 });
    const seen: UploadState[] = [];
    t.queue.subscribe(() => seen.push(t.queue.getSnapshot()));
    await mixedBatch(t);
    t.scheduler.flush();
    t.queue.abortAll();
    t.scheduler.flush();
    expect(seen.at(-1)?.files.map((upload) => upload.status)).toEqual(['done', 'canceled', 'canceled', 'canceled', 'canceled']);
  });
});

describe('createUploadQueue: destroy', () => {
  it('aborts in-flight sends, clears backoff timers, stops notifications and starts nothing more', async () => {
    const t = setup({ concurrency: 2 });
    const listener = vi.fn();
    t.queue.subscribe(listener);
    const ids = await mixedBatch(t);
    const inFlight = t.sender.pending();
    t.scheduler.flush();
    listener.mockClear();
    const callsBefore = t.sender.calls.length;

    t.queue.destroy();
    await flush();

    expect(inFlight.map((call) => call.request.signal?.aborted)).toEqual([true, true]);
    expect(ids.map(t.status)).toEqual(['done', 'canceled', 'canceled', 'canceled', 'canceled']);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    await flush();
    t.scheduler.flush();
    expect(listener).not.toHaveBeenCalled();
    expect(t.sender.calls).toHaveLength(callsBefore);
    expect(t.queue.add(t.files(1))).toEqual([]);
    t.queue.retry(ids[1]!);
    await flush();
    expect(t.sender.calls).toHaveLength(callsBefore);
    expect(t.status(ids[1]!)).toBe('canceled');
  });

  it('drops a notification that was scheduled but not yet delivered', async () => {
    const t = setup();
    const listener = vi.fn();
    t.queue.subscribe(listener);
    t.queue.add(t.files(1));
    await flush();
    expect(t.scheduler.pendingCount).toBe(1);
    t.queue.destroy();
    t.scheduler.flush();
    expect(listener).not.toHaveBeenCalled();
    expect(t.scheduler.pendingCount).toBe(0);
  });
});
