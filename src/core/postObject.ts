import type { OssAuthorization } from './parseOssAuthorization.js';
import { decodeXmlText, parseOssErrorResponse } from './parseOssErrorResponse.js';
import { readRetryAfter } from './parseRetryAfter.js';
import { UploadError, UploadErrorCode } from './UploadError.js';

/** Default stall timeout: an upload with no progress for this long is aborted with `timeout`. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

export interface PostObjectRequest {
  authorization: OssAuthorization;
  /** The object key; must start with `authorization.keyPrefix`. */
  key: string;
  file: Blob;
  /** Name for the multipart file part (the object name is `key`, docs/oss-protocol.md §1). Default: the file's own name. */
  fileName?: string;
  /** Sent as the `Content-Disposition` form field: the download name of the stored object (docs/oss-protocol.md §1, §8). */
  contentDisposition?: string;
  signal?: AbortSignal;
  /** Raw upload progress of the whole multipart body. */
  onProgress?: (loaded: number, total: number) => void;
  /** No progress for this long aborts the upload with `timeout`. Default 30,000 ms. */
  stallTimeoutMs?: number;
  /** Test seam. Default: `new XMLHttpRequest()`. */
  createXhr?: () => XMLHttpRequest;
  /** The page's protocol; an `http:` host is upgraded on `https:` pages. Default: `location.protocol`. */
  pageProtocol?: string;
}

export interface PostObjectResult {
  key: string;
  status: number;
  /** ETag, when the bucket's CORS rule exposes it (docs/oss-protocol.md §5). */
  etag: string | null;
  requestId: string | null;
  /** `Location` from a 201 `<PostResponse>`. */
  location: string | null;
  /** The storage server's `Date` (ms), when readable: another source of server time for expiry checks. */
  serverDate: number | null;
}

/** docs/oss-protocol.md §8 "http host on https pages": browsers block mixed content, and every OSS endpoint serves https. */
export function resolveUploadUrl(host: string, pageProtocol: string | undefined): string {
  if (pageProtocol === 'https:' && host.startsWith('http:')) return `https:${host.slice('http:'.length)}`;
  return host;
}

/** docs/oss-protocol.md §8 "Chinese or non-ASCII names": an ASCII fallback plus the RFC 5987 UTF-8 form, as a form field (not the part header). */
export function buildContentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The PostObject form (docs/oss-protocol.md §1): `key`, `policy`, `OSSAccessKeyId`, `Signature` (or the V4 fields,
 * docs/oss-protocol.md §3), `success_action_status`, the STS token, then `file` last, as OSS requires.
 */
export function buildPostObjectForm(
  request: Pick<PostObjectRequest, 'authorization' | 'key' | 'file' | 'fileName' | 'contentDisposition'>,
): FormData {
  const { authorization: auth } = request;
  const form = new FormData();
  form.append('key', request.key);
  form.append('policy', auth.policy);
  if (auth.v4) {
    for (const [field, value] of Object.entries(auth.v4)) form.append(field, value);
  } else {
    form.append('OSSAccessKeyId', auth.accessId);
    form.append('Signature', auth.signature);
  }
  // docs/oss-protocol.md §8 "Status choice": 204 with an empty body confuses some clients; the official demos send 200.
  form.append('success_action_status', '200');
  if (auth.securityToken) form.append('x-oss-security-token', auth.securityToken);
  if (request.contentDisposition) form.append('Content-Disposition', request.contentDisposition);
  const name = request.fileName ?? (request.file instanceof File ? request.file.name : 'file');
  form.append('file', request.file, name);
  return form;
}

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

function parsePostResponseLocation(body: string): string | null {
  const match = /<Location>([^<]*)<\/Location>/.exec(body);
  return match?.[1] === undefined ? null : decodeXmlText(match[1].trim());
}

/**
 * Sends one file to OSS with a browser form POST (docs/oss-protocol.md §1), reporting upload progress. Resolves on
 * any 2xx; rejects only with `UploadError` (`canceled` on abort, `timeout` on a stall,
 * `network-error`, or the OSS error mapped by `parseOssErrorResponse`).
 */
export function postObject(request: PostObjectRequest): Promise<PostObjectResult> {
  const { signal, onProgress } = request;
  const stallTimeoutMs = request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const pageProtocol = request.pageProtocol ?? (typeof location === 'undefined' ? undefined : location.protocol);
  const url = resolveUploadUrl(request.authorization.host, pageProtocol);

  return new Promise<PostObjectResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.'));
      return;
    }
    const xhr = (request.createXhr ?? (() => new XMLHttpRequest()))();
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;

    const cleanup = () => {
      settled = true;
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: UploadError) => {
      if (settled) return;
      cleanup();
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
      fail(new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.', { cause: signal?.reason }));
      xhr.abort();
    }

    xhr.open('POST', url, true);
    // docs/oss-protocol.md §5: credentials with a wildcard CORS origin are blocked, and the policy is the only credential.
    xhr.withCredentials = false;
    xhr.upload.onprogress = (event) => {
      if (settled) return;
      armStallTimer();
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    // Download progress or header arrival also proves the server is alive while it stores the file.
    xhr.onreadystatechange = () => {
      if (!settled && xhr.readyState >= 2) armStallTimer();
    };
    xhr.onerror = () => fail(new UploadError(UploadErrorCode.NetworkError, 'The connection to storage failed or was dropped.'));
    xhr.ontimeout = () => fail(new UploadError(UploadErrorCode.Timeout, 'The upload timed out.'));
    xhr.onabort = () => fail(new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.'));
    xhr.onload = () => {
      if (settled) return;
      const body = typeof xhr.responseText === 'string' ? xhr.responseText : '';
      const headers = readExposedHeaders(xhr);
      const requestId = headers.get('x-oss-request-id') ?? null;
      if (xhr.status >= 200 && xhr.status < 300) {
        cleanup();
        const date = headers.get('date');
        const serverDate = date ? Date.parse(date) : Number.NaN;
        resolve({
          key: request.key,
          status: xhr.status,
          etag: headers.get('etag') ?? null,
          requestId,
          location: parsePostResponseLocation(body),
          serverDate: Number.isFinite(serverDate) ? serverDate : null,
        });
        return;
      }
      // Status 0 with a load event: the browser refused the answer (CORS) or the connection broke.
      if (xhr.status === 0) {
        fail(new UploadError(UploadErrorCode.NetworkError, 'Storage did not answer (connection or CORS failure).'));
        return;
      }
      fail(parseOssErrorResponse(xhr.status, body, requestId, readRetryAfter(headers)));
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    armStallTimer();
    xhr.send(buildPostObjectForm(request));
  });
}
