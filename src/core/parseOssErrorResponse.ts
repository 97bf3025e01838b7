import { isAuthorizationErrorCode, UploadError } from './UploadError.js';
import type { UploadErrorCode } from './UploadError.js';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the XML entities OSS uses in element text (`&amp;` in a key, `&quot;` in a message). */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return XML_ENTITIES[entity.toLowerCase()] ?? '';
  });
}

function readElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1] === undefined ? undefined : decodeXmlText(match[1].trim());
}

/** docs/oss-protocol.md §4 "Codes for this flow": OSS Code + Message → our stable code (also for a refusal a relay passes on). */
export function classifyOssError(ossCode: string, message: string): UploadErrorCode {
  switch (ossCode) {
    case 'AccessDenied':
      if (/policy expired/i.test(message)) return 'policy-expired';
      if (/policy condition failed/i.test(message)) return 'policy-condition-failed';
      // docs/oss-protocol.md §4: the PostObject troubleshooting table prints a bad signature as AccessDenied "SignatureDoesNotMatch …" [U].
      if (/signaturedoesnotmatch/i.test(message)) return 'signature-mismatch';
      // docs/work-order-api.md §4: a presigned URL used past its `Expires`.
      if (/request has expired/i.test(message)) return 'upload-url-expired';
      return 'access-denied';
    case 'SignatureDoesNotMatch':
      return 'signature-mismatch';
    case 'InvalidAccessKeyId':
      return 'invalid-access-key';
    case 'EntityTooLarge':
      return 'entity-too-large';
    case 'EntityTooSmall':
      return 'entity-too-small';
    default:
      return 'oss-error';
  }
}

/** The readable start of a body that is not the expected document (an HTML error page): tags dropped, at most 120 characters. */
export function describeBodyText(body: string): string {
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

/**
 * Turns a non-2xx storage answer into an `UploadError`. OSS answers with an XML `<Error>` (docs/oss-protocol.md §4);
 * a proxy or gateway may answer with HTML or nothing, which still gives a clear `oss-error`.
 */
export function parseOssErrorResponse(
  status: number,
  body: string,
  requestIdHeader: string | null = null,
  retryAfterMs?: number,
): UploadError {
  const xml = /<Error>[\s\S]*<\/Error>/.exec(body)?.[0];
  if (xml) {
    const ossCode = readElement(xml, 'Code') ?? 'UnknownError';
    const message = readElement(xml, 'Message') ?? `Storage answered ${status} ${ossCode}.`;
    const requestId = readElement(xml, 'RequestId') ?? requestIdHeader ?? undefined;
    return new UploadError(classifyOssError(ossCode, message), message, { status, ossCode, requestId, retryAfterMs });
  }
  const snippet = describeBodyText(body);
  return new UploadError('oss-error', `Storage answered HTTP ${status}${snippet ? `: "${snippet}"` : '.'}`, {
    status,
    requestId: requestIdHeader ?? undefined,
    retryAfterMs,
  });
}

/**
 * Worth another attempt: the network, a stall, 5xx and 429 (docs/oss-protocol.md §4 lists no 5xx as permanent). Never
 * a failure to get the authorization or upload URL (an upload relay's "the Work Order API refused",
 * a 502): that is the user's "Try again", as in the other modes.
 */
export function isRetryableUploadError(error: UploadError): boolean {
  if (isAuthorizationErrorCode(error.code)) return false;
  if (error.code === 'network-error' || error.code === 'timeout') return true;
  return error.status !== undefined && (error.status >= 500 || error.status === 429);
}
