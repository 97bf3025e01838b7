import { UploadError } from './UploadError.js';

/** One entry of a policy's `conditions` list (docs/oss-protocol.md §2 "Condition syntax"). */
export type OssPolicyCondition = Record<string, string> | ReadonlyArray<unknown>;

/**
 * The browser's reading of a getOSSTempAuthor `policy` (base64 JSON, docs/oss-protocol.md §2), as `decodeOssPolicy`
 * returns it: what the client checks before sending. Not the document a signer builds: that is the
 * server entry's own type.
 */
export interface OssPostPolicy {
  /** `expiration` as written (ISO 8601, UTC). */
  expiration: string;
  /** `expiration` in ms since the epoch (server time). */
  expiresAt: number;
  /** `["content-length-range", min, max]`, or null when the policy sets no range. */
  contentLengthRange: { min: number; max: number } | null;
  /** The `["starts-with", "$key", prefix]` value, or null when the policy does not constrain keys. */
  keyPrefix: string | null;
  conditions: OssPolicyCondition[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalidPolicy(message: string, cause?: unknown): UploadError {
  return new UploadError('authorization-invalid-policy', message, { field: 'policy', cause });
}

function base64ToUtf8(base64: string): string {
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  // fatal: a policy is UTF-8 by contract (docs/oss-protocol.md §1 "Limits"); garbage must not decode to U+FFFD silently.
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * Decodes the base64 `policy` of an authorization and extracts what the client enforces before
 * sending: the expiration, the size range and the key prefix. Throws `authorization-invalid-policy`.
 */
export function decodeOssPolicy(policy: string): OssPostPolicy {
  const compact = policy.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 === 1 || !BASE64.test(compact)) {
    throw invalidPolicy('The policy is not base64.');
  }
  let document: unknown;
  try {
    document = JSON.parse(base64ToUtf8(compact));
  } catch (cause) {
    throw invalidPolicy('The policy is not UTF-8 JSON.', cause);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidPolicy('The policy is not an object.');
  }
  const { expiration, conditions } = document as Record<string, unknown>;
  if (typeof expiration !== 'string' || Number.isNaN(Date.parse(expiration))) {
    throw invalidPolicy('The policy has no valid "expiration".');
  }
  // docs/oss-protocol.md §2: OSS requires a conditions list with at least one item.
  if (!Array.isArray(conditions) || conditions.length === 0) {
    throw invalidPolicy('The policy has no "conditions".');
  }
  let contentLengthRange: OssPostPolicy['contentLengthRange'] = null;
  let keyPrefix: string | null = null;
  for (const condition of conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [operator, field, value] = condition as unknown[];
      const op = typeof operator === 'string' ? operator.toLowerCase() : operator;
      if (op === 'content-length-range') {
        // docs/oss-protocol.md §2: min and max must be integers with max >= min, or OSS rejects the policy.
        if (!Number.isInteger(field) || !Number.isInteger(value) || (value as number) < (field as number) || (field as number) < 0) {
          throw invalidPolicy('The policy has a bad "content-length-range".');
        }
        contentLengthRange = { min: field as number, max: value as number };
      } else if (op === 'starts-with' && field === '$key' && typeof value === 'string') {
        keyPrefix = value;
      }
    } else if (typeof condition !== 'object' || condition === null) {
      throw invalidPolicy('The policy has a bad condition.');
    }
  }
  return {
    expiration,
    expiresAt: Date.parse(expiration),
    contentLengthRange,
    keyPrefix,
    conditions: conditions as OssPolicyCondition[],
  };
}
