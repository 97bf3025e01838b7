/**
 * Every failure the library reports, as a stable kebab-case code. Branch on `error.code`; the
 * `message` is for developers and logs, UI text comes from the locale's messages.
 */
export const UploadErrorCode = {
  /** The authorization request failed: network error or a non-2xx HTTP status. */
  AuthorizationRequestFailed: 'authorization-request-failed',
  /** The authorization request got no answer in time. */
  AuthorizationTimeout: 'authorization-timeout',
  /** The answer is not a JSON object (an HTML error page, an empty body…). */
  AuthorizationMalformed: 'authorization-malformed',
  /** The backend answered `success: false` (its message is kept). */
  AuthorizationRejected: 'authorization-rejected',
  /** A required field (`accessId`, `policy`, `signature`, `dir`, `host`, `expire`) is missing or empty. */
  AuthorizationMissingField: 'authorization-missing-field',
  /** `expire` is not a number of unix seconds. */
  AuthorizationInvalidExpire: 'authorization-invalid-expire',
  /** `policy` is not base64 of a policy JSON document with `expiration` and `conditions`. */
  AuthorizationInvalidPolicy: 'authorization-invalid-policy',
  /** `host` is not an absolute `http:`/`https:` URL. */
  AuthorizationInvalidHost: 'authorization-invalid-host',
  /** `dir` does not match the policy's `starts-with $key` prefix. */
  AuthorizationDirMismatch: 'authorization-dir-mismatch',
  /** The authorization had already expired (by server time) when it arrived. */
  AuthorizationExpired: 'authorization-expired',

  FileTooLarge: 'file-too-large',
  FileTooSmall: 'file-too-small',
  FileInvalidType: 'file-invalid-type',
  TooManyFiles: 'too-many-files',
  /** An image over the size limit that this browser cannot decode (e.g. HEIC in Chromium), so it cannot be shrunk. */
  ImageNotDecodable: 'image-not-decodable',
  /** An image that would only fit the size limit below the smallest dimensions we accept (it would be ruined). */
  ImageCannotShrink: 'image-cannot-shrink',

  /** OSS: AccessDenied "Invalid according to Policy: Policy expired." */
  PolicyExpired: 'policy-expired',
  /** OSS: AccessDenied "Invalid according to Policy: Policy Condition failed: …" */
  PolicyConditionFailed: 'policy-condition-failed',
  /** OSS: SignatureDoesNotMatch */
  SignatureMismatch: 'signature-mismatch',
  /** OSS: InvalidAccessKeyId */
  InvalidAccessKey: 'invalid-access-key',
  /** OSS: EntityTooLarge */
  EntityTooLarge: 'entity-too-large',
  /** OSS: EntityTooSmall */
  EntityTooSmall: 'entity-too-small',
  /** OSS: any other AccessDenied */
  AccessDenied: 'access-denied',
  /** Any other non-2xx answer from storage (including non-XML bodies such as proxy pages). */
  OssError: 'oss-error',
  /** The connection failed or was dropped. */
  NetworkError: 'network-error',
  /** No upload progress for the stall timeout. */
  Timeout: 'timeout',
  /** Canceled by the caller (abort signal). */
  Canceled: 'canceled',
  /** The browser stayed offline longer than the queue waits (`offlineTimeoutMs`); Retry once back online. */
  Offline: 'offline',

  /** More attachment paths than the ticket API's `attachments` parameter takes. */
  TooManyAttachments: 'too-many-attachments',
  /** An attachment path the `attachments` parameter cannot carry (empty, or containing a comma). */
  InvalidAttachmentPath: 'invalid-attachment-path',

  // Presigned PUT mode (`fetchUploadUrl`, the 2021-06-10 GetAttachmentUploadUrl, docs/work-order-api.md §1, §4).
  /** The upload URL request failed: network error, a thrown error or a non-2xx HTTP status. */
  UploadUrlRequestFailed: 'upload-url-request-failed',
  /** The upload URL request got no answer in time. */
  UploadUrlTimeout: 'upload-url-timeout',
  /** The answer is not a JSON object. */
  UploadUrlMalformed: 'upload-url-malformed',
  /** The backend answered `Success: false` (its `Message` is kept). */
  UploadUrlRejected: 'upload-url-rejected',
  /** `ObjectKey` or `PutSignedUrl` is missing or empty. */
  UploadUrlMissingField: 'upload-url-missing-field',
  /** `PutSignedUrl` is not an http(s) URL with an `Expires`, or `ObjectKey` cannot be attached (a comma). */
  UploadUrlInvalid: 'upload-url-invalid',
  /** The URL had expired (by server time) on arrival, or storage answered "Request has expired." even with a fresh one. */
  UploadUrlExpired: 'upload-url-expired',
} as const;

export type UploadErrorCode = (typeof UploadErrorCode)[keyof typeof UploadErrorCode];

export interface UploadErrorOptions {
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number;
  /** OSS `RequestId` (from the error XML or the `x-oss-request-id` header), for support tickets. */
  requestId?: string;
  /** The raw OSS error `Code`, e.g. `AccessDenied`. */
  ossCode?: string;
  /** The field at fault (missing authorization field, …). */
  field?: string;
  /** How long the answer's `Retry-After` asked to wait (ms, capped), when readable. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** The one error class of the library: `code` says what happened, the rest says where. */
// `declare` fields and plain assignments, no class fields: the es2020 library build (vite.config.ts) would
// turn each class field into a defineProperty helper call, and ship the helpers.
export class UploadError extends Error {
  declare readonly name: 'UploadError';
  declare readonly code: UploadErrorCode;
  declare readonly status: number | undefined;
  declare readonly requestId: string | undefined;
  declare readonly ossCode: string | undefined;
  declare readonly field: string | undefined;
  declare readonly retryAfterMs: number | undefined;

  constructor(code: UploadErrorCode, message: string, options: UploadErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UploadError';
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.ossCode = options.ossCode;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isUploadError(value: unknown): value is UploadError {
  return value instanceof UploadError;
}

/**
 * True for every error that comes from getting or checking the authorization (the POST policy, or
 * in presigned PUT mode the file's upload URL), not from the file or storage.
 */
export function isAuthorizationErrorCode(code: UploadErrorCode): boolean {
  return code.startsWith('authorization-') || code.startsWith('upload-url-');
}
