import { decodeOssPolicy } from './decodeOssPolicy.js';
import type { OssPostPolicy } from './decodeOssPolicy.js';
import { UploadError } from './UploadError.js';

/** The `data` of a getOSSTempAuthor answer as the backend sends it (docs/oss-protocol.md §6); every variant is tolerated. */
export interface RawOssAuthorization {
  accessId?: unknown;
  policy?: unknown;
  signature?: unknown;
  dir?: unknown;
  host?: unknown;
  expire?: unknown;
  securityToken?: unknown;
  'x-oss-security-token'?: unknown;
  'x-oss-signature-version'?: unknown;
  'x-oss-credential'?: unknown;
  'x-oss-date'?: unknown;
  'x-oss-signature'?: unknown;
}

/**
 * The `data` of a getOSSTempAuthor answer as it is documented (docs/oss-protocol.md §6): what `fetchAuthorization`
 * may resolve to when it unwraps the envelope itself. Typed so a wrong shape shows in the editor;
 * at run time `parseOssAuthorization` still checks every field (a JSON body is `any` to TypeScript).
 */
export interface OssTempAuthorData {
  accessId: string;
  /** The base64 POST policy. */
  policy: string;
  /** V1: the base64 `Signature`; V4: the hex `x-oss-signature`. */
  signature: string;
  /** The key prefix the policy allows (`starts-with $key`). */
  dir: string;
  /** The bucket URL, `http:` or `https:`. */
  host: string;
  /** Expiry in unix seconds, `"1573129988"` as documented, or a number. */
  expire: string | number;
  /** STS token, when the backend signs with temporary credentials. */
  securityToken?: string;
  'x-oss-security-token'?: string;
  /** V4 form fields (docs/oss-protocol.md §3), all four together. */
  'x-oss-signature-version'?: string;
  'x-oss-credential'?: string;
  'x-oss-date'?: string;
  'x-oss-signature'?: string;
}

/**
 * The whole getOSSTempAuthor answer (docs/oss-protocol.md §6): `{ success, code, message, data }`. `success` is
 * documented both as `true` and `"true"`, `code` as `200` and `"200"`; a refusal carries the
 * server's `message` and no `data`.
 */
export interface OssTempAuthorEnvelope {
  success: boolean | string;
  code?: string | number;
  message?: string;
  data?: OssTempAuthorData | null;
}

/** V4 form fields (docs/oss-protocol.md §3), carried through untouched. */
export interface OssSignatureV4Fields {
  'x-oss-signature-version': string;
  'x-oss-credential': string;
  'x-oss-date': string;
  'x-oss-signature': string;
}

/** A checked, typed authorization: everything the transport needs to POST one file to OSS. */
export interface OssAuthorization {
  accessId: string;
  /** The base64 policy, sent unchanged (the signature covers these exact bytes, docs/oss-protocol.md §2). */
  policy: string;
  /** The V1 `Signature` (for V4, the hex `x-oss-signature`). */
  signature: string;
  /** `dir` as the backend sent it. */
  dir: string;
  /** The prefix every object key must start with: the policy's `starts-with $key` value, else `dir` joined with `/`. */
  keyPrefix: string;
  /** Absolute `http:`/`https:` URL of the bucket, always ending in `/`. */
  host: string;
  /** `expire` in ms since the epoch, on the server's clock. */
  expiresAt: number;
  decodedPolicy: OssPostPolicy;
  /** STS token, sent as the `x-oss-security-token` field. */
  securityToken?: string;
  /** Present for V4-signed policies. */
  v4?: OssSignatureV4Fields;
  /** Client clock (ms) when the answer arrived. */
  receivedAt: number;
  /** Server clock minus client clock (ms) at arrival, from the answer's `Date` header; null when unknown. */
  serverClockOffset: number | null;
}

export interface ParseOssAuthorizationContext {
  /** Client time of arrival in ms. Default: `Date.now()`. */
  receivedAt?: number;
  /** The server's time at arrival (e.g. the response `Date` header), used to correct a wrong client clock. */
  serverDate?: string | number | Date | null;
}

const MISSING = (field: string) => new UploadError('authorization-missing-field', `The answer has no "${field}".`, { field });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(data: RawOssAuthorization, field: keyof RawOssAuthorization): string {
  const value = data[field];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw MISSING(field);
  return value.trim();
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** docs/oss-protocol.md §6: `success` is documented both as a boolean and as the string "true"; `code` as 200 and "200". */
function isEnvelope(value: Record<string, unknown>): boolean {
  return 'data' in value || 'success' in value || ('code' in value && !('accessId' in value));
}

/** `success: false`, or a string other than "true" (both answers document `success` as a boolean or a string). */
export function isFailureFlag(success: unknown): boolean {
  return success === false || (typeof success === 'string' && success.trim().toLowerCase() !== 'true');
}

function unwrapEnvelope(raw: unknown): RawOssAuthorization {
  if (!isRecord(raw)) {
    throw new UploadError('authorization-malformed', 'The answer is not an object.');
  }
  if (!isEnvelope(raw)) return raw;
  const success = raw.success;
  const code = raw.code;
  const failed = isFailureFlag(success) || (code !== undefined && code !== null && String(code).trim() !== '200');
  if (failed) {
    const message = typeof raw.message === 'string' && raw.message.trim() !== '' ? raw.message.trim() : 'The authorization was refused.';
    throw new UploadError('authorization-rejected', message, {
      ossCode: code === undefined || code === null ? undefined : String(code),
    });
  }
  if (!isRecord(raw.data)) {
    throw new UploadError('authorization-missing-field', 'The answer has no "data".', { field: 'data' });
  }
  return raw.data;
}

/** docs/oss-protocol.md §6 / §8: the documented host is `http://…` with or without a trailing slash; anything but http(s) is refused. */
function parseHost(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new UploadError('authorization-invalid-host', `The host "${value}" is not a URL.`, {
      field: 'host',
      cause,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UploadError('authorization-invalid-host', `The host is not http(s): "${url.protocol}".`, {
      field: 'host',
    });
  }
  if (url.username || url.password) {
    throw new UploadError('authorization-invalid-host', 'The host has credentials.', {
      field: 'host',
    });
  }
  url.hash = '';
  url.search = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** docs/oss-protocol.md §6: `expire` is unix seconds, sent as a string ("1573129988") or a number. */
function parseExpire(value: string): number {
  if (!/^\d{1,12}(\.\d+)?$/.test(value)) {
    throw new UploadError('authorization-invalid-expire', `"expire" is not unix seconds: "${value}".`, {
      field: 'expire',
    });
  }
  return Math.floor(Number(value) * 1000);
}

/** The response `Date` header (or a time) as ms, null when unreadable. */
export function parseServerDate(value: ParseOssAuthorizationContext['serverDate']): number | null {
  if (value === null || value === undefined) return null;
  const time = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(time) ? time : null;
}

/** docs/oss-protocol.md §8 "dir slash": keys are `dir` + name when dir ends in `/`, else `dir/` + name. */
function joinDir(dir: string): string {
  return dir === '' || dir.endsWith('/') ? dir : `${dir}/`;
}

/**
 * Checks and normalises what a `getOSSTempAuthor` call returned: the whole envelope
 * `{success, code, message, data}` or bare `data`. Throws an `UploadError` whose code names the
 * problem; nothing it returns can send a file anywhere but an http(s) host under the policy's prefix.
 */
export function parseOssAuthorization(raw: unknown, context: ParseOssAuthorizationContext = {}): OssAuthorization {
  const data = unwrapEnvelope(raw);
  const accessId = requiredString(data, 'accessId');
  const policy = requiredString(data, 'policy');
  const v4Version = optionalString(data['x-oss-signature-version']);
  const signature = v4Version
    ? (optionalString(data['x-oss-signature']) ?? requiredString(data, 'signature'))
    : requiredString(data, 'signature');
  const dir = typeof data.dir === 'string' ? data.dir.trim() : '';
  if (dir === '') throw MISSING('dir');
  const host = parseHost(requiredString(data, 'host'));
  const expiresAt = parseExpire(requiredString(data, 'expire'));
  const decodedPolicy = decodeOssPolicy(policy);

  // The policy is the real constraint (OSS checks it); `dir` is only the backend's hint. They must agree,
  // or every upload would fail with "Policy Condition failed" (docs/oss-protocol.md §4, §8).
  const dirPrefix = joinDir(dir.replace(/^\/+/, ''));
  const policyPrefix = decodedPolicy.keyPrefix;
  if (policyPrefix !== null && !dirPrefix.startsWith(policyPrefix)) {
    throw new UploadError('authorization-dir-mismatch', `dir "${dir}" is outside the policy's "${policyPrefix}".`, { field: 'dir' });
  }

  let v4: OssSignatureV4Fields | undefined;
  if (v4Version) {
    const credential = optionalString(data['x-oss-credential']);
    const date = optionalString(data['x-oss-date']);
    if (!credential) throw MISSING('x-oss-credential');
    if (!date) throw MISSING('x-oss-date');
    v4 = { 'x-oss-signature-version': v4Version, 'x-oss-credential': credential, 'x-oss-date': date, 'x-oss-signature': signature };
  }

  const receivedAt = context.receivedAt ?? Date.now();
  const serverDate = parseServerDate(context.serverDate);
  const securityToken = optionalString(data.securityToken) ?? optionalString(data['x-oss-security-token']);
  return {
    accessId,
    policy,
    signature,
    dir,
    keyPrefix: dirPrefix,
    host,
    expiresAt,
    decodedPolicy,
    ...(securityToken ? { securityToken } : {}),
    ...(v4 ? { v4 } : {}),
    receivedAt,
    serverClockOffset: serverDate === null ? null : serverDate - receivedAt,
  };
}
