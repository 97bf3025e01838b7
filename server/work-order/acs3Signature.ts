import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Alibaba Cloud's V3 header signature, `ACS3-HMAC-SHA256` (docs/work-order-api.md §3): what the
 * official `@alicloud/workorder20210610` client signs its requests with (observed, §6).
 *
 * CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * StringToSign     = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))
 * Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
 */
export const ACS3_HMAC_SHA256 = 'ACS3-HMAC-SHA256';

/**
 * Headers a verifier insists are signed: without them a signed request could be replayed with
 * another action, date, nonce or body. Every other `x-acs-*` header sent must be signed too (§3).
 */
const REQUIRED_SIGNED_HEADERS = [
  'host',
  'x-acs-action',
  'x-acs-content-sha256',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-version',
] as const;

/** RFC 3986 percent-encoding, UTF-8: only `A-Za-z0-9-_.~` stay (space is %20, `*` is %2A). */
export function acs3PercentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Query pairs sorted by name then value (byte order), both encoded, `name=value` joined with `&`. */
function canonicalizeQuery(query: Iterable<[string, string]>): string {
  return [...query]
    .map(([name, value]) => [acs3PercentEncode(name), acs3PercentEncode(value)] as const)
    .sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

type HeaderSource = Headers | Record<string, string | undefined>;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export interface Acs3CanonicalRequestParts {
  method: string;
  /** The request path as sent, still percent-encoded (`/` for RPC-style APIs). */
  pathname: string;
  /** Decoded query parameters. */
  query: Iterable<[string, string]>;
  headers: HeaderSource;
  /** Lower-case header names, in the order of the Authorization header's SignedHeaders. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body. */
  hashedPayload: string;
}

/** The V3 CanonicalRequest over exactly the headers named in `signedHeaders` (§3). */
export function buildAcs3CanonicalRequest(parts: Acs3CanonicalRequestParts): string {
  const canonicalHeaders = parts.signedHeaders.map((name) => `${name}:${(readHeader(parts.headers, name) ?? '').trim()}\n`).join('');
  return [
    parts.method.toUpperCase(),
    parts.pathname === '' ? '/' : parts.pathname,
    canonicalizeQuery(parts.query),
    canonicalHeaders,
    parts.signedHeaders.join(';'),
    parts.hashedPayload,
  ].join('\n');
}

export function buildAcs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_HMAC_SHA256}\n${sha256Hex(canonicalRequest)}`;
}

function hmacSha256Hex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

export interface SignAcs3RequestInput {
  method: string;
  /** Absolute URL of the request (its host is signed). */
  url: string;
  /** Headers to send; `x-acs-action`, `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce` included. */
  headers: Record<string, string>;
  body: Uint8Array | string;
  accessKeyId: string;
  accessKeySecret: string;
}

/**
 * Signs a request the way the official SDK does: adds `host` and `x-acs-content-sha256`, signs
 * `host`, `content-type` and every `x-acs-*` header, and returns the headers with `Authorization`.
 */
export function signAcs3Request(input: SignAcs3RequestInput): Record<string, string> {
  const url = new URL(input.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  headers.host ??= url.host;
  headers['x-acs-content-sha256'] = sha256Hex(input.body);
  const signedHeaders = Object.keys(headers)
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort();
  const canonicalRequest = buildAcs3CanonicalRequest({
    method: input.method,
    pathname: url.pathname,
    query: url.searchParams,
    headers,
    signedHeaders,
    hashedPayload: headers['x-acs-content-sha256'],
  });
  const signature = hmacSha256Hex(input.accessKeySecret, buildAcs3StringToSign(canonicalRequest));
  return {
    ...headers,
    authorization: `${ACS3_HMAC_SHA256} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`,
  };
}

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>`; undefined when malformed. */
export function parseAcs3Authorization(value: string | null | undefined): Acs3Authorization | undefined {
  if (value === null || value === undefined) return undefined;
  const match = /^ACS3-HMAC-SHA256\s+(.*)$/.exec(value.trim());
  if (match === null) return undefined;
  const fields = new Map<string, string>();
  for (const part of (match[1] ?? '').split(',')) {
    const separator = part.indexOf('=');
    if (separator === -1) return undefined;
    fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(';').map((name) => name.trim().toLowerCase()), signature };
}

export type Acs3FailureReason =
  | 'missing-authorization'
  | 'malformed-authorization'
  | 'unsigned-header'
  | 'unknown-access-key'
  | 'content-sha256-mismatch'
  | 'signature-mismatch';

export type Acs3Verification =
  | { ok: true; accessKeyId: string; signedHeaders: string[] }
  | { ok: false; reason: Acs3FailureReason; detail: string; accessKeyId?: string; stringToSign?: string };

export interface VerifyAcs3RequestInput {
  method: string;
  /** The request URL (absolute, or a path with query). */
  url: string;
  headers: Headers;
  /** The body bytes as received (the SDK sends them chunked; the hash is over what arrived). */
  body: Uint8Array;
  /** AccessKeySecret of a known AccessKeyId. */
  lookupSecret: (accessKeyId: string) => string | undefined;
}

/**
 * Checks a V3 signature: rebuilds the CanonicalRequest from the SignedHeaders list the request
 * names (the SDK also signs headers such as `x-acs-credentials-provider`, §6), over the body
 * actually received, and compares in constant time. Date, nonce and token checks are the caller's.
 */
export function verifyAcs3Request(input: VerifyAcs3RequestInput): Acs3Verification {
  const header = input.headers.get('authorization');
  if (header === null) return { ok: false, reason: 'missing-authorization', detail: 'The request has no Authorization header.' };
  const authorization = parseAcs3Authorization(header);
  if (authorization === undefined) {
    return { ok: false, reason: 'malformed-authorization', detail: `Not an ${ACS3_HMAC_SHA256} Authorization header.` };
  }
  const signed = new Set(authorization.signedHeaders);
  const mustBeSigned = [...REQUIRED_SIGNED_HEADERS, ...[...input.headers.keys()].filter((name) => name.startsWith('x-acs-'))];
  if (input.headers.has('content-type')) mustBeSigned.push('content-type');
  const unsigned = mustBeSigned.find((name) => !signed.has(name));
  if (unsigned !== undefined) {
    return {
      ok: false,
      reason: 'unsigned-header',
      detail: `The header "${unsigned}" must be signed.`,
      accessKeyId: authorization.accessKeyId,
    };
  }
  const secret = input.lookupSecret(authorization.accessKeyId);
  if (secret === undefined) {
    return { ok: false, reason: 'unknown-access-key', detail: 'Unknown AccessKeyId.', accessKeyId: authorization.accessKeyId };
  }
  const hashedPayload = sha256Hex(input.body);
  if (input.headers.get('x-acs-content-sha256') !== hashedPayload) {
    return {
      ok: false,
      reason: 'content-sha256-mismatch',
      detail: 'x-acs-content-sha256 is not the SHA-256 of the body received.',
      accessKeyId: authorization.accessKeyId,
    };
  }
  const url = new URL(input.url, 'http://acs.invalid');
  const stringToSign = buildAcs3StringToSign(
    buildAcs3CanonicalRequest({
      method: input.method,
      pathname: url.pathname,
      query: url.searchParams,
      headers: input.headers,
      signedHeaders: authorization.signedHeaders,
      hashedPayload,
    }),
  );
  const expected = Buffer.from(hmacSha256Hex(secret, stringToSign), 'utf8');
  const provided = Buffer.from(authorization.signature.toLowerCase(), 'utf8');
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) {
    return {
      ok: false,
      reason: 'signature-mismatch',
      detail: 'The signature does not match.',
      accessKeyId: authorization.accessKeyId,
      stringToSign,
    };
  }
  return { ok: true, accessKeyId: authorization.accessKeyId, signedHeaders: authorization.signedHeaders };
}
