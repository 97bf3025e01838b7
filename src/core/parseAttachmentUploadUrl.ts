import type { ExpiringGrant } from './authorizationExpiry.js';
import { isFailureFlag, isRecord, optionalString, parseServerDate } from './parseOssAuthorization.js';
import { UploadError } from './UploadError.js';

/** The Content-Type sent when the answer does not name the one its URL was signed for. */
export const DEFAULT_UPLOAD_CONTENT_TYPE = 'application/octet-stream';

/**
 * The `Data` of a GetAttachmentUploadUrl answer (Work Order API 2021-06-10, docs/work-order-api.md
 * §1), or what `POST /api/attachment-upload-url` of `ticket-attachment-uploader/server` answers.
 * Typed so a wrong shape shows in the editor; `parseAttachmentUploadUrl` still checks every field.
 */
export interface AttachmentUploadUrlData {
  /** The object key: what `FileNameList` (or the legacy `attachments`) takes. */
  ObjectKey: string;
  /** The presigned URL the browser PUTs the bytes to (OSS V1 query signature, docs/work-order-api.md §4). */
  PutSignedUrl: string;
  /** A presigned URL to download the object. */
  GetSignedUrl?: string;
  /** The Content-Type the URL was signed for (our server handler says so; the API itself does not). */
  ContentType?: string;
  'Content-Type'?: string;
}

/**
 * The whole 2021-06-10 answer: `{ Code, Message, RequestId, Success, Data }`, `Code` 0 on success
 * (docs/work-order-api.md §1). A refusal carries the service's `Message` and no `Data`.
 */
export interface AttachmentUploadUrlEnvelope {
  Success: boolean | string;
  Code?: number | string;
  Message?: string;
  RequestId?: string;
  Data?: AttachmentUploadUrlData | null;
}

/** A checked upload URL: everything the transport needs to PUT one file. */
export interface AttachmentUploadUrl extends ExpiringGrant {
  objectKey: string;
  /** Absolute `http:`/`https:` presigned URL, exactly as it came (its query carries the signature). */
  putUrl: string;
  getUrl: string | null;
  /** The Content-Type to send: the one the URL was signed for, else the configured default. */
  contentType: string;
}

export interface ParseAttachmentUploadUrlContext {
  /** Client time of arrival in ms. Default: `Date.now()`. */
  receivedAt?: number;
  /** The server's time at arrival (the response `Date` header), to correct a wrong client clock. */
  serverDate?: string | number | null;
  /** Sent when the answer names no Content-Type. Default `application/octet-stream`. */
  defaultContentType?: string;
}

type RawRecord = Record<string, unknown>;

/** The PascalCase field as documented, or its camelCase spelling (some gateways and SDK wrappers lower-case). */
function field(record: RawRecord, name: string): unknown {
  return record[name] ?? record[name.charAt(0).toLowerCase() + name.slice(1)];
}

const invalid = (message: string, name: string) => new UploadError('upload-url-invalid', message, { field: name });

function unwrapEnvelope(raw: unknown): RawRecord {
  if (!isRecord(raw)) throw new UploadError('upload-url-malformed', 'The answer is not an object.');
  const success = field(raw, 'Success');
  const code = field(raw, 'Code');
  if (field(raw, 'Data') === undefined && success === undefined && (code === undefined || field(raw, 'ObjectKey') !== undefined))
    return raw;
  // docs/work-order-api.md §1: `Success` true and `Code` 0 on success; tolerate "true" and the legacy 200.
  const failed =
    isFailureFlag(success) || (success === undefined && code !== undefined && code !== null && !['0', '200'].includes(String(code).trim()));
  if (failed) {
    throw new UploadError('upload-url-rejected', optionalString(field(raw, 'Message')) ?? 'The upload URL was refused.', {
      ossCode: code === undefined || code === null ? undefined : String(code),
      requestId: optionalString(field(raw, 'RequestId')),
    });
  }
  const data = field(raw, 'Data');
  if (!isRecord(data)) throw new UploadError('upload-url-missing-field', 'The answer has no "Data".', { field: 'Data' });
  return data;
}

/**
 * docs/work-order-api.md §4: a V1 presigned URL carries `Expires` (unix seconds, server clock); a V4
 * one `x-oss-date` (ISO basic) plus `x-oss-expires` (seconds). Either way the expiry is known here.
 */
function readExpiry(url: URL): number {
  const expires = url.searchParams.get('Expires');
  if (expires !== null && /^\d{1,12}$/.test(expires)) return Number(expires) * 1000;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(url.searchParams.get('x-oss-date') ?? '');
  const seconds = url.searchParams.get('x-oss-expires');
  if (date && seconds !== null && /^\d{1,9}$/.test(seconds)) {
    const [, year, month, day, hour, minute, second] = date.map(Number) as number[];
    return Date.UTC(year as number, (month as number) - 1, day, hour, minute, second) + Number(seconds) * 1000;
  }
  throw invalid('The PutSignedUrl has no readable "Expires".', 'PutSignedUrl');
}

/**
 * Checks and normalises what a GetAttachmentUploadUrl call returned: the 2021 envelope, bare `Data`,
 * or our server handler's `{ ObjectKey, PutSignedUrl, ContentType }`. Throws an `UploadError` whose
 * code names the problem; what it returns can only send the file to an http(s) URL with a known expiry.
 */
export function parseAttachmentUploadUrl(raw: unknown, context: ParseAttachmentUploadUrlContext = {}): AttachmentUploadUrl {
  const data = unwrapEnvelope(raw);
  const objectKey = optionalString(field(data, 'ObjectKey'));
  const putSignedUrl = optionalString(field(data, 'PutSignedUrl'));
  for (const [name, value] of [
    ['ObjectKey', objectKey],
    ['PutSignedUrl', putSignedUrl],
  ] as const) {
    if (value === undefined) throw new UploadError('upload-url-missing-field', `The answer has no "${name}".`, { field: name });
  }
  // docs/work-order-api.md §6: FileNameList travels comma-joined, so a key with a comma could never be attached.
  if (objectKey?.includes(',')) throw invalid(`The ObjectKey "${objectKey}" has a comma.`, 'ObjectKey');
  let url: URL;
  try {
    url = new URL(putSignedUrl as string);
  } catch (cause) {
    throw new UploadError('upload-url-invalid', 'The PutSignedUrl is not a URL.', { field: 'PutSignedUrl', cause });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw invalid(`The PutSignedUrl is not http(s) or has credentials.`, 'PutSignedUrl');
  }
  const receivedAt = context.receivedAt ?? Date.now();
  const serverDate = parseServerDate(context.serverDate);
  const getSignedUrl = optionalString(field(data, 'GetSignedUrl'));
  return {
    objectKey: objectKey as string,
    putUrl: putSignedUrl as string,
    getUrl: getSignedUrl && /^https?:\/\//i.test(getSignedUrl) ? getSignedUrl : null,
    contentType:
      optionalString(data.ContentType) ?? optionalString(data['Content-Type']) ?? context.defaultContentType ?? DEFAULT_UPLOAD_CONTENT_TYPE,
    expiresAt: readExpiry(url),
    receivedAt,
    serverClockOffset: serverDate === null ? null : serverDate - receivedAt,
  };
}
