import { parseOssErrorResponse } from './parseOssErrorResponse.js';
import { readRetryAfter } from './parseRetryAfter.js';
import { DEFAULT_STALL_TIMEOUT_MS, readExposedHeaders, resolveUploadUrl } from './postObject.js';
import { UploadError, UploadErrorCode } from './UploadError.js';

export interface PutObjectRequest {
  /** The presigned URL (`PutSignedUrl`), sent exactly as issued: its query carries the signature. */
  url: string;
  /** The object key the URL is signed for (returned in the result). */
  key: string;
  /** The bytes, sent raw as the request body (no multipart). */
  file: Blob;
  /** The Content-Type the URL was signed for: sent exactly, whatever the file's own type. */
  contentType: string;
  signal?: AbortSignal;
  /** Raw upload progress of the body. */
  onProgress?: (loaded: number, total: number) => void;
  /** No progress for this long aborts the upload with `timeout`. Default 30,000 ms. */
  stallTimeoutMs?: number;
  /** Test seam. Default: `new XMLHttpRequest()`. */
  createXhr?: () => XMLHttpRequest;
  /** The page's protocol; an `http:` URL is upgraded on `https:` pages. Default: `location.protocol`. */
  pageProtocol?: string;
}

export interface PutObjectResult {
  key: string;
  status: number;
  /** ETag, when the bucket's CORS rule exposes it; a 200 without a readable one is still stored. */
  etag: string | null;
  requestId: string | null;
}

/** What a raw PUT needs besides the body's destination: the XHR mechanics shared by `putObject` and `relayPutObject`. */
export interface RawPutRequest {
  url: string;
  file: Blob;
  contentType: string;
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number) => void;
  stallTimeoutMs?: number;
  createXhr?: () => XMLHttpRequest;
  pageProtocol?: string;
}

/** Turns a finished answer (status ≠ 0) into the result, or into the error it means. */
export type RawPutAnswerReader = (answer: {
  status: number;
  responseText: string;
  headers: Map<string, string>;
}) => PutObjectResult | UploadError;

/**
 * Sends `file` as the raw body of an XHR `PUT` with exactly `contentType`, reporting upload progress,
 * and resolves with what `readAnswer` makes of the answer. Rejects only with `UploadError`
 * (`canceled` on abort, `timeout` on a stall, `network-error`, or the error `readAnswer` returns).
 * Internal: the transport of both PUT modes.
 */
export function sendRawPut(request: RawPutRequest, readAnswer: RawPutAnswerReader): Promise<PutObjectResult> {
  const { signal, onProgress } = request;
  const stallTimeoutMs = request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const pageProtocol = request.pageProtocol ?? (typeof location === 'undefined' ? undefined : location.protocol);
  const canceled = () => new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.', { cause: signal?.reason });

  return new Promise<PutObjectResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(canceled());
      return;
    }
    const xhr = (request.createXhr ?? (() => new XMLHttpRequest()))();
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;

    const fail = (error: UploadError) => {
      if (settled) return;
      settled = true;
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        fail(new UploadError(UploadErrorCode.Timeout, `No upload progress for ${stallTimeoutMs} ms.`));
        xhr.abort();
      }, stallTimeoutMs);
    };
    function onAbort() {
      fail(canceled());
      xhr.abort();
    }

    // The V1 signature does not cover the scheme, so upgrading an http: URL on an https: page keeps it valid.
    xhr.open('PUT', resolveUploadUrl(request.url, pageProtocol), true);
    // The URL is the only credential; cookies would also make a wildcard CORS rule refuse the answer.
    xhr.withCredentials = false;
    xhr.setRequestHeader('Content-Type', request.contentType);
    xhr.upload.onprogress = (event) => {
      if (settled) return;
      armStallTimer();
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    xhr.onreadystatechange = () => {
      if (!settled && xhr.readyState >= 2) armStallTimer();
    };
    xhr.onerror = () => fail(new UploadError(UploadErrorCode.NetworkError, 'The connection to storage failed or was dropped.'));
    xhr.ontimeout = () => fail(new UploadError(UploadErrorCode.Timeout, 'The upload timed out.'));
    xhr.onabort = () => fail(canceled());
    xhr.onload = () => {
      if (settled) return;
      // Status 0 with a load event: the browser refused the answer (CORS) or the connection broke.
      if (xhr.status === 0) {
        fail(new UploadError(UploadErrorCode.NetworkError, 'Storage did not answer (connection or CORS failure).'));
        return;
      }
      const outcome = readAnswer({
        status: xhr.status,
        responseText: typeof xhr.responseText === 'string' ? xhr.responseText : '',
        headers: readExposedHeaders(xhr),
      });
      if (outcome instanceof UploadError) {
        fail(outcome);
        return;
      }
      settled = true;
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    armStallTimer();
    xhr.send(request.file);
  });
}

/**
 * Sends one file to a presigned OSS URL with an XHR `PUT` of the raw bytes, reporting upload
 * progress. Resolves on any 2xx; rejects only with `UploadError` (`canceled` on abort, `timeout` on
 * a stall, `network-error`, or the OSS error mapped by `parseOssErrorResponse`).
 *
 * docs/work-order-api.md §4: the V1 signature covers the method, Content-MD5, Content-Type, Expires,
 * the `x-oss-*` headers and the resource, so the request carries exactly the signed Content-Type and
 * no other header of its own; a browser adds only headers outside the signature (Origin, …).
 */
export function putObject(request: PutObjectRequest): Promise<PutObjectResult> {
  return sendRawPut(request, ({ status, responseText, headers }) => {
    const requestId = headers.get('x-oss-request-id') ?? null;
    if (status >= 200 && status < 300) return { key: request.key, status, etag: headers.get('etag') ?? null, requestId };
    return parseOssErrorResponse(status, responseText, requestId, readRetryAfter(headers));
  });
}
