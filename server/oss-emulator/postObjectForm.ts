import { err, ok, type Result } from '../result.js';
import type { StoredObject } from './objectStore.js';
import { ossErrors, type OssError } from './ossErrors.js';
import { successActionStatus } from './ossResponses.js';
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
  /** File name of the `file` part, for `${filename}` in the key (docs/oss-protocol.md §1). */
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
  /** `x-oss-content-type` field (highest priority, docs/oss-protocol.md §1). */
  ossContentType?: string;
  /** `Content-Type` field (lowest priority, docs/oss-protocol.md §1). */
  contentTypeField?: string;
  /** Stored object headers, served back on GET (docs/oss-protocol.md §1). */
  storedHeaders: Record<string, string>;
}

// docs/oss-protocol.md §1: form fields stored as the object's HTTP headers.
const STORED_HEADER_FIELDS = ['Cache-Control', 'Content-Disposition', 'Content-Encoding', 'Expires'] as const;
const OBJECT_ACLS = new Set(['private', 'public-read', 'public-read-write', 'default']);
const SSE_ALGORITHMS = new Set(['AES256', 'KMS']);
const MAX_USER_META_BYTES = 8 * 1024;
const MAX_KEY_BYTES = 1023;

function checkFieldValues(fields: PostFormFields): Result<Pick<AcceptedPostObjectForm, 'forbidOverwrite' | 'storedHeaders'>, OssError> {
  const forbid = fields.get('x-oss-forbid-overwrite');
  if (forbid !== undefined && forbid !== 'true' && forbid !== 'false') {
    // docs/oss-protocol.md §1: anything but true/false is an error (EC 0006-00000117).
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
  // docs/oss-protocol.md §1: user metadata may be at most 8 KB in total.
  if (metaBytes > MAX_USER_META_BYTES) return err(ossErrors.metadataTooLarge());
  if (sse !== undefined) storedHeaders['x-oss-server-side-encryption'] = sse;
  if (acl !== undefined) storedHeaders['x-oss-object-acl'] = acl;
  return ok({ forbidOverwrite: forbid === 'true', storedHeaders });
}

/**
 * Checks a PostObject form the way OSS does once the `file` part starts (docs/oss-protocol.md §1–§4): `key`,
 * signature, policy document, expiration against the emulator clock, every condition, and the
 * values of the fields OSS interprets. Size is left to the streaming file writer.
 */
export function validatePostObjectForm(fields: PostFormFields, context: PostObjectFormContext): Result<AcceptedPostObjectForm, OssError> {
  // docs/oss-protocol.md §1: `key` is required and must come before `file`; the form is checked when `file` starts.
  const rawKey = fields.get('key');
  if (rawKey === undefined) return err(ossErrors.missingKey());
  // docs/oss-protocol.md §4: upload callbacks (S14) would need an outbound call; say so instead of pretending.
  if (fields.has('callback')) return err(ossErrors.notImplemented('The callback field'));

  const auth = verifyPostObjectAuth(fields, context.credentials, context.nowMs);
  if (!auth.ok) return auth;
  if (auth.value.version === 'anonymous') return err(ossErrors.anonymousDenied());

  const policy = decodePostPolicy(auth.value.policyBase64);
  if (!policy.ok) return policy;
  // docs/oss-protocol.md §2: expiration is checked against the (emulated) OSS server time.
  if (context.forcePolicyExpired || context.nowMs > policy.value.expiresAtMs) {
    return err(ossErrors.policyExpired());
  }
  // docs/oss-protocol.md §2: conditions are matched against the unexpanded key (before `${filename}`).
  const failed = findFailedCondition(policy.value, (field) => (field === 'bucket' ? context.bucket : fields.get(field)));
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
    successActionStatus: successActionStatus(fields.get('success_action_status')),
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

/** The file as written to disk, and what the request said about the whole body. */
export interface CompletedUpload {
  size: number;
  /** Lower-case hex MD5 of the file. */
  md5: string;
  /** Content-Type of the `file` part, when it had one. */
  mimeType: string | undefined;
  /** The request's Content-MD5 header and the base64 MD5 of the body actually received, when the header was sent. */
  contentMd5: { declared: string; received: string } | undefined;
}

/**
 * The checks only the end of the body can answer (docs/oss-protocol.md §1, §2): the policy's smallest size, the
 * optional Content-MD5 of the whole body, and `x-oss-forbid-overwrite` against what is stored.
 */
export function checkCompletedUpload(
  form: AcceptedPostObjectForm,
  upload: CompletedUpload,
  objectExists: (key: string) => boolean,
): Result<void, OssError> {
  if (upload.size < form.minSize) return err(ossErrors.entityTooSmall());
  // docs/oss-protocol.md §1: an optional Content-MD5 header covers the whole body.
  if (upload.contentMd5 !== undefined && upload.contentMd5.declared !== upload.contentMd5.received) {
    return err(ossErrors.invalidDigest());
  }
  if (form.forbidOverwrite && objectExists(form.key)) return err(ossErrors.fileAlreadyExists());
  return ok(undefined);
}

/** The object a completed upload becomes, with its headers and content type (docs/oss-protocol.md §1). */
export function storedObjectFor(form: AcceptedPostObjectForm, upload: CompletedUpload, storedAt: number): StoredObject {
  const object: StoredObject = {
    key: form.key,
    size: upload.size,
    md5: upload.md5,
    etag: `"${upload.md5.toUpperCase()}"`,
    // docs/oss-protocol.md §1: x-oss-content-type > the file part's Content-Type > the Content-Type field.
    contentType: form.ossContentType ?? upload.mimeType ?? form.contentTypeField ?? 'application/octet-stream',
    storedAt,
    headers: form.storedHeaders,
  };
  const disposition = form.storedHeaders['Content-Disposition'];
  if (disposition !== undefined) object.contentDisposition = disposition;
  return object;
}
