import { UploadError } from './UploadError.js';

/** Default stall timeout: an upload with no progress for this long is aborted with `timeout`. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/**
 * Response headers the page may read. `getAllResponseHeaders()` lists only CORS-exposed ones, while
 * `getResponseHeader()` on an unexposed one logs "Refused to get unsafe header" in Chrome (docs/oss-protocol.md §5).
 */
export function readExposedHeaders(xhr: XMLHttpRequest): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export interface XhrUploadRequest {
  method: 'POST' | 'PUT';
  url: string;
  body: Blob | FormData;
  /** Sent as the `Content-Type` header; omitted, the browser derives it from the body (a multipart boundary). */
  contentType?: string;
  signal?: AbortSignal;
  /** Raw upload progress of the body. */
  onProgress?: (loaded: number, total: number) => void;
  /** No progress for this long aborts the upload with `timeout`. Default 30,000 ms. */
  stallTimeoutMs?: number;
  /** Test seam. Default: `new XMLHttpRequest()`. */
  createXhr?: () => XMLHttpRequest;
}

/** A finished answer the browser let the page read (status ≠ 0). */
export interface XhrUploadAnswer {
  status: number;
  responseText: string;
  headers: Map<string, string>;
}

/**
 * The XHR mechanics every transport shares (PostObject, presigned PUT, relay PUT): upload progress,
 * abort through `signal`, the stall timeout, no credentials, and a status-0 answer taken as a network
 * failure. Resolves with what `readAnswer` makes of the answer; rejects only with `UploadError`
 * (`canceled`, `timeout`, `network-error`, or the error `readAnswer` returns).
 */
export function sendXhrUpload<T>(request: XhrUploadRequest, readAnswer: (answer: XhrUploadAnswer) => T | UploadError): Promise<T> {
  const { signal, onProgress } = request;
  const stallTimeoutMs = request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const canceled = () => new UploadError('canceled', 'The upload was canceled.', { cause: signal?.reason });

  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(canceled());
      return;
    }
    const xhr = (request.createXhr ?? (() => new XMLHttpRequest()))();
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;

    const settle = () => {
      settled = true;
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: UploadError) => {
      if (settled) return;
      settle();
      reject(error);
    };
    // One timer per upload, not one per event: progress and ready-state events only note the time, and
    // the timer, when it fires, waits out whatever is left of the stall timeout since that time.
    let lastActivityAt = Date.now();
    const watchForStall = (delay: number) => {
      stallTimer = setTimeout(() => {
        const idle = Date.now() - lastActivityAt;
        if (idle < stallTimeoutMs) {
          watchForStall(stallTimeoutMs - idle);
          return;
        }
        fail(new UploadError('timeout', `No upload progress for ${stallTimeoutMs} ms.`));
        xhr.abort();
      }, delay);
    };
    function onAbort() {
      fail(canceled());
      xhr.abort();
    }

    xhr.open(request.method, request.url, true);
    // docs/oss-protocol.md §5: credentials with a wildcard CORS origin are blocked, and the policy or
    // the signed URL is the only credential.
    xhr.withCredentials = false;
    if (request.contentType !== undefined) xhr.setRequestHeader('Content-Type', request.contentType);
    xhr.upload.onprogress = (event) => {
      if (settled) return;
      lastActivityAt = Date.now();
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    // Download progress or header arrival also proves the server is alive while it stores the file.
    xhr.onreadystatechange = () => {
      if (xhr.readyState >= 2) lastActivityAt = Date.now();
    };
    xhr.onerror = () => fail(new UploadError('network-error', 'The connection failed or was dropped.'));
    xhr.ontimeout = () => fail(new UploadError('timeout', 'The upload timed out.'));
    xhr.onabort = () => fail(canceled());
    xhr.onload = () => {
      if (settled) return;
      // Status 0 with a load event: the browser refused the answer (CORS) or the connection broke.
      if (xhr.status === 0) {
        fail(new UploadError('network-error', 'No answer (network or CORS).'));
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
      settle();
      resolve(outcome);
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    watchForStall(stallTimeoutMs);
    xhr.send(request.body);
  });
}
