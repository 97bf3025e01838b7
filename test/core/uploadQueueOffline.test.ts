import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connectivity } from '../../src/core/browserConnectivity';
import { createUploadQueue } from '../../src/core/createUploadQueue';
import type { AttachmentUploadUrl } from '../../src/core/parseAttachmentUploadUrl';
import { parseOssErrorResponse } from '../../src/core/parseOssErrorResponse';
import { parseRetryAfter } from '../../src/core/parseRetryAfter';
import { createPresignedPutStrategy } from '../../src/core/presignedPutStrategy';
import type { PutObjectRequest, PutObjectResult } from '../../src/core/putObject';
import type { FileUpload } from '../../src/core/uploadReducer';
import { selectIsWaitingForConnection } from '../../src/core/uploadSelectors';
import { UploadError } from '../../src/core/UploadError';
import { makeFile, makeUploadUrl, ossErrorXml, T0 } from '../../fixtures';
import { flush, setupQueue } from '../support/uploadQueueHarness';

// The queue rides out a lost connection (an injected connectivity source stands in for
// navigator.onLine and the online/offline events) and waits as long as a 429/503 asks.

function createConnectivity(online = true) {
  const listeners = new Set<() => void>();
  const connectivity: Connectivity & { set(online: boolean): void; readonly listenerCount: number; goQuietlyOffline(): void } = {
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Changes the connection and fires the event, as the browser does. */
    set(value) {
      online = value;
      for (const listener of [...listeners]) listener();
    },
    /** `navigator.onLine` is already false, but the `offline` event has not arrived yet. */
    goQuietlyOffline() {
      online = false;
    },
    get listenerCount() {
      return listeners.size;
    },
  };
  return connectivity;
}

const NETWORK_ERROR = () => new UploadError('network-error', 'The connection to storage failed or was dropped.');
const waiting = (upload: FileUpload | undefined) => upload?.status === 'queued' && upload.waitingForConnection === true;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createUploadQueue: offline', () => {
  it('aborts the uploads in flight and holds every file while offline, then finishes them all when the connection returns, without spending an attempt', async () => {
    const connectivity = createConnectivity();
    const busy: boolean[] = [];
    const t = setupQueue({ connectivity, concurrency: 2, onBusyChange: (value) => busy.push(value) });
    const ids = t.queue.add(t.files(3));
    await flush();
    const inFlight = t.pending();
    inFlight[0]!.progress(60, 100);
    expect(inFlight).toHaveLength(2);

    connectivity.set(false);
    await flush();
    expect(inFlight.map((held) => held.request.signal?.aborted)).toEqual([true, true]);
    expect(ids.map((id) => waiting(t.find(id)))).toEqual([true, true, true]);
    expect(selectIsWaitingForConnection(t.queue.getSnapshot())).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    await flush();
    expect(t.sends).toHaveLength(2); // nothing sent into a dead network

    connectivity.set(true);
    await flush();
    expect(ids.map((id) => waiting(t.find(id)))).toEqual([false, false, false]);
    expect(t.pending().map((held) => held.request.key)).toEqual(inFlight.map((held) => held.request.key));
    // The next real failure is attempt 2 of 3: the outage did not count.
    t.pending()[0]!.reject(NETWORK_ERROR());
    await flush();
    expect(t.find(ids[0]!)).toMatchObject({ status: 'queued', retry: { attempt: 2 } });
    await vi.runAllTimersAsync();
    for (let round = 0; round < 3; round++) {
      for (const held of t.pending()) held.resolve();
      await flush();
    }
    expect(ids.map(t.status)).toEqual(['done', 'done', 'done']);
    expect(busy).toEqual([true, false]); // busy throughout the outage
  });

  it('takes a network error while navigator.onLine is already false for the outage, not for a failed attempt', async () => {
    const connectivity = createConnectivity();
    const failed = vi.fn();
    const t = setupQueue({ connectivity, maxAttempts: 1, onUploadFailed: failed });
    const [id] = t.queue.add(t.files(1));
    await flush();

    connectivity.goQuietlyOffline();
    t.lastSend().reject(NETWORK_ERROR());
    await flush();
    expect(waiting(t.find(id!))).toBe(true);
    expect(failed).not.toHaveBeenCalled();

    connectivity.set(true);
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
  });

  it('holds files added while offline, and a file whose backoff was running starts as soon as the connection returns', async () => {
    const connectivity = createConnectivity();
    const t = setupQueue({ connectivity, retryDelay: () => 30_000 });
    const [a] = t.queue.add(t.files(1));
    await flush();
    t.lastSend().reject(NETWORK_ERROR());
    await flush();
    expect(t.find(a!)).toMatchObject({ status: 'queued', retry: { attempt: 2 } });

    connectivity.set(false);
    const [b] = t.queue.add(t.files(1));
    await flush();
    expect([waiting(t.find(a!)), waiting(t.find(b!))]).toEqual([true, true]);
    expect(t.sends).toHaveLength(1);

    connectivity.set(true);
    await flush();
    expect(t.pending()).toHaveLength(2); // no 30 s backoff left to sit out
  });

  it('checks the authorization again after the outage: a lapsed one is replaced before any file is sent', async () => {
    const connectivity = createConnectivity();
    const t = setupQueue({ connectivity, lifetimeMs: 120_000 });
    const [id] = t.queue.add(t.files(1));
    await flush();
    expect(t.lastSend().request.key.startsWith('pop_temp1/')).toBe(true);

    connectivity.set(false);
    t.clock.advance(5 * 60_000);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    connectivity.set(true);
    await flush();

    expect(t.issued).toHaveLength(2);
    expect(t.lastSend().request.authorization).toBe(t.issued[1]);
    expect(t.lastSend().request.key).toBe(`pop_temp2/${id}/file-1.txt`);
    t.lastSend().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
  });

  it('never uses a presigned URL that expired during the outage (PUT mode): the file asks for a new one', async () => {
    const connectivity = createConnectivity();
    let clock = T0;
    const urls: AttachmentUploadUrl[] = [];
    const sends: Array<{ request: PutObjectRequest; resolve: () => void }> = [];
    const queue = createUploadQueue({
      connectivity,
      now: () => clock,
      strategy: createPresignedPutStrategy({
        requestUploadUrl: async () => {
          const url = makeUploadUrl({ key: 'attachments/a.txt', receivedAt: clock, serverNow: clock, lifetimeMs: 60_000 });
          urls.push(url);
          return url;
        },
        send: (request) =>
          new Promise<PutObjectResult>((resolve, reject) => {
            sends.push({ request, resolve: () => resolve({ key: request.key, status: 200, etag: null, requestId: null }) });
            request.signal?.addEventListener('abort', () => reject(new UploadError('canceled', 'canceled')), { once: true });
          }),
      }),
    });
    queue.add([makeFile('a.txt', 10)]);
    await flush();
    expect(sends.map(({ request }) => request.url)).toEqual([urls[0]?.putUrl]);

    connectivity.set(false);
    clock += 120_000; // the URL lived 60 s
    connectivity.set(true);
    await flush();

    expect(urls).toHaveLength(2);
    expect(sends.map(({ request }) => request.url)).toEqual([urls[0]?.putUrl, urls[1]?.putUrl]);
    sends[1]!.resolve();
    await flush();
    expect(queue.getSnapshot().files[0]?.status).toBe('done');
  });

  it('keeps a presigned URL that is still fresh after a short outage (PUT mode): the same key, no new request', async () => {
    const connectivity = createConnectivity();
    let requests = 0;
    const sends: PutObjectRequest[] = [];
    const queue = createUploadQueue({
      connectivity,
      now: () => T0,
      strategy: createPresignedPutStrategy({
        requestUploadUrl: async () => {
          requests += 1;
          return makeUploadUrl({ key: 'attachments/a.txt', receivedAt: T0, serverNow: T0 });
        },
        send: (request) => {
          sends.push(request);
          return new Promise<PutObjectResult>((_resolve, reject) =>
            request.signal?.addEventListener('abort', () => reject(new UploadError('canceled', 'canceled'))),
          );
        },
      }),
    });
    queue.add([makeFile('a.txt', 10)]);
    await flush();
    connectivity.set(false);
    connectivity.set(true);
    await flush();
    expect(requests).toBe(1);
    expect(sends.map((request) => request.url)).toEqual([sends[0]?.url, sends[0]?.url]);
  });

  it('fails every waiting file with a retryable `offline` error after offlineTimeoutMs, stops listening, and Retry works once online', async () => {
    const connectivity = createConnectivity();
    const failed: Array<[string, string]> = [];
    const t = setupQueue({
      connectivity,
      offlineTimeoutMs: 60_000,
      onUploadFailed: (upload) => failed.push([upload.id, upload.error.code]),
    });
    const ids = t.queue.add(t.files(2));
    await flush();
    connectivity.set(false);

    await vi.advanceTimersByTimeAsync(59_999);
    expect(ids.map((id) => waiting(t.find(id)))).toEqual([true, true]);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual(ids.map((id) => [id, 'offline']));
    expect(ids.map(t.status)).toEqual(['failed', 'failed']);
    expect(connectivity.listenerCount).toBe(0);

    connectivity.set(true);
    t.queue.retry(ids[0]!);
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(ids[0]!)).toBe('done');
  });

  it('waits 10 minutes by default before giving up', async () => {
    const connectivity = createConnectivity();
    const t = setupQueue({ connectivity });
    const [id] = t.queue.add(t.files(1));
    connectivity.set(false);
    await vi.advanceTimersByTimeAsync(600_000 - 1);
    expect(waiting(t.find(id!))).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.status(id!)).toBe('failed');
  });

  it('listens to the connection only while files need it', async () => {
    const connectivity = createConnectivity();
    const t = setupQueue({ connectivity });
    expect(connectivity.listenerCount).toBe(0);
    t.queue.add(t.files(1));
    expect(connectivity.listenerCount).toBe(1);
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(connectivity.listenerCount).toBe(0);
    t.queue.add(t.files(1));
    t.queue.destroy();
    expect(connectivity.listenerCount).toBe(0);
  });

  it('starts nothing when the browser is already offline as files are added', async () => {
    const connectivity = createConnectivity(false);
    const t = setupQueue({ connectivity });
    const [id] = t.queue.add(t.files(1));
    await flush();
    expect(waiting(t.find(id!))).toBe(true);
    expect(t.authorizeRequests).toHaveLength(0);
    connectivity.set(true);
    await flush();
    expect(t.sends).toHaveLength(1);
  });
});

describe('createUploadQueue: backoff and Retry-After', () => {
  /** Fails the last send with `error`, then returns how long (ms) the queue waited before sending again. */
  async function measureWait(t: ReturnType<typeof setupQueue>, error: UploadError): Promise<number> {
    const before = t.sends.length;
    t.lastSend().reject(error);
    await flush();
    let waited = 0;
    while (t.sends.length === before) {
      await vi.advanceTimersByTimeAsync(1);
      await flush();
      waited += 1;
      if (waited > 120_000) throw new Error('never retried');
    }
    return waited;
  }

  it('backs off 500 ms, doubling per attempt, at most 10 s, with ±50 % jitter by default', async () => {
    const t = setupQueue({ retryDelay: undefined, maxAttempts: 8 });
    t.queue.add(t.files(1));
    await flush();
    const random = vi.spyOn(Math, 'random');
    const waits: number[] = [];
    for (const jitter of [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) {
      random.mockReturnValue(jitter);
      waits.push(await measureWait(t, NETWORK_ERROR()));
    }
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000]);
    random.mockReturnValue(0);
    expect(await measureWait(t, NETWORK_ERROR())).toBe(5_000); // the capped 10 s, half of it
  });

  it.each([
    [503, '7', 7_000],
    [429, '2', 2_000],
    [503, '3600', 60_000],
  ])('waits as long as a %i asks with Retry-After: %s (capped at 60 s)', async (status, retryAfter, expected) => {
    const t = setupQueue({ retryDelay: () => 1_000 });
    t.queue.add(t.files(1));
    await flush();
    const error = parseOssErrorResponse(
      status,
      ossErrorXml('SlowDown', 'Please reduce your request rate.'),
      null,
      parseRetryAfter(retryAfter, T0),
    );
    expect(await measureWait(t, error)).toBe(expected);
  });

  it('keeps its own backoff for a Retry-After on another status (a 500)', async () => {
    const t = setupQueue({ retryDelay: () => 1_000 });
    t.queue.add(t.files(1));
    await flush();
    expect(await measureWait(t, parseOssErrorResponse(500, ossErrorXml('InternalError', 'Try again.'), null, 30_000))).toBe(1_000);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | null, number, number | undefined]>([
    ['120', T0, 60_000],
    ['5', T0, 5_000],
    ['0', T0, 0],
    [new Date(T0 + 12_000).toUTCString(), T0, 12_000],
    [new Date(T0 - 12_000).toUTCString(), T0, 0],
    [new Date(T0 + 3_600_000).toUTCString(), T0, 60_000],
    ['soon', T0, undefined],
    ['-5', T0, undefined],
    ['', T0, undefined],
    [null, T0, undefined],
  ])('reads %j (server now %i) as %j ms', (value, serverNow, expected) => {
    expect(parseRetryAfter(value, serverNow)).toBe(expected);
  });
});
