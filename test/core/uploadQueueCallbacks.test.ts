import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUploadQueue, type UploadQueueOptions } from '../../src/core/createUploadQueue';
import { parseOssErrorResponse } from '../../src/core/parseOssErrorResponse';
import { createPresignedPutStrategy } from '../../src/core/presignedPutStrategy';
import type { PutObjectRequest, PutObjectResult } from '../../src/core/putObject';
import { makeFile, makeUploadUrl, ossErrorXml } from '../../fixtures';
import { flush, setupQueue } from '../support/uploadQueueHarness';

// The app's lifecycle callbacks: what they receive and when, and that one that throws changes
// nothing in the queue while its error still reaches the page's error reporting (`reportError`,
// stubbed here as Node has none).

let reported: unknown[];
beforeEach(() => {
  vi.useFakeTimers();
  reported = [];
  vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const ACCESS_DENIED = () => parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'You have no right to access this object.'));

type CallbackName = 'onUploadStarted' | 'onUploadProgress' | 'onUploadSucceeded' | 'onUploadFailed' | 'onUploadCanceled' | 'onBusyChange';
const CALLBACKS: CallbackName[] = [
  'onUploadStarted',
  'onUploadProgress',
  'onUploadSucceeded',
  'onUploadFailed',
  'onUploadCanceled',
  'onBusyChange',
];

describe('createUploadQueue: a callback that throws', () => {
  it.each(CALLBACKS)(
    '%s: every file still ends in its real state, the other callbacks still run, and each error is reported once',
    async (name) => {
      const events: string[] = [];
      const record = (label: string) => (upload: { id: string } | boolean) => {
        events.push(`${label} ${typeof upload === 'boolean' ? upload : upload.id}`);
      };
      const callbacks: Partial<UploadQueueOptions> = {
        onUploadStarted: record('started'),
        onUploadProgress: record('progress'),
        onUploadSucceeded: record('succeeded'),
        onUploadFailed: record('failed'),
        onUploadCanceled: record('canceled'),
        onBusyChange: record('busy'),
      };
      const errors: Error[] = [];
      const recordOriginal = callbacks[name] as (value: unknown) => void;
      const t = setupQueue({
        concurrency: 1,
        maxAttempts: 1,
        ...callbacks,
        [name]: (value: unknown) => {
          recordOriginal(value);
          const error = new Error(`${name} broke`);
          errors.push(error);
          throw error;
        },
      });

      // File 1: progress, then stored. File 2: refused. File 3: canceled while queued behind file 4.
      const [a, b] = t.queue.add(t.files(2));
      await flush();
      t.lastSend().progress(50, 100);
      t.flushFrame();
      t.lastSend().resolve();
      await flush();
      t.lastSend().reject(ACCESS_DENIED());
      await flush();
      const [c, d] = t.queue.add(t.files(2));
      await flush();
      t.queue.cancel(d!);
      await flush();
      t.lastSend().resolve();
      await flush();

      expect([a, b, c, d].map((id) => t.status(id!))).toEqual(['done', 'failed', 'done', 'canceled']);
      expect(t.sends).toHaveLength(3); // nothing retried, nothing sent twice
      expect(events).toEqual([
        'busy true',
        `started ${a}`,
        `progress ${a}`,
        `succeeded ${a}`,
        `started ${b}`,
        // The queue is idle as soon as the last file settles, before that file's own callback.
        'busy false',
        `failed ${b}`,
        'busy true',
        `started ${c}`,
        `canceled ${d}`,
        'busy false',
        `succeeded ${c}`,
      ]);
      expect(errors.length).toBeGreaterThan(0);
      expect(reported).toEqual(errors);
    },
  );

  it('reports an async callback that rejects, and the upload stays done', async () => {
    const error = new Error('analytics is down');
    const t = setupQueue({ onUploadSucceeded: () => Promise.reject(error) });
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(id!)).toBe('done');
    expect(reported).toEqual([error]);
  });

  it('reports on a later microtask, never while the queue is still updating', async () => {
    const t = setupQueue({
      onBusyChange: () => {
        throw new Error('late');
      },
    });
    t.queue.add(t.files(1)); // busy: true, synchronously
    expect(reported).toEqual([]);
    await Promise.resolve();
    expect(reported).toEqual([new Error('late')]);
  });

  it('rethrows (for the process to see) where there is no reportError', async () => {
    vi.unstubAllGlobals();
    const thrown: unknown[] = [];
    const queued: Array<() => void> = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => queued.push(task));
    const error = new Error('no reportError here');
    const t = setupQueue({
      onBusyChange: () => {
        throw error;
      },
    });
    t.queue.add(t.files(1));
    expect(t.status('id1')).toBe('authorizing');
    for (const task of queued) {
      try {
        task();
      } catch (caught) {
        thrown.push(caught);
      }
    }
    expect(thrown).toEqual([error]);
  });
});

describe('createUploadQueue: lifecycle callbacks', () => {
  it('calls onUploadStarted with the uploading entry for each attempt, then onUploadSucceeded', async () => {
    const started: Array<{ id: string; key: string; loaded: number; total: number }> = [];
    const succeeded: string[] = [];
    const t = setupQueue({
      onUploadStarted: ({ id, key, loaded, total }) => started.push({ id, key, loaded, total }),
      onUploadSucceeded: ({ id }) => succeeded.push(id),
    });
    const [id] = t.queue.add(t.files(1));
    await flush();
    t.lastSend().progress(40, 100);
    t.lastSend().reject(parseOssErrorResponse(503, ossErrorXml('ServiceUnavailable', 'Please reduce your request rate.')));
    await vi.runAllTimersAsync();
    await flush();
    t.lastSend().resolve();
    await flush();

    const key = `pop_temp1/${id}/file-1.txt`;
    expect(started).toEqual([
      { id, key, loaded: 0, total: 100 },
      { id, key, loaded: 0, total: 100 },
    ]);
    expect(succeeded).toEqual([id]);
  });

  it('calls onUploadProgress at most once per file per frame, with the latest bytes, and never after the file finished', async () => {
    const progress: Array<[string, number]> = [];
    const t = setupQueue({ onUploadProgress: ({ id, loaded }) => progress.push([id, loaded]) });
    const [a, b] = t.queue.add(t.files(2));
    await flush();
    const [sendA, sendB] = t.pending();
    sendA!.progress(10, 100);
    sendA!.progress(30, 100);
    sendB!.progress(5, 100);
    expect(progress).toEqual([]);
    t.flushFrame();
    expect(progress).toEqual([
      [a, 30],
      [b, 5],
    ]);
    t.flushFrame(); // nothing new: no call
    sendA!.progress(30, 100); // the same bytes again: no change, no call
    t.flushFrame();
    expect(progress).toHaveLength(2);

    sendA!.progress(90, 100);
    sendA!.resolve();
    await flush();
    t.flushFrame();
    expect(progress).toHaveLength(2);
  });

  it('calls onUploadCanceled for a canceled file and for every busy file abortAll cancels, but not for a removed one', async () => {
    const canceled: Array<[string, string]> = [];
    const t = setupQueue({ concurrency: 1, onUploadCanceled: ({ id, status }) => canceled.push([id, status]) });
    const [a, b, c, d] = t.queue.add(t.files(4));
    await flush();
    t.queue.cancel(b!);
    t.queue.remove(c!);
    t.queue.cancel(b!); // already canceled: no second call
    t.queue.abortAll();
    expect(canceled).toEqual([
      [b, 'canceled'],
      [a, 'canceled'],
      [d, 'canceled'],
    ]);
  });

  it('fails a file (retryable) instead of rejecting unhandled when a presigned URL request throws synchronously', async () => {
    const sends: Array<() => void> = [];
    const queue = createUploadQueue({
      concurrency: 1,
      maxAttempts: 1,
      strategy: createPresignedPutStrategy({
        requestUploadUrl: ({ file }) => {
          if (file.name === 'second.txt') throw new TypeError('fetchUploadUrl is broken');
          return Promise.resolve(makeUploadUrl({ receivedAt: Date.now(), serverNow: Date.now() }));
        },
        send: (request: PutObjectRequest) =>
          new Promise<PutObjectResult>((resolve) =>
            sends.push(() => resolve({ key: request.key, status: 200, etag: null, requestId: null })),
          ),
      }),
    });
    queue.add([makeFile('first.txt', 10), makeFile('second.txt', 10)]);
    await flush();
    // The first file's upload prefetched the second file's URL, which threw: the first is unharmed.
    sends[0]!();
    await flush();
    expect(queue.getSnapshot().files.map((upload) => (upload.status === 'failed' ? upload.error.code : upload.status))).toEqual([
      'done',
      'upload-url-request-failed',
    ]);
  });
});
