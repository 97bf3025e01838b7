import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OSS V1 query-string signatures ("signature in the URL", docs/work-order-api.md §4): what the
 * Work Order API's `PutSignedUrl` / `GetSignedUrl` are, how to make one and how OSS checks one.
 *
 * Signature = Base64(HMAC-SHA1(secret, StringToSign)) with
 * StringToSign = METHOD \n Content-MD5 \n Content-Type \n Expires \n CanonicalizedOSSHeaders CanonicalizedResource.
 */

/** One OSS error answer a presigned request can get (docs/work-order-api.md §4). */
export interface PresignedUrlError {
  status: number;
  code: 'AccessDenied' | 'SignatureDoesNotMatch' | 'InvalidAccessKeyId' | 'InvalidSecurityToken';
  message: string;
  /** Extra `<Error>` elements OSS prints for this error, in its order (e.g. StringToSign). */
  extra: Record<string, string>;
}

export type PresignedVerification =
  | {
      ok: true;
      /** The object key, decoded from the path. */
      key: string;
      accessKeyId: string;
      /** Unix seconds. */
      expires: number;
      /** The signed `security-token` sub-resource (STS credentials), when there is one. */
      securityToken?: string;
      /** The signed `response-*` overrides of a GET (`response-content-type` → value). */
      responseOverrides: Record<string, string>;
    }
  | { ok: false; error: PresignedUrlError };

export interface PresignUrlOptions {
  /** HTTP method the URL is for (`PUT`, `GET`, `HEAD`). */
  method: string;
  bucket: string;
  key: string;
  /** Unix seconds after which OSS refuses the URL. */
  expires: number;
  /** The exact Content-Type the request must send; omitted = the request sends none. */
  contentType?: string;
  /** Base64 MD5 the request must send as Content-MD5; omitted = none. */
  contentMd5?: string;
  /** `x-oss-*` headers the request must send with exactly these values. */
  ossHeaders?: Record<string, string>;
  /** Signed sub-resources added to the query (`response-content-disposition`, ...). */
  subResources?: Record<string, string>;
  /** STS token: travels as the signed `security-token` sub-resource. */
  securityToken?: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The bucket's origin, virtual-hosted style (`https://bucket.oss-cn-hangzhou.aliyuncs.com`). */
  endpoint: string;
}

/**
 * Query parameters OSS puts into the CanonicalizedResource when present (the V1 signing docs' list
 * of signed sub-resources). Any other query parameter is neither signed nor checked.
 */
const SIGNED_SUB_RESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'append',
  'bucketInfo',
  'callback',
  'callback-var',
  'cname',
  'comp',
  'cors',
  'delete',
  'encryption',
  'endTime',
  'img',
  'lifecycle',
  'live',
  'location',
  'logging',
  'objectMeta',
  'partNumber',
  'policy',
  'position',
  'qos',
  'qosInfo',
  'referer',
  'regionList',
  'replication',
  'replicationLocation',
  'replicationProgress',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'security-token',
  'startTime',
  'stat',
  'status',
  'style',
  'styleName',
  'symlink',
  'tagging',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'vod',
  'website',
  'worm',
  'wormExtend',
  'wormId',
  'x-oss-process',
  'x-oss-traffic-limit',
]);

const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/** Path of an object key in a URL: each `/`-separated segment percent-encoded, the slashes kept. */
function objectPath(key: string): string {
  return `/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** `x-oss-*` headers, lower-cased, sorted, `name:value\n` each (values trimmed). */
function canonicalizeOssHeaders(headers: Record<string, string>): string {
  const lowered = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-oss-')) lowered.set(lower, value.trim());
  }
  return [...lowered.keys()]
    .sort()
    .map((name) => `${name}:${lowered.get(name) ?? ''}\n`)
    .join('');
}

/** `/bucket/key` plus the signed sub-resources, sorted, values raw (not URL-encoded). */
function canonicalizeResource(bucket: string, key: string, subResources: Record<string, string>): string {
  const names = Object.keys(subResources).sort();
  const resource = `/${bucket}/${key}`;
  if (names.length === 0) return resource;
  return `${resource}?${names.map((name) => (subResources[name] === '' ? name : `${name}=${subResources[name] ?? ''}`)).join('&')}`;
}

/** The V1 StringToSign of a query-string signature (docs/work-order-api.md §4). */
export function buildPresignedStringToSign(parts: {
  method: string;
  contentMd5: string;
  contentType: string;
  expires: string;
  ossHeaders: Record<string, string>;
  bucket: string;
  key: string;
  subResources: Record<string, string>;
}): string {
  return (
    `${parts.method.toUpperCase()}\n${parts.contentMd5}\n${parts.contentType}\n${parts.expires}\n` +
    canonicalizeOssHeaders(parts.ossHeaders) +
    canonicalizeResource(parts.bucket, parts.key, parts.subResources)
  );
}

function hmacSha1Base64(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** Builds a presigned URL the way OSS SDKs do (`ali-oss` `signatureUrl`). */
export function presignUrl(options: PresignUrlOptions): string {
  if (!Number.isInteger(options.expires) || options.expires <= 0) {
    throw new TypeError(`presignUrl: expires must be Unix seconds, got ${String(options.expires)}`);
  }
  const subResources: Record<string, string> = { ...options.subResources };
  if (options.securityToken !== undefined) subResources['security-token'] = options.securityToken;
  for (const name of Object.keys(subResources)) {
    if (!SIGNED_SUB_RESOURCES.has(name)) throw new TypeError(`presignUrl: "${name}" is not a signed OSS sub-resource`);
  }
  const stringToSign = buildPresignedStringToSign({
    method: options.method,
    contentMd5: options.contentMd5 ?? '',
    contentType: options.contentType ?? '',
    expires: String(options.expires),
    ossHeaders: options.ossHeaders ?? {},
    bucket: options.bucket,
    key: options.key,
    subResources,
  });
  const query = new URLSearchParams({
    Expires: String(options.expires),
    OSSAccessKeyId: options.accessKeyId,
    Signature: hmacSha1Base64(options.accessKeySecret, stringToSign),
    ...subResources,
  });
  // URLSearchParams writes spaces as "+"; OSS reads the query per RFC 3986, so spell them %20.
  return `${options.endpoint.replace(/\/+$/, '')}${objectPath(options.key)}?${query.toString().replace(/\+/g, '%20')}`;
}

/**
 * The query as OSS reads it: `%XX` decoded, `+` left as a plus (a Base64 signature contains `+`;
 * reading it as a space would break every URL whose signature was not percent-encoded).
 */
function parseQuery(search: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  const text = search.startsWith('?') ? search.slice(1) : search;
  if (text === '') return params;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const rawName = separator === -1 ? pair : pair.slice(0, separator);
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1);
    try {
      // The first occurrence wins, as in OSS's own parser [U].
      const name = decodeURIComponent(rawName);
      if (!params.has(name)) params.set(name, decodeURIComponent(rawValue));
    } catch {
      return undefined;
    }
  }
  return params;
}

type HeaderBag = Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function lowerCaseHeaders(headers: HeaderBag | Headers): HeaderBag {
  const lowered: HeaderBag = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      lowered[name] = value;
    });
    return lowered;
  }
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

/** Space-separated upper-case hex bytes, as OSS prints `<StringToSignBytes>`. */
function toHexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.000Z');
}

export interface VerifyPresignedRequestInput {
  method: string;
  /** The request target: a path with query (`/a/b.png?Expires=...`) or an absolute URL. */
  url: string;
  /** Request headers (Node's IncomingHttpHeaders or a Fetch Headers). */
  headers: HeaderBag | Headers;
  /** The OSS server's clock in ms. */
  now: number;
  /** The AccessKeySecret of an AccessKeyId, or undefined when OSS does not know the id. */
  lookupSecret: (accessKeyId: string) => string | undefined;
  bucket: string;
}

/**
 * Checks a request carrying a V1 query-string signature the way OSS does (docs/work-order-api.md §4):
 * all three parameters present, a known AccessKeyId, `Expires` not past, then the signature over
 * the method, Content-MD5, Content-Type, Expires, `x-oss-*` headers and `/bucket/key` with the
 * signed sub-resources the request actually sends.
 */
export function verifyPresignedRequest(input: VerifyPresignedRequestInput): PresignedVerification {
  const target = new URL(input.url, 'http://oss.invalid');
  const query = parseQuery(target.search);
  let key: string | undefined;
  try {
    key = decodeURIComponent(target.pathname.slice(1));
  } catch {
    key = undefined;
  }
  const expiresText = query?.get('Expires');
  const accessKeyId = query?.get('OSSAccessKeyId');
  const signature = query?.get('Signature');
  if (query === undefined || key === undefined || expiresText === undefined || accessKeyId === undefined || signature === undefined) {
    // [U] S3's wording for an incomplete query-string authentication; OSS's is not documented.
    return denied('Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters');
  }
  if (!/^\d{1,12}$/.test(expiresText)) return denied(`Invalid date (should be seconds since epoch): ${expiresText}`);
  const expires = Number(expiresText);
  const secret = input.lookupSecret(accessKeyId);
  if (secret === undefined) {
    return fail(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
      OSSAccessKeyId: accessKeyId,
    });
  }
  // docs/work-order-api.md §4: past Expires OSS refuses the URL whatever its signature.
  if (input.now > expires * 1000) {
    return fail(403, 'AccessDenied', 'Request has expired.', {
      Expires: isoSeconds(expires),
      ServerTime: isoSeconds(Math.floor(input.now / 1000)),
    });
  }
  const headers = lowerCaseHeaders(input.headers);
  const ossHeaders: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headerValue(headers, name);
    if (name.startsWith('x-oss-') && value !== undefined) ossHeaders[name] = value;
  }
  const subResources: Record<string, string> = {};
  const responseOverrides: Record<string, string> = {};
  for (const [name, value] of query) {
    if (!SIGNED_SUB_RESOURCES.has(name)) continue;
    subResources[name] = value;
    if (name.startsWith('response-')) responseOverrides[name] = value;
  }
  const stringToSign = buildPresignedStringToSign({
    method: input.method,
    contentMd5: headerValue(headers, 'content-md5') ?? '',
    contentType: headerValue(headers, 'content-type') ?? '',
    expires: expiresText,
    ossHeaders,
    bucket: input.bucket,
    key,
    subResources,
  });
  if (!signaturesEqual(hmacSha1Base64(secret, stringToSign), signature)) {
    return fail(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, {
      OSSAccessKeyId: accessKeyId,
      SignatureProvided: signature,
      StringToSign: stringToSign,
      StringToSignBytes: toHexBytes(stringToSign),
    });
  }
  const securityToken = subResources['security-token'];
  return {
    ok: true,
    key,
    accessKeyId,
    expires,
    ...(securityToken === undefined ? {} : { securityToken }),
    responseOverrides,
  };
}

function fail(status: number, code: PresignedUrlError['code'], message: string, extra: Record<string, string> = {}): PresignedVerification {
  return { ok: false, error: { status, code, message, extra } };
}

function denied(message: string): PresignedVerification {
  return fail(403, 'AccessDenied', message);
}
