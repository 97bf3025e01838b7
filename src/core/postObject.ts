import type { OssAuthorization } from './parseOssAuthorization.js';
import { decodeXmlText, parseOssErrorResponse } from './parseOssErrorResponse.js';
import { readRetryAfter } from './parseRetryAfter.js';
import { sendXhrUpload } from './sendXhrUpload.js';

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
  const pageProtocol = request.pageProtocol ?? (typeof location === 'undefined' ? undefined : location.protocol);
  return sendXhrUpload(
    {
      method: 'POST',
      url: resolveUploadUrl(request.authorization.host, pageProtocol),
      body: buildPostObjectForm(request),
      signal: request.signal,
      onProgress: request.onProgress,
      stallTimeoutMs: request.stallTimeoutMs,
      createXhr: request.createXhr,
    },
    ({ status, responseText, headers }) => {
      const requestId = headers.get('x-oss-request-id') ?? null;
      if (status < 200 || status >= 300) return parseOssErrorResponse(status, responseText, requestId, readRetryAfter(headers));
      const date = headers.get('date');
      const serverDate = date ? Date.parse(date) : Number.NaN;
      return {
        key: request.key,
        status,
        etag: headers.get('etag') ?? null,
        requestId,
        location: parsePostResponseLocation(responseText),
        serverDate: Number.isFinite(serverDate) ? serverDate : null,
      };
    },
  );
}
