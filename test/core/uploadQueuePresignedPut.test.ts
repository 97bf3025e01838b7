import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUploadQueue } from '../../src/core/createUploadQueue';
import type { AttachmentUploadUrl } from '../../src/core/parseAttachmentUploadUrl';
import { parseOssErrorResponse } from '../../src/core/parseOssErrorResponse';
import { createPresignedPutStrategy, type UploadUrlRequest } from '../../src/core/presignedPutStrategy';
import type { PutObjectRequest, PutObjectResult } from '../../src/core/putObject';
import { selectPaths } from '../../src/core/uploadSelectors';
import { UploadError } from '../../src/core/UploadError';
import { makeFile, makeUploadUrl, ossErrorXml, T0 } from '../../fixtures';

// The presigned PUT strategy driven through the queue: a fake GetAttachmentUploadUrl whose answers
// the test releases, a fake transport whose uploads the test settles, and an injected clock.

async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

interface UrlCall {
  file: File;
  signal: AbortSignal;
  /** Answers with a URL living `lifetimeMs` from now (server clock = client clock + `serverOffsetMs`). */
  answer(options?: { lifetimeMs?: number; serverOffsetMs?: number }): void;
  fail(error: unknown): void;
  answered: boolean;
}

function setup({ concurrency = 1, maxAttempts = 3, autoAnswer = false } = {}) {
  let clock = T0;
  const now = () => clock;
  const urlCalls: UrlCall[] = [];
  let issued = 0;
  const requestUploadUrl = ({ file, signal }: UploadUrlRequest) =>
    new Promise<AttachmentUploadUrl>((resolve, reject) => {
      const call: UrlCall = {
        file,
        signal,
        answered: false,
        answer({ lifetimeMs = 900_000, serverOffsetMs = 0 } = {}) {
          call.answered = true;
          issued += 1;
          resolve(
            makeUploadUrl({ key: `attachments/${issued}/${file.name}`, receivedAt: clock, serverNow: clock + serverOffsetMs, lifetimeMs }),
          );
        },
        fail(error) {
          call.answered = true;
          reject(error);
        },
      };
      urlCalls.push(call);
      signal.addEventListener('abort', () => reject(new UploadError('canceled', 'The upload was canceled.')), { once: true });
      if (autoAnswer) call.answer();
    });

  const sends: Array<{ request: PutObjectRequest; resolve: () => void; reject: (error: unknown) => void }> = [];
  const send = (request: PutObjectRequest) =>
    new Promise<PutObjectResult>((resolve, reject) => {
      sends.push({ request, resolve: () => resolve({ key: request.key, status: 200, etag: '"e"', requestId: null }), reject });
      request.signal?.addEventListener('abort', () => reject(new UploadError('canceled', 'The upload was canceled.')), { once: true });
    });

  let nextId = 0;
  const failed: Array<[string, string]> = [];
  const queue = createUploadQueue({
    strategy: createPresignedPutStrategy({ requestUploadUrl, send }),
    concurrency,
    maxAttempts,
    createId: () => `id${++nextId}`,
    now,
    retryDelay: () => 1_000,
    scheduleNotification: () => () => {},
    onUploadFailed: (upload) => failed.push([upload.id, upload.error.code]),
  });
  const find = (id: string) => queue.getSnapshot().files.find((upload) => upload.id === id);
  return {
    queue,
    urlCalls,
    sends,
    failed,
    advance(ms: number) {
      clock += ms;
    },
    status: (id: string) => find(id)?.status,
    errorCode(id: string) {
      const upload = find(id);
      return upload?.status === 'failed' ? upload.error.code : undefined;
    },
    urlRequestsFor: (name: string) => urlCalls.filter((call) => call.file.name === name).length,
    lastUrlCall(): UrlCall {
      const call = urlCalls.at(-1);
      if (!call) throw new Error('no upload URL request');
      return call;
    },
    lastSend() {
      const sent = sends.at(-1);
      if (!sent) throw new Error('no send');
      return sent;
    },
    files: (...names: string[]) => names.map((name) => makeFile(name, 100)),
  };
}

const REQUEST_EXPIRED = () => parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'Request has expired.'));
const SIGNATURE_MISMATCH = () =>
  parseOssErrorResponse(
    403,
    ossErrorXml('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'),
  );

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('presigned PUT queue: one URL per file, right before it uploads', () => {
  it('asks for a URL per file as it starts, not for the whole batch at drop time (concurrency 1, 3 files)', async () => {
    const t = setup();
    const [a, b, c] = t.queue.add(t.files('a.pdf', 'b.pdf', 'c.pdf'));
    await flush();
    expect(t.urlCalls.map((call) => call.file.name)).toEqual(['a.pdf']);
    expect(t.status(a!)).toBe('authorizing');

    t.lastUrlCall().answer();
    await flush();
    // a uploads; b's URL is fetched meanwhile, c waits its turn.
    expect(t.status(a!)).toBe('uploading');
    expect(t.urlCalls.map((call) => call.file.name)).toEqual(['a.pdf', 'b.pdf']);

    t.lastUrlCall().answer();
    t.lastSend().resolve();
    await flush();
    expect(t.status(b!)).toBe('uploading');
    expect(t.urlCalls.map((call) => call.file.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
    t.lastUrlCall().answer();
    t.lastSend().resolve();
    await flush();
    t.lastSend().resolve();
    await flush();

    expect([a, b, c].map((id) => t.status(id!))).toEqual(['done', 'done', 'done']);
    expect(['a.pdf', 'b.pdf', 'c.pdf'].map(t.urlRequestsFor)).toEqual([1, 1, 1]);
    expect(selectPaths(t.queue.getSnapshot())).toEqual(['attachments/1/a.pdf', 'attachments/2/b.pdf', 'attachments/3/c.pdf']);
  });

  it('starts the next file at once with the URL prefetched during the previous upload (the round trip overlaps)', async () => {
    const t = setup({ autoAnswer: true });
    const [, b] = t.queue.add(t.files('a.pdf', 'b.pdf'));
    await flush();
    expect(t.urlCalls).toHaveLength(2);
    t.lastSend().resolve();
    await flush();
    // No third request, and b is already sending with its own key.
    expect(t.urlCalls).toHaveLength(2);
    expect(t.status(b!)).toBe('uploading');
    expect(t.lastSend().request).toMatchObject({ key: 'attachments/2/b.pdf', contentType: 'application/octet-stream' });
  });

  it('sends the next file in the same call that frees its slot once its prefetched URL has arrived (no tick in between)', async () => {
    const t = setup({ autoAnswer: true });
    const [a, b] = t.queue.add(t.files('a.pdf', 'b.pdf'));
    await flush();
    expect(t.sends).toHaveLength(1);
    t.queue.cancel(a!);
    // Synchronously: b's URL was at hand, so cancel() itself started b.
    expect(t.sends.map((sent) => sent.request.key)).toEqual(['attachments/1/a.pdf', 'attachments/2/b.pdf']);
    expect(t.status(b!)).toBe('uploading');
  });

  it('fetches one URL ahead per upload slot, so slots freed together all restart without a round trip (concurrency 3, 6 files)', async () => {
    const t = setup({ concurrency: 3, autoAnswer: true });
    const ids = t.queue.add(t.files('a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf', 'f.pdf'));
    await flush();
    // a, b, c upload; d, e, f already have their URLs, one each, and nothing more is asked.
    expect(t.urlCalls.map((call) => call.file.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf', 'f.pdf']);
    for (const sent of [...t.sends]) sent.resolve();
    await flush();
    expect(ids.slice(3).map((id) => t.status(id))).toEqual(['uploading', 'uploading', 'uploading']);
    expect(t.urlCalls).toHaveLength(6);
    expect(t.sends.slice(3).map((sent) => sent.request.key)).toEqual(['attachments/4/d.pdf', 'attachments/5/e.pdf', 'attachments/6/f.pdf']);
  });

  it('emits the ObjectKeys in add order whatever order the uploads finish in', async () => {
    const t = setup({ concurrency: 3, autoAnswer: true });
    t.queue.add(t.files('a.pdf', 'b.pdf', 'c.pdf'));
    await flush();
    for (const index of [2, 0, 1]) t.sends[index]!.resolve();
    await flush();
    expect(selectPaths(t.queue.getSnapshot())).toEqual(['attachments/1/a.pdf', 'attachments/2/b.pdf', 'attachments/3/c.pdf']);
  });

  it('sends the file to its URL with the Content-Type the answer names', async () => {
    const t = setup();
    t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastUrlCall().answer();
    await flush();
    const { request } = t.lastSend();
    expect(request.url).toMatch(/^https:\/\/work-order\.oss-cn-hangzhou\.aliyuncs\.com\/attachments\/1\/a\.pdf\?Expires=\d+&/);
    expect(request.file).toBe(t.urlCalls[0]?.file);
  });
});

describe('presigned PUT queue: a prefetched URL is never used past its expiry, nor kept for a file that left', () => {
  it('asks again when the prefetched URL went stale while the previous file uploaded', async () => {
    const t = setup();
    const [, b] = t.queue.add(t.files('a.pdf', 'b.pdf'));
    await flush();
    t.lastUrlCall().answer();
    await flush();
    t.lastUrlCall().answer({ lifetimeMs: 60_000 }); // b's URL: 60 s, so usable for 45 s
    t.advance(50_000); // a takes 50 s
    t.lastSend().resolve();
    await flush();
    expect(t.urlRequestsFor('b.pdf')).toBe(2);
    expect(t.status(b!)).toBe('authorizing');
    t.lastUrlCall().answer();
    await flush();
    expect(t.lastSend().request.key).toBe('attachments/3/b.pdf');
  });

  it.each([
    ['removed', 'remove'],
    ['canceled', 'cancel'],
  ] as const)('aborts the prefetch of a queued file that is %s', async (_label, action) => {
    const t = setup();
    const [, b, c] = t.queue.add(t.files('a.pdf', 'b.pdf', 'c.pdf'));
    await flush();
    t.lastUrlCall().answer();
    await flush();
    const prefetch = t.lastUrlCall();
    expect(prefetch.file.name).toBe('b.pdf');

    t.queue[action](b!);
    expect(prefetch.signal.aborted).toBe(true);
    t.lastSend().resolve();
    await flush();
    // c is next: it gets its own URL; b's aborted one is never used.
    expect(t.status(c!)).toBe('authorizing');
    expect(t.lastUrlCall().file.name).toBe('c.pdf');
  });

  it('asks again, when the file starts, for a URL whose prefetch failed', async () => {
    const t = setup();
    const [, b] = t.queue.add(t.files('a.pdf', 'b.pdf'));
    await flush();
    t.lastUrlCall().answer();
    await flush();
    t.lastUrlCall().fail(new UploadError('upload-url-request-failed', 'Failed to fetch'));
    t.lastSend().resolve();
    await flush();
    expect(t.urlRequestsFor('b.pdf')).toBe(2);
    t.lastUrlCall().answer();
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(b!)).toBe('done');
  });

  it('aborts the URL request of a file canceled while it waits for it, and sends nothing', async () => {
    const t = setup();
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.queue.cancel(a!);
    await flush();
    expect(t.urlCalls[0]?.signal.aborted).toBe(true);
    expect(t.status(a!)).toBe('canceled');
    expect(t.sends).toHaveLength(0);
  });
});

describe('presigned PUT queue: expiry and other refusals', () => {
  it('gets exactly one fresh URL after "Request has expired." and ends done under the new key', async () => {
    const t = setup();
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastUrlCall().answer();
    await flush();
    t.lastSend().reject(REQUEST_EXPIRED());
    await flush();
    expect(t.urlRequestsFor('a.pdf')).toBe(2);
    t.lastUrlCall().answer();
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(a!)).toBe('done');
    expect(t.sends.map((sent) => sent.request.key)).toEqual(['attachments/1/a.pdf', 'attachments/2/a.pdf']);
    expect(t.failed).toEqual([]);
  });

  it('fails with upload-url-expired when the fresh URL is refused as expired too (one re-request, never a loop)', async () => {
    const t = setup({ autoAnswer: true });
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastSend().reject(REQUEST_EXPIRED());
    await flush();
    t.lastSend().reject(REQUEST_EXPIRED());
    await flush();
    expect(t.urlRequestsFor('a.pdf')).toBe(2);
    expect(t.errorCode(a!)).toBe('upload-url-expired');
  });

  it('treats SignatureDoesNotMatch as expiry only once the URL is past its Expires by server time', async () => {
    const t = setup();
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    // The server clock runs 10 minutes ahead: read on the client's clock alone, the Expires of this
    // 15-minute URL would still be 10 minutes away; by the server's clock it has passed.
    t.lastUrlCall().answer({ serverOffsetMs: 600_000 });
    await flush();
    t.advance(901_000);
    t.lastSend().reject(SIGNATURE_MISMATCH());
    await flush();
    expect(t.urlRequestsFor('a.pdf')).toBe(2);
    t.lastUrlCall().answer();
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(a!)).toBe('done');
  });

  it.each([
    ['SignatureDoesNotMatch while the URL is valid (a wrong Content-Type)', SIGNATURE_MISMATCH, 'signature-mismatch'],
    [
      'AccessDenied for anything else',
      () => parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'You have no right to access this object.')),
      'access-denied',
    ],
  ])('fails at once, without another URL, on %s', async (_label, refusal, code) => {
    const t = setup({ autoAnswer: true });
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastSend().reject(refusal());
    await flush();
    expect(t.errorCode(a!)).toBe(code);
    expect(t.urlCalls).toHaveLength(1);
    expect(t.sends).toHaveLength(1);
  });

  it('fails with upload-url-expired, without sending, when the URL arrives already expired (server time)', async () => {
    const t = setup();
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastUrlCall().answer({ lifetimeMs: -1_000 });
    await flush();
    expect(t.errorCode(a!)).toBe('upload-url-expired');
    expect(t.sends).toHaveLength(0);
  });

  it('reports a plain Error from requestUploadUrl as upload-url-request-failed', async () => {
    const t = setup();
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastUrlCall().fail(new TypeError('Failed to fetch'));
    await flush();
    expect(t.errorCode(a!)).toBe('upload-url-request-failed');
  });
});

describe('presigned PUT queue: retries', () => {
  it('retries a 503 after its backoff with the same URL and key while it is usable', async () => {
    const t = setup({ autoAnswer: true });
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastSend().reject(parseOssErrorResponse(503, ossErrorXml('ServiceUnavailable', 'Please reduce your request rate.')));
    await flush();
    expect(t.queue.getSnapshot().files[0]).toMatchObject({ status: 'queued', retry: { attempt: 2 } });
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    t.lastSend().resolve();
    await flush();
    expect(t.status(a!)).toBe('done');
    expect(t.urlCalls).toHaveLength(1);
    expect(t.sends.map((sent) => sent.request.url)).toEqual([t.sends[0]!.request.url, t.sends[0]!.request.url]);
  });

  it('gets a new URL for a retry once the old one is no longer usable', async () => {
    const t = setup({ autoAnswer: true });
    t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastSend().reject(new UploadError('network-error', 'The connection to storage failed or was dropped.'));
    await flush();
    t.advance(900_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    expect(t.urlRequestsFor('a.pdf')).toBe(2);
    expect(t.sends.map((sent) => sent.request.key)).toEqual(['attachments/1/a.pdf', 'attachments/2/a.pdf']);
  });

  it('asks for a fresh URL when a failed file is retried by hand', async () => {
    const t = setup({ autoAnswer: true, maxAttempts: 1 });
    const [a] = t.queue.add(t.files('a.pdf'));
    await flush();
    t.lastSend().reject(parseOssErrorResponse(500, ossErrorXml('InternalError', 'We encountered an internal error.')));
    await flush();
    expect(t.status(a!)).toBe('failed');
    t.queue.retry(a!);
    await flush();
    expect(t.urlRequestsFor('a.pdf')).toBe(2);
  });
});
