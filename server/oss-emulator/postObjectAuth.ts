import { timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../result.js';
import { ossErrors, type OssError } from './ossErrors.js';
import { OSS_V4_SIGNATURE_VERSION, signOssPolicyV1, signOssPolicyV4 } from '../signer/ossPostPolicySigner.js';
import type { PostFormFields } from './postFormFields.js';

/** The single key pair (and optional STS token) the emulated bucket trusts. */
export interface PostObjectCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** Plain region ID used in the V4 scope, e.g. `cn-hangzhou`. */
  region: string;
  /** When set, every request must carry this `x-oss-security-token` (docs/oss-protocol.md §1). */
  securityToken?: string;
}

/** How the form authenticated; `anonymous` means no signature fields at all. */
export type PostObjectAuth = { version: 'anonymous' } | { version: 'v1' | 'v4'; policyBase64: string };

const V4_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
// docs/oss-protocol.md §3: 15 minutes of skew, at most 7 days of validity from x-oss-date.
const MAX_FUTURE_SKEW_MS = 15 * 60 * 1000;
const MAX_V4_AGE_MS = 7 * 24 * 60 * 60 * 1000;

function sameText(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkSecurityToken(fields: PostFormFields, credentials: PostObjectCredentials): Result<true, OssError> {
  const token = fields.get('x-oss-security-token');
  if (credentials.securityToken === undefined) {
    // A token sent to a bucket that was not set up for STS is a client misconfiguration. [U]
    return token === undefined ? ok(true) : err(ossErrors.invalidSecurityToken());
  }
  // docs/oss-protocol.md §4: "STS token not sent" answers InvalidAccessKeyId.
  if (token === undefined) return err(ossErrors.invalidAccessKeyId());
  return sameText(token, credentials.securityToken) ? ok(true) : err(ossErrors.invalidSecurityToken());
}

function parseV4Date(text: string): number | undefined {
  const match = V4_DATE_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isNaN(ms) ? undefined : ms;
}

function verifyV4(fields: PostFormFields, credentials: PostObjectCredentials, nowMs: number): Result<PostObjectAuth, OssError> {
  const version = fields.get('x-oss-signature-version');
  if (version !== OSS_V4_SIGNATURE_VERSION) {
    return err(ossErrors.invalidArgument(`Invalid x-oss-signature-version: ${version ?? '(missing)'}`));
  }
  const credential = fields.get('x-oss-credential');
  if (credential === undefined) return err(ossErrors.missingAuthField('x-oss-credential'));
  const signature = fields.get('x-oss-signature');
  if (signature === undefined) {
    // docs/oss-protocol.md §3 (EC 0002-00000703): a V4 signature belongs in x-oss-signature, not Signature.
    return err(
      fields.has('signature')
        ? ossErrors.invalidArgument('The V4 signature must be sent in the x-oss-signature field.', '0002-00000703')
        : ossErrors.missingAuthField('x-oss-signature'),
    );
  }
  const xOssDate = fields.get('x-oss-date');
  if (xOssDate === undefined) return err(ossErrors.missingAuthField('x-oss-date'));
  const policyBase64 = fields.get('policy');
  if (policyBase64 === undefined) return err(ossErrors.missingAuthField('policy', '0002-00000702'));

  const scope = credential.split('/');
  if (scope.length !== 5 || scope[3] !== 'oss' || scope[4] !== 'aliyun_v4_request') {
    // docs/oss-protocol.md §3: the credential must end in aliyun_v4_request (EC 0002-00000710).
    return err(ossErrors.invalidArgument(`Invalid x-oss-credential: ${credential}`, '0002-00000710'));
  }
  const [accessKeyId, scopeDate, scopeRegion] = scope as [string, string, string];
  if (!/^\d{8}$/.test(scopeDate)) {
    // docs/oss-protocol.md §3: compact YYYYMMDD (EC 0002-00000709).
    return err(ossErrors.invalidArgument(`Invalid date in x-oss-credential: ${scopeDate}`, '0002-00000709'));
  }
  const dateMs = parseV4Date(xOssDate);
  if (dateMs === undefined) return err(ossErrors.invalidArgument(`Invalid x-oss-date: ${xOssDate}`));
  // docs/oss-protocol.md §3: x-oss-date must fall on the day of the signing key.
  if (xOssDate.slice(0, 8) !== scopeDate) {
    return err(ossErrors.invalidArgument('x-oss-date does not match the date of x-oss-credential.'));
  }
  if (!sameText(accessKeyId, credentials.accessKeyId)) return err(ossErrors.invalidAccessKeyId());
  const token = checkSecurityToken(fields, credentials);
  if (!token.ok) return token;
  // docs/oss-protocol.md §3 [U on the direction]: reject dates too far ahead, or older than the 7-day validity.
  if (dateMs - nowMs > MAX_FUTURE_SKEW_MS || nowMs - dateMs > MAX_V4_AGE_MS) {
    return err(ossErrors.requestTimeTooSkewed());
  }
  // The signing key uses the bucket's region: a scope for another region cannot match.
  const expected = signOssPolicyV4(credentials.accessKeySecret, scopeDate, credentials.region, policyBase64);
  if (scopeRegion !== credentials.region || !sameText(signature.toLowerCase(), expected)) {
    return err(ossErrors.signatureDoesNotMatch());
  }
  return ok({ version: 'v4', policyBase64 });
}

function verifyV1(fields: PostFormFields, credentials: PostObjectCredentials): Result<PostObjectAuth, OssError> {
  const accessKeyId = fields.get('OSSAccessKeyId');
  const policyBase64 = fields.get('policy');
  const signature = fields.get('Signature');
  if (accessKeyId === undefined && policyBase64 === undefined && signature === undefined) {
    return ok({ version: 'anonymous' });
  }
  // docs/oss-protocol.md §1: if one of the trio is present the other two are mandatory (InvalidArgument 400).
  if (accessKeyId === undefined) return err(ossErrors.missingAuthField('OSSAccessKeyId', '0002-00000706'));
  if (policyBase64 === undefined) return err(ossErrors.missingAuthField('policy', '0002-00000702'));
  if (signature === undefined) return err(ossErrors.missingAuthField('Signature'));
  if (accessKeyId === '') {
    return err(ossErrors.invalidArgument('The OSSAccessKeyId field is empty.', '0002-00000707'));
  }
  if (!sameText(accessKeyId, credentials.accessKeyId)) return err(ossErrors.invalidAccessKeyId());
  const token = checkSecurityToken(fields, credentials);
  if (!token.ok) return token;
  // docs/oss-protocol.md §2: Signature = base64(HMAC-SHA1(secret, policy_base64)).
  if (!sameText(signature, signOssPolicyV1(credentials.accessKeySecret, policyBase64))) {
    return err(ossErrors.signatureDoesNotMatch());
  }
  return ok({ version: 'v1', policyBase64 });
}

/** Checks the signature fields of a PostObject form (V1 per docs/oss-protocol.md §2, V4 per docs/oss-protocol.md §3, STS per docs/oss-protocol.md §1). */
export function verifyPostObjectAuth(
  fields: PostFormFields,
  credentials: PostObjectCredentials,
  nowMs: number,
): Result<PostObjectAuth, OssError> {
  const isV4 = fields.has('x-oss-signature-version') || fields.has('x-oss-credential') || fields.has('x-oss-signature');
  return isV4 ? verifyV4(fields, credentials, nowMs) : verifyV1(fields, credentials);
}
