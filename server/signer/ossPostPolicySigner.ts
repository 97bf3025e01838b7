import { createHmac, randomInt } from 'node:crypto';

/** Signature scheme of the PostObject form. */
export type OssSignatureVersion = 'v1' | 'v4';

/** Options of {@link createOssTempAuthorization}. */
export interface CreateOssTempAuthorizationOptions {
  /** AccessKey ID (or the `STS.` temporary one) returned as `accessId`. */
  accessKeyId: string;
  /** AccessKey secret; only used to sign, never returned. */
  accessKeySecret: string;
  /** Bucket endpoint returned as `host`, e.g. `http://work-order.oss-cn-hangzhou.aliyuncs.com/`. */
  host: string;
  /** When set, the policy pins the bucket with `{"bucket": name}` (docs/oss-protocol.md §2, §3). Default: no bucket condition. */
  bucket?: string;
  /** Key prefix the upload must start with. Default: a fresh `pop_temp<random digits>/`. */
  dir?: string;
  /** Seconds until the policy expires. Default: 120 (getOSSTempAuthor, docs/oss-protocol.md §6). */
  lifetimeSeconds?: number;
  /** Largest accepted file in bytes (`content-length-range` 0..maxSize). Default: 2_097_152. */
  maxSize?: number;
  /** Default: `'v1'`, like getOSSTempAuthor. */
  signatureVersion?: OssSignatureVersion;
  /** Region for V4 signing, with or without the `oss-` prefix. Default: `'cn-hangzhou'`. */
  region?: string;
  /** STS SecurityToken; when set, the policy requires it and the answer carries it. Default: none. */
  securityToken?: string;
  /** Clock. Default: `() => new Date()`. */
  now?: () => Date;
}

/** The `data` object of a getOSSTempAuthor answer (docs/oss-protocol.md §6). */
export interface OssTempAuthorizationV1 {
  accessId: string;
  /** Base64 of the policy JSON. */
  policy: string;
  /** V1: base64 HMAC-SHA1; V4: the same hex as `x-oss-signature`. */
  signature: string;
  dir: string;
  host: string;
  /** Expiration in unix seconds, as a string like the docs' example. */
  expire: string;
  /** Only when the authorization uses STS. */
  securityToken?: string;
}

/** V4 adds the form fields the upload must send as they are (docs/oss-protocol.md §3). */
export interface OssTempAuthorizationV4 extends OssTempAuthorizationV1 {
  'x-oss-signature-version': 'OSS4-HMAC-SHA256';
  'x-oss-credential': string;
  'x-oss-date': string;
  'x-oss-signature': string;
}

export type OssTempAuthorization = OssTempAuthorizationV1 | OssTempAuthorizationV4;

/** The getOSSTempAuthor response envelope, key order as in the docs' example (docs/oss-protocol.md §6). */
export interface GetOssTempAuthorEnvelope<TData = OssTempAuthorization> {
  message: 'successful';
  data: TData;
  code: '200';
  success: true;
}

/** A policy condition as OSS accepts it: object form or array form (docs/oss-protocol.md §2). */
export type PostPolicyCondition = Record<string, string> | [string, ...unknown[]];

/**
 * The JSON policy document this signer writes and signs (docs/oss-protocol.md §2). Named apart from the browser
 * entry's `OssPostPolicy`, which is the decoded view the component reads back.
 */
export interface PostPolicyDocument {
  expiration: string;
  conditions: PostPolicyCondition[];
}

export const OSS_V4_SIGNATURE_VERSION = 'OSS4-HMAC-SHA256';
const DEFAULT_LIFETIME_SECONDS = 120;
const DEFAULT_MAX_SIZE = 2_097_152;
const DEFAULT_REGION = 'cn-hangzhou';

/** docs/oss-protocol.md §2: the base64 policy string is both the `policy` field and the string to sign. */
export function encodeOssPostPolicy(policy: PostPolicyDocument): string {
  return Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
}

/** docs/oss-protocol.md §2: `Signature = base64(HMAC-SHA1(secret, policyBase64))`. */
export function signOssPolicyV1(accessKeySecret: string, policyBase64: string): string {
  return createHmac('sha1', accessKeySecret).update(policyBase64, 'utf8').digest('base64');
}

/** docs/oss-protocol.md §3: kDate → kRegion → kService → kSigning, then hex HMAC-SHA256 over the base64 policy. */
export function signOssPolicyV4(accessKeySecret: string, yyyymmdd: string, region: string, policyBase64: string): string {
  const kDate = createHmac('sha256', `aliyun_v4${accessKeySecret}`).update(yyyymmdd).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update('oss').digest();
  const kSigning = createHmac('sha256', kService).update('aliyun_v4_request').digest();
  return createHmac('sha256', kSigning).update(policyBase64, 'utf8').digest('hex');
}

/** docs/oss-protocol.md §3: `x-oss-date` is ISO 8601 basic format in UTC, e.g. `20231203T121212Z`. */
export function formatOssV4Date(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** docs/oss-protocol.md §3 / ali-oss `getStandardRegion`: the V4 scope uses the plain region ID. */
export function toStandardRegion(region: string): string {
  return region.replace(/^oss-/, '');
}

/** docs/oss-protocol.md §3: `<AccessKeyId>/<YYYYMMDD>/<region>/oss/aliyun_v4_request`. */
export function buildOssV4Credential(accessKeyId: string, yyyymmdd: string, region: string): string {
  return `${accessKeyId}/${yyyymmdd}/${region}/oss/aliyun_v4_request`;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

function assertNonEmpty(name: string, value: string | undefined): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
}

/**
 * Builds a getOSSTempAuthor-shaped authorization for a browser PostObject upload: a policy
 * that expires `lifetimeSeconds` from now, limits the size to 0..maxSize and the key to `dir`,
 * signed with V1 (default) or V4. Pure `node:crypto`; byte-for-byte what ali-oss produces.
 */
export function createOssTempAuthorization(options: CreateOssTempAuthorizationOptions): OssTempAuthorization {
  assertNonEmpty('accessKeyId', options.accessKeyId);
  assertNonEmpty('accessKeySecret', options.accessKeySecret);
  assertNonEmpty('host', options.host);
  const lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  assertPositiveInteger('lifetimeSeconds', lifetimeSeconds);
  assertPositiveInteger('maxSize', maxSize);
  const version = options.signatureVersion ?? 'v1';
  if (version !== 'v1' && version !== 'v4') throw new TypeError(`signatureVersion must be 'v1' or 'v4'`);
  // The docs' sample dir ends with "/" and its policy prefix too (docs/oss-protocol.md §6, §8 "dir slash").
  const dir = options.dir ?? `pop_temp${randomInt(10_000_000, 100_000_000)}/`;
  const now = options.now?.() ?? new Date();
  const expiresAtMs = now.getTime() + lifetimeSeconds * 1000;

  // docs/oss-protocol.md §6: the sample policy lists exactly these two conditions first, in this order.
  const conditions: PostPolicyCondition[] = [
    ['content-length-range', 0, maxSize],
    ['starts-with', '$key', dir],
  ];
  if (options.bucket !== undefined) conditions.push({ bucket: options.bucket });

  let v4Fields: Omit<OssTempAuthorizationV4, keyof OssTempAuthorizationV1> | undefined;
  let yyyymmdd = '';
  let region = '';
  if (version === 'v4') {
    const xOssDate = formatOssV4Date(now);
    yyyymmdd = xOssDate.slice(0, 8);
    region = toStandardRegion(options.region ?? DEFAULT_REGION);
    const credential = buildOssV4Credential(options.accessKeyId, yyyymmdd, region);
    // docs/oss-protocol.md §3: the SDK samples pin the V4 form fields in the policy.
    conditions.push(
      { 'x-oss-credential': credential },
      { 'x-oss-date': xOssDate },
      { 'x-oss-signature-version': OSS_V4_SIGNATURE_VERSION },
    );
    v4Fields = {
      'x-oss-signature-version': OSS_V4_SIGNATURE_VERSION,
      'x-oss-credential': credential,
      'x-oss-date': xOssDate,
      'x-oss-signature': '',
    };
  }
  // docs/oss-protocol.md §1: with STS the token is a form field, so pin it in the policy as well.
  if (options.securityToken !== undefined) conditions.push({ 'x-oss-security-token': options.securityToken });

  const policy = encodeOssPostPolicy({ expiration: new Date(expiresAtMs).toISOString(), conditions });
  const base: OssTempAuthorizationV1 = {
    accessId: options.accessKeyId,
    policy,
    signature: '',
    dir,
    host: options.host,
    expire: String(Math.floor(expiresAtMs / 1000)),
  };
  if (options.securityToken !== undefined) base.securityToken = options.securityToken;

  if (v4Fields === undefined) {
    base.signature = signOssPolicyV1(options.accessKeySecret, policy);
    return base;
  }
  const signature = signOssPolicyV4(options.accessKeySecret, yyyymmdd, region, policy);
  return { ...base, signature, ...v4Fields, 'x-oss-signature': signature };
}

/** Wraps the data in the exact getOSSTempAuthor envelope of the docs' example (docs/oss-protocol.md §6). */
export function buildGetOssTempAuthorEnvelope<TData extends OssTempAuthorization>(data: TData): GetOssTempAuthorEnvelope<TData> {
  return { message: 'successful', data, code: '200', success: true };
}
