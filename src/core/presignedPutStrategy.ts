import { abortable } from './abortable.js';
import { getAuthorizationLifetime, isAuthorizationUsable } from './authorizationExpiry.js';
import type { AttachmentUploadUrl } from './parseAttachmentUploadUrl.js';
import { putObject } from './putObject.js';
import type { PutObjectRequest, PutObjectResult } from './putObject.js';
import type { PrepareUploadRequest, UploadStrategy, UploadTarget } from './UploadStrategy.js';
import { UploadError } from './UploadError.js';

export interface UploadUrlRequest {
  file: File;
  /** Aborted when the file is canceled or removed, or its prefetched URL is dropped. */
  signal: AbortSignal;
}

export interface PresignedPutStrategyOptions {
  /** Asks the backend for one file's URL (GetAttachmentUploadUrl; the React layer runs it as a react-query mutation). */
  requestUploadUrl: (request: UploadUrlRequest) => Promise<AttachmentUploadUrl>;
  /** Sends one file. Default: `putObject` (XHR PUT of the raw bytes). */
  send?: (request: PutObjectRequest) => Promise<PutObjectResult>;
}

interface HeldUrl {
  controller: AbortController;
  promise: Promise<AttachmentUploadUrl>;
  /** The answer once it arrived: a prefetched URL is then used without waiting a tick. */
  url?: AttachmentUploadUrl;
}

/**
 * Presigned PUT mode (GetAttachmentUploadUrl, docs/work-order-api.md §1, §4): one URL and object key
 * per file, asked for right before that file starts (or while the file before it uploads, see
 * `prefetch`), kept for that file's retries while usable and never used once its `Expires` is near.
 */
export function createPresignedPutStrategy(options: PresignedPutStrategyOptions): UploadStrategy {
  /** The URL requested (or prefetched) for each file id, until the file is released. */
  const held = new Map<string, HeldUrl>();

  const release = (id: string) => {
    held.get(id)?.controller.abort();
    held.delete(id);
  };

  const request = (id: string, file: File): HeldUrl => {
    const controller = new AbortController();
    let promise: Promise<AttachmentUploadUrl>;
    try {
      promise = options.requestUploadUrl({ file, signal: controller.signal });
    } catch (error) {
      // A request that throws instead of rejecting fails this file's URL, never the prefetching upload.
      promise = Promise.reject(error);
    }
    const entry: HeldUrl = { controller, promise };
    // A failed request is forgotten: the file asks again when it starts, and reports that failure.
    entry.promise.then(
      (url) => {
        entry.url = url;
      },
      () => {
        if (held.get(id) === entry) held.delete(id);
      },
    );
    held.set(id, entry);
    return entry;
  };

  return {
    prepareErrorCode: 'upload-url-request-failed',
    prepare(request) {
      const reusable = request.replacing ? undefined : held.get(request.id);
      // The prefetched URL already arrived and is usable: the file is sent in this very task.
      if (reusable?.url && isAuthorizationUsable(reusable.url, request.now())) return createTarget(reusable.url, request.file, request.now);
      return prepareWhenAnswered(request, reusable).then((url) => createTarget(url, request.file, request.now));
    },
    prefetch({ id, file }) {
      if (!held.has(id)) request(id, file);
    },
    release,
  };

  async function prepareWhenAnswered(
    { id, file, signal, now }: PrepareUploadRequest,
    reusable: HeldUrl | undefined,
  ): Promise<AttachmentUploadUrl> {
    let url: AttachmentUploadUrl | undefined;
    if (reusable) {
      // The prefetched URL, or the one an earlier attempt used: the same key, so a retry after a
      // dropped connection overwrites rather than orphans an object OSS may have stored.
      url = await abortable(reusable.promise, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return undefined;
      });
      if (url && !isAuthorizationUsable(url, now())) url = undefined;
    }
    if (!url) {
      release(id);
      url = await abortable(request(id, file).promise, signal);
      if (!isAuthorizationUsable(url, now())) {
        release(id);
        throw new UploadError('upload-url-expired', 'The upload URL had already expired when it arrived.');
      }
    }
    return url;
  }

  function createTarget(url: AttachmentUploadUrl, file: File, now: () => number): UploadTarget {
    const { objectKey, putUrl, contentType } = url;
    const expiresAt = url.receivedAt + getAuthorizationLifetime(url);
    const target: UploadTarget = {
      key: objectKey,
      send: (sendRequest) => (options.send ?? putObject)({ url: putUrl, key: objectKey, file, contentType, ...sendRequest }),
      // docs/work-order-api.md §4: past `Expires` OSS answers AccessDenied "Request has expired.";
      // a SignatureDoesNotMatch once the URL's time is up (by the server's clock) is the same lapse.
      isExpiredRefusal: (error) => error.code === 'upload-url-expired' || (error.code === 'signature-mismatch' && now() >= expiresAt),
    };
    return target;
  }
}
