import { err, ok, type Result } from '../result.js';
import { ossErrors, type OssError } from './ossErrorXml.js';
import { verifyPostObjectAuth, type PostObjectCredentials } from './postObjectAuth.js';
import type { PostFormFields } from './postFormFields.js';
import { allowedFileSize, decodePostPolicy, findFailedCondition } from './postPolicy.js';

export interface PostObjectFormContext {
  bucket: string;
  credentials: PostObjectCredentials;
  /** Emulator clock at the time the form is checked. */
  nowMs: number;
  /** A forced "Policy expired" fault (faults.ts) is pending for this request. */
  forcePolicyExpired: boolean;
  /** File name of the `file` part, for `${filename}` in the key (ref §1). */
  fileName: string | undefined;
}

/** A form that passed every check that can be made before the file content arrives. */
export interface AcceptedPostObjectForm {
  /** Object name after `${filename}` expansion. */
  key: string;
  minSize: number;
  maxSize: number;
  successActionStatus: 200 | 201 | 204;
  successActionRedirect?: string;
  forbidOverwrite: boolean;
  /** `x-oss-content-type` field (highest priority, ref §1). */
  ossContentType?: string;
  /** `Content-Type` field (lowest priority, ref §1). */
  contentTypeField?: string;
  /** Stored object headers, served back on GET (ref §1). */
  storedHeaders: Record<string, string>;
}

// ref §1: form fields stored as the object's HTTP headers.
const STORED_HEADER_FIELDS = ['Cache-Control', 'Content-Disposition', 'Content-Encoding', 'Expires'] as const;
const OBJECT_ACLS = new Set(['private', 'public-read', 'public-read-write', 'default']);
const SSE_ALGORITHMS = new Set(['AES256', 'KMS']);
const MAX_USER_META_BYTES = 8 * 1024;
const MAX_KEY_BYTES = 1023;

function parseSuccessStatus(value: string | undefined): 200 | 201 | 204 {
  // ref §1: 200, 201 or 204; unset or anything else yields 204.
  if (value === '200') return 200;
  if (value === '201') return 201;
  return 204;
}

function checkFieldValues(fields: PostFormFields): Result<Pick<AcceptedPostObjectForm, 'forbidOverwrite' | 'storedHeaders'>, OssError> {
  const forbid = fields.get('x-oss-forbid-overwrite');
  if (forbid !== undefined && forbid !== 'true' && forbid !== 'false') {
    // ref §1: anything but true/false is an error (EC 0006-00000117).
    return err(ossErrors.invalidArgument(`Invalid x-oss-forbid-overwrite: ${forbid}`, '0006-00000117'));
  }
  const acl = fields.get('x-oss-object-acl');
  if (acl !== undefined && !OBJECT_ACLS.has(acl)) {
    return err(ossErrors.invalidArgument(`Invalid x-oss-object-acl: ${acl}`));
  }
  const sse = fields.get('x-oss-server-side-encryption');
  if (sse !== undefined && !SSE_ALGORITHMS.has(sse)) return err(ossErrors.invalidEncryptionAlgorithm());

  const storedHeaders: Record<string, string> = {};
  for (const header of STORED_HEADER_FIELDS) {
    const value = fields.get(header);
    if (value !== undefined) storedHeaders[header] = value;
  }
  let metaBytes = 0;
  for (const { name, value } of fields.list()) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-oss-meta-')) continue;
    metaBytes += Buffer.byteLength(lower) + Buffer.byteLength(value);
    storedHeaders[lower] = value;
  }
  // ref §1: user metadata may be at most 8 KB in total.
  if (metaBytes > MAX_USER_META_BYTES) return err(ossErrors.metadataTooLarge());
  if (sse !== undefined) storedHeaders['x-oss-server-side-encryption'] = sse;
  if (acl !== undefined) storedHeaders['x-oss-object-acl'] = acl;
  return ok({ forbidOverwrite: forbid === 'true', storedHeaders });
}

/**
 * Checks a PostObject form the way OSS does once the `file` part starts (ref §1–§4): `key`,
 * signature, policy document, expiration against the emulator clock, every condition, and the
 * values of the fields OSS interprets. Size is left to the streaming file writer.
 */
export function validatePostObjectForm(
  fields: PostFormFields,
  context: PostObjectFormContext,
): Result<AcceptedPostObjectForm, OssError> {
  // ref §1: `key` is required and must come before `file`; the form is checked when `file` starts.
  const rawKey = fields.get('key');
  if (rawKey === undefined) return err(ossErrors.missingKey());
  // ref §4: upload callbacks (S14) would need an outbound call; say so instead of pretending.
  if (fields.has('callback')) return err(ossErrors.notImplemented('The callback field'));

  const auth = verifyPostObjectAuth(fields, context.credentials, context.nowMs);
  if (!auth.ok) return auth;
  if (auth.value.version === 'anonymous') return err(ossErrors.anonymousDenied());

  const policy = decodePostPolicy(auth.value.policyBase64);
  if (!policy.ok) return policy;
  // ref §2: expiration is checked against the (emulated) OSS server time.
  if (context.forcePolicyExpired || context.nowMs > policy.value.expiresAtMs) {
    return err(ossErrors.policyExpired());
  }
  // ref §2: conditions are matched against the unexpanded key (before `${filename}`).
  const failed = findFailedCondition(policy.value, (field) =>
    field === 'bucket' ? context.bucket : fields.get(field),
  );
  if (failed !== undefined) return err(ossErrors.policyConditionFailed(failed));

  const values = checkFieldValues(fields);
  if (!values.ok) return values;

  const key = rawKey.split('${filename}').join(context.fileName ?? '');
  const keyBytes = Buffer.byteLength(key);
  if (keyBytes === 0 || keyBytes > MAX_KEY_BYTES || key.startsWith('/') || key.startsWith('\\')) {
    return err(ossErrors.invalidObjectName());
  }

  const { min, max } = allowedFileSize(policy.value);
  const accepted: AcceptedPostObjectForm = {
    key,
    minSize: min,
    maxSize: max,
    successActionStatus: parseSuccessStatus(fields.get('success_action_status')),
    forbidOverwrite: values.value.forbidOverwrite,
    storedHeaders: values.value.storedHeaders,
  };
  const redirect = fields.get('success_action_redirect');
  if (redirect !== undefined && redirect !== '') accepted.successActionRedirect = redirect;
  const ossContentType = fields.get('x-oss-content-type');
  if (ossContentType !== undefined) accepted.ossContentType = ossContentType;
  const contentTypeField = fields.get('Content-Type');
  if (contentTypeField !== undefined) accepted.contentTypeField = contentTypeField;
  return ok(accepted);
}
