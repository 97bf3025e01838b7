import { isRecord, optionalString } from './parseOssAuthorization.js';
import { classifyOssError, describeBodyText } from './parseOssErrorResponse.js';
import { sendRawPut } from './putObject.js';
import type { PutObjectResult, RawPutRequest } from './putObject.js';
import { UploadError } from './UploadError.js';

export interface RelayPutObjectRequest extends Omit<RawPutRequest, 'url' | 'contentType'> {
  /** Your upload relay (`PUT`, e.g. `/api/attachment-upload-relay`); `fileName` is added to its query. */
  relayUrl: string;
  /** The name the relay asks GetAttachmentUploadUrl for (it ends up in the ObjectKey). */
  fileName: string;
}

/**
 * The relay's answer (`createAttachmentUploadRelayHandler` of `ticket-attachment-uploader/server`):
 * `{ ObjectKey, ETag }`, or `{ code, message, upstreamCode?, upstreamMessage?, requestId? }`. A
 * storage refusal it passes on becomes the very error a direct PUT would have got.
 */
function readRelayAnswer({ status, responseText }: { status: number; responseText: string }): PutObjectResult | UploadError {
  let body: unknown;
  try {
    body = JSON.parse(responseText);
  } catch {
    body = undefined;
  }
  const answer = isRecord(body) ? body : {};
  if (status >= 200 && status < 300) {
    const key = optionalString(answer.ObjectKey);
    if (key === undefined)
      return new UploadError('upload-url-missing-field', 'The answer has no "ObjectKey".', {
        status,
        field: 'ObjectKey',
      });
    if (key.includes(','))
      return new UploadError('upload-url-invalid', `The ObjectKey "${key}" has a comma.`, {
        status,
        field: 'ObjectKey',
      });
    return { key, status, etag: optionalString(answer.ETag) ?? null, requestId: null };
  }
  const message = optionalString(answer.message) ?? `The upload relay answered HTTP ${status}.`;
  const requestId = optionalString(answer.requestId);
  const details = { status, ...(requestId === undefined ? {} : { requestId }) };
  const upstreamCode = optionalString(answer.upstreamCode);
  switch (answer.code) {
    case 'storage-refused':
    case 'storage-error': {
      if (upstreamCode === undefined) return new UploadError('oss-error', message, details);
      const upstreamMessage = optionalString(answer.upstreamMessage) ?? message;
      return new UploadError(classifyOssError(upstreamCode, upstreamMessage), upstreamMessage, { ...details, ossCode: upstreamCode });
    }
    case 'entity-too-large':
      return new UploadError('entity-too-large', message, details);
    case 'storage-unreachable':
      return new UploadError('oss-error', message, details);
    case 'invalid-file-name':
    case 'upstream-error':
      return new UploadError('upload-url-rejected', message, details);
    case 'upstream-timeout':
      return new UploadError('upload-url-timeout', message, details);
    default: {
      const snippet = describeBodyText(responseText);
      return new UploadError('oss-error', `The upload relay answered HTTP ${status}${snippet ? `: "${snippet}"` : '.'}`, details);
    }
  }
}

/**
 * Sends one file through your server's upload relay: an XHR `PUT` of the raw bytes to
 * `relayUrl?fileName=…`, with progress, abort and the stall timeout. The relay gets a presigned URL
 * and streams the body on to storage, for a bucket whose CORS rule does not let the browser PUT
 * itself; the object key comes back in its answer. Rejects only with `UploadError`.
 */
export function relayPutObject(request: RelayPutObjectRequest): Promise<PutObjectResult> {
  const separator = request.relayUrl.includes('?') ? '&' : '?';
  return sendRawPut(
    // The relay signs for itself: what the browser declares is only "raw bytes".
    {
      ...request,
      url: `${request.relayUrl}${separator}fileName=${encodeURIComponent(request.fileName)}`,
      contentType: 'application/octet-stream',
    },
    readRelayAnswer,
  );
}
