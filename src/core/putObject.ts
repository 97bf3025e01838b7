import { parseOssErrorResponse } from './parseOssErrorResponse.js';
import { readRetryAfter } from './parseRetryAfter.js';
import { resolveUploadUrl } from './postObject.js';
import { sendXhrUpload } from './sendXhrUpload.js';
import type { XhrUploadAnswer } from './sendXhrUpload.js';
import type { UploadError } from './UploadError.js';

/** An XHR `PUT` of raw bytes: what both PUT transports (`putObject`, `relayPutObject`) send. */
export interface RawPutRequest {
  /** Where the bytes go: the presigned URL (`PutSignedUrl`) sent exactly as issued, or the relay's. */
  url: string;
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

export interface PutObjectRequest extends RawPutRequest {
  /** The object key the URL is signed for (returned in the result). */
  key: string;
}

export interface PutObjectResult {
  key: string;
  status: number;
  /** ETag, when the bucket's CORS rule exposes it; a 200 without a readable one is still stored. */
  etag: string | null;
  requestId: string | null;
}

/**
 * Sends `file` as the raw body of an XHR `PUT` with exactly `contentType` and resolves with what
 * `readAnswer` makes of the answer (see `sendXhrUpload`). Internal: the transport of both PUT modes.
 */
export function sendRawPut(
  request: RawPutRequest,
  readAnswer: (answer: XhrUploadAnswer) => PutObjectResult | UploadError,
): Promise<PutObjectResult> {
  const pageProtocol = request.pageProtocol ?? (typeof location === 'undefined' ? undefined : location.protocol);
  return sendXhrUpload(
    {
      method: 'PUT',
      // The V1 signature does not cover the scheme, so upgrading an http: URL on an https: page keeps it valid.
      url: resolveUploadUrl(request.url, pageProtocol),
      body: request.file,
      contentType: request.contentType,
      signal: request.signal,
      onProgress: request.onProgress,
      stallTimeoutMs: request.stallTimeoutMs,
      createXhr: request.createXhr,
    },
    readAnswer,
  );
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
