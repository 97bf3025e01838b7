/**
 * In-browser stand-ins for the backend's getOSSTempAuthor / GetAttachmentUploadUrl and for OSS
 * itself, injected through the uploader's `fetchAuthorization` / `fetchUploadUrl` and `send` props:
 * the stories need no server and no network.
 */
import { buildAuthorizationEnvelope, buildPresignedPutUrl, FIXTURE_HOST, makeFile } from '../../fixtures';
import type { PostObjectRequest, PostObjectResult } from '../../src/core/postObject';
import type { PutObjectRequest, PutObjectResult } from '../../src/core/putObject';
import { UploadError, UploadErrorCode } from '../../src/core/UploadError';
import type { FetchAuthorization } from '../../src/react/ossAuthorizationQuery';
import type { FetchUploadUrl } from '../../src/react/uploadUrlMutation';

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
    return buildAuthorizationEnvelope({
      lifetimeSeconds,
      serverNow: Math.ceil(Date.now() / 1000) * 1000,
      host: FIXTURE_HOST,
      bucket: 'work-order',
    });
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

/** One simulated transfer: progress over `durationMs`, the abort signal honoured, then the answer. */
function simulateTransfer<T>(
  request: { file: Blob; signal?: AbortSignal; onProgress?: (loaded: number, total: number) => void },
  { durationMs, steps = 20, holdAtEnd = false }: FakeSendOptions,
  failThisAttempt: boolean,
  overhead: number,
  answer: () => T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal, file } = request;
    const canceled = () => new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.', { cause: signal?.reason });
    if (signal?.aborted) {
      reject(canceled());
      return;
    }
    const total = file.size + overhead;
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
        finish(() => resolve(answer()));
      }
    }, durationMs / steps);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.onProgress?.(0, total);
  });
}

/**
 * A fake OSS PostObject: reports progress over `durationMs`, honours the abort signal, refuses a
 * policy that expired before the request "arrived" (as OSS does) and answers like a 200.
 */
export function createFakeSend(options: FakeSendOptions): FakeSend {
  const attempted = new WeakSet<Blob>();
  return (request) => {
    if (!request.signal?.aborted && Date.now() >= request.authorization.expiresAt) {
      return Promise.reject(
        new UploadError(UploadErrorCode.PolicyExpired, 'Invalid according to Policy: Policy expired.', {
          status: 403,
          ossCode: 'AccessDenied',
        }),
      );
    }
    const failThisAttempt = options.failFirstAttempt === true && !attempted.has(request.file);
    attempted.add(request.file);
    // The multipart form's fields and boundaries add to the body.
    return simulateTransfer(request, options, failThisAttempt, 812, () => ({
      key: request.key,
      status: 200,
      etag: null,
      requestId: null,
      location: null,
      serverDate: null,
    }));
  };
}

/** `fetchUploadUrl` answering like the backend's `POST /api/attachment-upload-url` after `latencyMs`: one key and URL per file. */
export function createFakeFetchUploadUrl({
  lifetimeSeconds = 900,
  latencyMs = 150,
}: { lifetimeSeconds?: number; latencyMs?: number } = {}): FetchUploadUrl {
  let serial = 0;
  return async ({ file, signal }) => {
    await delay(latencyMs, signal);
    serial += 1;
    const ObjectKey = `attachments/2025/${serial}/${file.name}`;
    const expires = Math.floor(Date.now() / 1000) + lifetimeSeconds;
    return { ObjectKey, PutSignedUrl: buildPresignedPutUrl({ key: ObjectKey, expires }), ContentType: 'application/octet-stream' };
  };
}

/**
 * A fake OSS presigned PUT: the same simulated transfer as `createFakeSend` (the raw bytes, no form
 * around them), refusing a URL past its `Expires` with "Request has expired." as OSS does.
 */
export function createFakePutSend(options: FakeSendOptions): (request: PutObjectRequest) => Promise<PutObjectResult> {
  const attempted = new WeakSet<Blob>();
  return (request) => {
    const expires = Number(new URL(request.url).searchParams.get('Expires'));
    if (!request.signal?.aborted && Date.now() >= expires * 1000) {
      return Promise.reject(
        new UploadError(UploadErrorCode.UploadUrlExpired, 'Request has expired.', { status: 403, ossCode: 'AccessDenied' }),
      );
    }
    const failThisAttempt = options.failFirstAttempt === true && !attempted.has(request.file);
    attempted.add(request.file);
    return simulateTransfer(request, options, failThisAttempt, 0, () => ({ key: request.key, status: 200, etag: null, requestId: null }));
  };
}

/** Three fresh files for the interactive stories (new objects each call, so per-file fakes start clean). */
export function createSampleFiles(): File[] {
  return [
    makeFile('login-error-screenshot.png', 245_760, 'image/png'),
    makeFile('工单日志-2025-01-15.txt', 184_320, 'text/plain'),
    makeFile('network-trace.har', 1_153_434, 'application/json'),
  ];
}
