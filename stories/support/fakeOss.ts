/**
 * In-browser stand-ins for the backend's getOSSTempAuthor and for OSS itself, injected through the
 * uploader's `fetchAuthorization` and `send` props: the stories need no server and no network.
 */
import { buildAuthorizationEnvelope, FIXTURE_HOST, makeFile } from '../../fixtures';
import type { PostObjectRequest, PostObjectResult } from '../../src/core/postObject';
import { UploadError, UploadErrorCode } from '../../src/core/UploadError';
import type { FetchAuthorization } from '../../src/react/ossAuthorizationQuery';

export type FakeSend = (request: PostObjectRequest) => Promise<PostObjectResult>;

export interface FakeAuthorizationOptions {
  /** Seconds until the policy expires (at least; `expire` is whole unix seconds). Default 120, as getOSSTempAuthor. */
  lifetimeSeconds?: number;
  /** Answer delay in ms. Default 150. */
  latencyMs?: number;
  /** Called on every fetch (to count refreshes). */
  onFetch?: () => void;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `fetchAuthorization` answering like the backend after `latencyMs`. */
export function createFakeFetchAuthorization(options: FakeAuthorizationOptions = {}): FetchAuthorization {
  const { lifetimeSeconds = 120, latencyMs = 150, onFetch } = options;
  return async ({ signal }) => {
    onFetch?.();
    await delay(latencyMs, signal);
    // Signed on the next whole second, so `expire` (whole unix seconds) is never earlier than asked.
    return buildAuthorizationEnvelope({ lifetimeSeconds, serverNow: Math.ceil(Date.now() / 1000) * 1000, host: FIXTURE_HOST, bucket: 'work-order' });
  };
}

/** `fetchAuthorization` whose backend refuses: a `success: false` envelope. */
export function createRefusingFetchAuthorization(message = 'Ticket service is under maintenance.'): FetchAuthorization {
  return async ({ signal }) => {
    await delay(150, signal);
    return { success: false, code: '503', message, data: null };
  };
}

export interface FakeSendOptions {
  /** Time one file takes from start to 100 %. */
  durationMs: number;
  /** Progress events per file. Default 20. */
  steps?: number;
  /** Fail each file's first attempt with a 503 halfway through, to show the automatic retry. */
  failFirstAttempt?: boolean;
  /** Stop at 100 % without answering, as storage does while it still reads and stores the body ("Saving…"). */
  holdAtEnd?: boolean;
}

/**
 * A fake OSS PostObject: reports progress over `durationMs`, honours the abort signal, refuses a
 * policy that expired before the request "arrived" (as OSS does) and answers like a 200.
 */
export function createFakeSend({ durationMs, steps = 20, failFirstAttempt = false, holdAtEnd = false }: FakeSendOptions): FakeSend {
  const attempted = new WeakSet<Blob>();
  return (request) =>
    new Promise<PostObjectResult>((resolve, reject) => {
      const { signal, file } = request;
      const canceled = () => new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.', { cause: signal?.reason });
      if (signal?.aborted) {
        reject(canceled());
        return;
      }
      if (Date.now() >= request.authorization.expiresAt) {
        reject(new UploadError(UploadErrorCode.PolicyExpired, 'Invalid according to Policy: Policy expired.', { status: 403, ossCode: 'AccessDenied' }));
        return;
      }
      const failThisAttempt = failFirstAttempt && !attempted.has(file);
      attempted.add(file);
      const total = file.size + 812;
      let step = 0;
      const finish = (settle: () => void) => {
        clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = () => finish(() => reject(canceled()));
      const timer = setInterval(() => {
        step += 1;
        request.onProgress?.(Math.round((total * step) / steps), total);
        if (failThisAttempt && step >= steps / 2) {
          finish(() => reject(new UploadError(UploadErrorCode.OssError, 'Service unavailable', { status: 503 })));
        } else if (step >= steps && holdAtEnd) {
          clearInterval(timer); // the abort listener stays: Cancel and Remove still end it
        } else if (step >= steps) {
          finish(() => resolve({ key: request.key, status: 200, etag: null, requestId: null, location: null, serverDate: null }));
        }
      }, durationMs / steps);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.onProgress?.(0, total);
    });
}

/** Three fresh files for the interactive stories (new objects each call, so per-file fakes start clean). */
export function createSampleFiles(): File[] {
  return [
    makeFile('login-error-screenshot.png', 245_760, 'image/png'),
    makeFile('工单日志-2025-01-15.txt', 184_320, 'text/plain'),
    makeFile('network-trace.har', 1_153_434, 'application/json'),
  ];
}
