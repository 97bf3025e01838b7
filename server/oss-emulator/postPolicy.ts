import { err, ok, type Result } from '../result.js';
import { ossErrors, type OssError } from './ossErrors.js';

/** One decoded policy condition; `rendered` is how OSS prints it in "Policy Condition failed" (docs/oss-protocol.md §4). */
export type DecodedPolicyCondition =
  | { mode: 'eq' | 'starts-with'; field: string; value: string; rendered: string }
  | { mode: 'in' | 'not-in'; field: string; values: string[]; rendered: string }
  | { mode: 'content-length-range'; min: number; max: number; rendered: string };

export interface DecodedPostPolicy {
  /** The `expiration` text as sent. */
  expiration: string;
  expiresAtMs: number;
  conditions: DecodedPolicyCondition[];
}

/** Looks a form field up by the name a condition uses (without `$`). */
export type PolicyFieldLookup = (field: string) => string | undefined;

// docs/oss-protocol.md §2: ISO 8601 in GMT/UTC; a local time without `Z` is a classic cause of instant expiry (docs/oss-protocol.md §8).
const EXPIRATION_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// docs/oss-protocol.md §2, I5: a user saw this exact message for string numbers in content-length-range.
const INVALID_JSON = 'Invalid JSON.';

/** docs/oss-protocol.md §4: OSS prints a condition as JSON with ", " between items, e.g. ["starts-with", "$key", "a/"]. */
function renderCondition(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderCondition).join(', ')}]`;
  return JSON.stringify(value) ?? 'null';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripDollar(name: string): string {
  // docs/oss-protocol.md §2 uses "$key"; EC 0006-00000224's sample omits the "$", so accept both.
  return (name.startsWith('$') ? name.slice(1) : name).toLowerCase();
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function decodeCondition(entry: unknown): Result<DecodedPolicyCondition, OssError> {
  if (isRecord(entry)) {
    const keys = Object.keys(entry);
    if (keys.length !== 1) {
      return err(ossErrors.invalidPolicyDocument('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.'));
    }
    const field = keys[0] as string;
    const value = entry[field];
    if (typeof value !== 'string') return err(ossErrors.invalidPolicyDocument(INVALID_JSON));
    return ok({
      mode: 'eq',
      field: stripDollar(field),
      value,
      rendered: renderCondition(['eq', `$${field}`, value]),
    });
  }
  // docs/oss-protocol.md §8 (EC 0006-00000222): each condition must be a list or a map.
  if (!Array.isArray(entry) || entry.length === 0) {
    return err(ossErrors.invalidPolicyDocument(INVALID_JSON, '0006-00000222'));
  }
  const rendered = renderCondition(entry);
  const [mode, ...args] = entry as unknown[];
  switch (mode) {
    case 'eq':
    case 'starts-with': {
      const [field, value] = args;
      if (args.length !== 2 || typeof field !== 'string' || typeof value !== 'string') {
        return err(ossErrors.invalidPolicyDocument(INVALID_JSON));
      }
      return ok({ mode, field: stripDollar(field), value, rendered });
    }
    case 'in':
    case 'not-in': {
      const [field, values] = args;
      // EC 0006-00000224: in / not-in need a list.
      if (args.length !== 2 || typeof field !== 'string' || !Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
        return err(ossErrors.invalidPolicyDocument(INVALID_JSON, '0006-00000224'));
      }
      return ok({ mode, field: stripDollar(field), values: values as string[], rendered });
    }
    case 'content-length-range': {
      const [min, max] = args;
      // docs/oss-protocol.md §2: sizes must be JSON numbers (strings gave "Invalid JSON.", I5), non-negative, max >= min.
      if (args.length !== 2 || typeof min !== 'number' || typeof max !== 'number') {
        return err(ossErrors.invalidPolicyDocument(INVALID_JSON, '0006-00000219'));
      }
      if (!isNonNegativeInteger(min) || !isNonNegativeInteger(max) || max < min) {
        return err(ossErrors.invalidPolicyDocument(`Invalid content-length-range: ${rendered}`, '0006-00000221'));
      }
      return ok({ mode, min, max, rendered });
    }
    default:
      // docs/oss-protocol.md §2: an entry with no matching mode (EC 0006-00000216) [U: wording].
      return err(ossErrors.invalidPolicyDocument(`Invalid Condition: ${rendered}`, '0006-00000216'));
  }
}

/** Decodes the base64 `policy` field into a checked policy document (docs/oss-protocol.md §2). */
export function decodePostPolicy(policyBase64: string): Result<DecodedPostPolicy, OssError> {
  if (!BASE64_PATTERN.test(policyBase64)) return err(ossErrors.invalidPolicyDocument(INVALID_JSON));
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    return err(ossErrors.invalidPolicyDocument(INVALID_JSON));
  }
  if (!isRecord(document)) return err(ossErrors.invalidPolicyDocument(INVALID_JSON));
  const { expiration, conditions } = document;
  if (expiration === undefined) {
    return err(ossErrors.invalidPolicyDocument("Missing required field 'expiration'.", '0006-00000208'));
  }
  const expiresAtMs = typeof expiration === 'string' ? Date.parse(expiration) : Number.NaN;
  if (typeof expiration !== 'string' || !EXPIRATION_PATTERN.test(expiration) || Number.isNaN(expiresAtMs)) {
    return err(ossErrors.invalidPolicyDocument(`Invalid 'expiration' value: ${renderCondition(expiration)}`));
  }
  // docs/oss-protocol.md §2 "Policy JSON" (S3, troubleshooting): a policy without conditions answers the Simple-Condition message.
  if (!Array.isArray(conditions) || conditions.length === 0) {
    return err(ossErrors.invalidPolicyDocument('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.'));
  }
  const decoded: DecodedPolicyCondition[] = [];
  for (const entry of conditions as unknown[]) {
    const result = decodeCondition(entry);
    if (!result.ok) return result;
    decoded.push(result.value);
  }
  return ok({ expiration, expiresAtMs, conditions: decoded });
}

function conditionHolds(condition: Exclude<DecodedPolicyCondition, { mode: 'content-length-range' }>, actual: string): boolean {
  switch (condition.mode) {
    case 'eq':
      return actual === condition.value;
    case 'starts-with':
      return actual.startsWith(condition.value);
    case 'in':
      return condition.values.includes(actual);
    case 'not-in':
      return !condition.values.includes(actual);
  }
}

/**
 * Returns the first condition the form does not satisfy, rendered as OSS prints it, or
 * undefined. `content-length-range` is enforced on the file while streaming, not here.
 */
export function findFailedCondition(policy: DecodedPostPolicy, lookup: PolicyFieldLookup): string | undefined {
  for (const condition of policy.conditions) {
    if (condition.mode === 'content-length-range') continue;
    // A field the form does not send compares as "" (so `starts-with ""` passes, `eq "x"` fails).
    const actual = lookup(condition.field) ?? '';
    if (!conditionHolds(condition, actual)) return condition.rendered;
  }
  return undefined;
}

/** The tightest size window of all `content-length-range` conditions (docs/oss-protocol.md §2), within 5 GB (docs/oss-protocol.md §1). */
export function allowedFileSize(policy: DecodedPostPolicy): { min: number; max: number } {
  let min = 0;
  let max = 5 * 1024 ** 3;
  for (const condition of policy.conditions) {
    if (condition.mode !== 'content-length-range') continue;
    min = Math.max(min, condition.min);
    max = Math.min(max, condition.max);
  }
  return { min, max };
}
