import { isAuthorizationUsable } from '../../src/core/authorizationExpiry';
import { createUploadQueue, type UploadQueueOptions } from '../../src/core/createUploadQueue';
import type { OssAuthorization } from '../../src/core/parseOssAuthorization';
import type { PostObjectRequest, PostObjectResult } from '../../src/core/postObject';
import { createPostPolicyStrategy, type AuthorizeRequest } from '../../src/core/postPolicyStrategy';
import type { FileUpload } from '../../src/core/uploadReducer';
import { UploadError } from '../../src/core/UploadError';
import { makeAuthorization, makeFile, T0 } from '../../fixtures';

/**
 * A small POST policy queue for core tests: an injected clock, a cache-like `authorize` that counts
 * fetches, a transport whose every send is a deferred the test settles, and a manual notifier
 * (one `flushFrame()` = one animation frame).
 */

/** Lets every pending promise continuation run (the queue awaits authorize, then send). */
export async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

export interface HeldSend {
  request: PostObjectRequest;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
  progress(loaded: number, total: number): void;
}

export function setupQueue(options: Partial<UploadQueueOptions> & { lifetimeMs?: number } = {}) {
  const { lifetimeMs = 120_000, ...queueOptions } = options;
  let current = T0;
  const clock = {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };

  const authorizeRequests: AuthorizeRequest[] = [];
  const issued: OssAuthorization[] = [];
  let cached: OssAuthorization | null = null;
  const authorize = async (request: AuthorizeRequest) => {
    authorizeRequests.push(request);
    if (cached && cached !== request.rejected && isAuthorizationUsable(cached, clock.now())) return cached;
    cached = makeAuthorization({ receivedAt: clock.now(), serverNow: clock.now(), lifetimeMs, dir: `pop_temp${issued.length + 1}/` });
    issued.push(cached);
    return cached;
  };

  const sends: HeldSend[] = [];
  const send = (request: PostObjectRequest) =>
    new Promise<PostObjectResult>((resolve, reject) => {
      const held: HeldSend = {
        request,
        settled: false,
        resolve() {
          held.settled = true;
          resolve({ key: request.key, status: 200, etag: '"e"', requestId: null, location: null, serverDate: null });
        },
        reject(error) {
          held.settled = true;
          reject(error);
        },
        progress: (loaded, total) => request.onProgress?.(loaded, total),
      };
      sends.push(held);
      request.signal?.addEventListener('abort', () => held.reject(new UploadError('canceled', 'The upload was canceled.')), { once: true });
    });

  const frames = new Set<() => void>();
  let nextId = 0;
  const queue = createUploadQueue({
    strategy: createPostPolicyStrategy({ authorize, send }),
    createId: () => `id${++nextId}`,
    now: clock.now,
    retryDelay: (attempt) => 1_000 * 2 ** (attempt - 2),
    scheduleNotification: (notify) => {
      frames.add(notify);
      return () => frames.delete(notify);
    },
    ...queueOptions,
  });
  const find = (id: string): FileUpload | undefined => queue.getSnapshot().files.find((upload) => upload.id === id);

  return {
    queue,
    clock,
    authorizeRequests,
    issued,
    sends,
    pending: () => sends.filter((held) => !held.settled),
    lastSend(): HeldSend {
      const held = sends.at(-1);
      if (!held) throw new Error('nothing was sent');
      return held;
    },
    find,
    status: (id: string) => find(id)?.status,
    /** Delivers the pending notification: one animation frame. */
    flushFrame() {
      const batch = [...frames];
      frames.clear();
      for (const notify of batch) notify();
    },
    files: (count: number) => Array.from({ length: count }, (_, index) => makeFile(`file-${index + 1}.txt`, 100, 'text/plain')),
  };
}
