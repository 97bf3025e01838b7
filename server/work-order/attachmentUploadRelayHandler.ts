import { DEFAULT_ATTACHMENT_CONTENT_TYPE } from './attachmentUploadUrlHandler.js';
import { validateAttachmentFileName } from './validateAttachmentFileName.js';
import type { WorkOrder2021Client } from './workOrder2021Client.js';
import { noStoreJsonResponse } from './noStoreJsonResponse.js';
import { WorkOrderApiError } from './workOrderApiError.js';
import { workOrderApiFailureResponse } from './workOrderApiFailureResponse.js';

/** The Work Order service's attachment cap (2 MiB), which a presigned URL cannot carry itself. */
export const DEFAULT_RELAY_MAX_BYTES = 2 * 1024 * 1024;

/** What the relay answers once storage has the file: the key for `FileNameList`, and storage's ETag. */
export interface AttachmentUploadRelayAnswer {
  ObjectKey: string;
  ETag: string | null;
}

/**
 * An error answer, in the shape of `POST /api/attachment-upload-url`'s: a kebab-case code, a readable
 * message and, when the Work Order API or storage refused, what they said.
 */
export interface AttachmentUploadRelayErrorAnswer {
  code:
    | 'method-not-allowed'
    | 'invalid-request'
    | 'invalid-file-name'
    | 'entity-too-large'
    | 'upstream-error'
    | 'upstream-timeout'
    | 'storage-refused'
    | 'storage-error'
    | 'storage-unreachable';
  message: string;
  /** The Work Order API's or storage's own error Code (`AccessDenied`, `SignatureDoesNotMatch`, ...). */
  upstreamCode?: string;
  /** Storage's own Message (`Request has expired.`): the browser classifies the refusal by Code and Message, as for a direct PUT. */
  upstreamMessage?: string;
  requestId?: string;
}

export interface AttachmentUploadRelayHandlerOptions {
  /** The Work Order API 2021-06-10 client (only getAttachmentUploadUrl is used). */
  client: Pick<WorkOrder2021Client, 'getAttachmentUploadUrl'>;
  /** The Content-Type PutSignedUrl is signed for, fixed or per file name. Default: `application/octet-stream`. */
  contentType?: string | ((fileName: string) => string);
  /** Largest body in bytes, enforced while it streams. Default: 2 MiB, the service's attachment cap. */
  maxBytes?: number;
  /** Sends the PUT to storage. Default: the global `fetch` (Node 18+: undici, which streams a request body). */
  fetch?: typeof fetch;
}

class RelayBodyTooLargeError extends Error {
  override readonly name = 'RelayBodyTooLargeError';
}

/** Typed by what this handler answers. */
const json = (
  status: number,
  body: AttachmentUploadRelayAnswer | AttachmentUploadRelayErrorAnswer,
  extraHeaders?: Record<string, string>,
) => noStoreJsonResponse(status, body, extraHeaders);

function tooLarge(maxBytes: number): Response {
  return json(413, { code: 'entity-too-large', message: `The file is larger than ${maxBytes} bytes.`, upstreamCode: 'EntityTooLarge' });
}

function readXmlElement(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
  return text
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * Storage's refusal, passed on: a 4xx keeps OSS's status (so the browser treats it exactly as a
 * refusal of its own PUT: not retried), a 5xx becomes 502 (retried with backoff). OSS answers an
 * `<Error>` document with Code, Message and RequestId (docs/work-order-api.md §4).
 */
async function storageErrorAnswer(response: Response): Promise<Response> {
  const body = await response.text().catch(() => '');
  const upstreamCode = readXmlElement(body, 'Code');
  const upstreamMessage = readXmlElement(body, 'Message');
  const requestId = readXmlElement(body, 'RequestId') ?? response.headers.get('x-oss-request-id') ?? undefined;
  const details = {
    ...(upstreamCode === undefined ? {} : { upstreamCode }),
    ...(upstreamMessage === undefined ? {} : { upstreamMessage }),
    ...(requestId === undefined ? {} : { requestId }),
  };
  const said = upstreamCode === undefined ? `HTTP ${response.status}` : `${upstreamCode}: ${upstreamMessage ?? ''}`.trim();
  if (response.status >= 500) {
    return json(502, { code: 'storage-error', message: `Storage failed to store the file (${said}); try again.`, ...details });
  }
  // docs/work-order-api.md §4: "Request has expired." means the URL lapsed. The relay asked for it
  // right before sending, and the body is spent, so it cannot get a fresh one and resend: it says
  // so, and the browser (which still has the file) sends it again, which gets a fresh URL.
  const expired = upstreamCode === 'AccessDenied' && /request has expired/i.test(upstreamMessage ?? '');
  const message = expired
    ? 'Storage refused the upload because its URL had expired (check the server clock); send the file again for a fresh URL.'
    : `Storage refused the upload (${said}).`;
  return json(response.status, { code: 'storage-refused', message, ...details });
}

/**
 * `PUT /api/attachment-upload-relay?fileName=<name>` with the file as the raw body: for a bucket whose
 * CORS rule does not let the browser PUT itself. Asks the Work Order API for a presigned PUT
 * (GetAttachmentUploadUrl) and streams the body to it with exactly the signed Content-Type, counting
 * bytes and cutting the upload past `maxBytes`; the browser never sees the signed URL. Answers
 * `{ObjectKey, ETag}`; 400 for a bad name, 413 past the cap, 502/504 when the API fails, storage's
 * 4xx as is and its 5xx as 502.
 */
export function createAttachmentUploadRelayHandler(options: AttachmentUploadRelayHandlerOptions): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBytes ?? DEFAULT_RELAY_MAX_BYTES;
  const send = options.fetch ?? fetch;
  const contentTypeFor = (fileName: string): string => {
    const configured = options.contentType ?? DEFAULT_ATTACHMENT_CONTENT_TYPE;
    return typeof configured === 'function' ? configured(fileName) : configured;
  };

  return async (request) => {
    if (request.method !== 'PUT') {
      return json(405, { code: 'method-not-allowed', message: 'Use PUT with the file as the body.' }, { Allow: 'PUT' });
    }
    const fileName = new URL(request.url).searchParams.get('fileName');
    const invalid = validateAttachmentFileName(fileName ?? undefined);
    if (invalid !== undefined || fileName === null) {
      return json(400, { code: 'invalid-file-name', message: invalid ?? 'fileName must be a string.' });
    }
    const declaredText = request.headers.get('content-length');
    const declared = declaredText === null ? undefined : Number(declaredText);
    // A declared length over the cap is refused before the API is asked or a byte is read.
    if (declared !== undefined && Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
    if (request.body === null)
      return json(400, { code: 'invalid-request', message: 'The request has no body: send the file as the body.' });

    let upload;
    try {
      upload = await options.client.getAttachmentUploadUrl(fileName);
    } catch (error) {
      if (!(error instanceof WorkOrderApiError)) throw error;
      return workOrderApiFailureResponse(error);
    }

    // Counts the body on its way through and fails it the moment it passes the cap; nothing is kept.
    const reader = request.body.getReader();
    const stopUpstream = new AbortController();
    let received = 0;
    let exceeded = false;
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        received += value.byteLength;
        if (received > maxBytes) {
          exceeded = true;
          controller.error(new RelayBodyTooLargeError());
          stopUpstream.abort();
          return;
        }
        controller.enqueue(value);
      },
      // Storage answered before the end (a refusal): the rest of the client's body is not read here
      // but left to the HTTP server, which discards it, so the client still gets to read the answer.
      cancel() {},
    });

    let response: Response;
    try {
      response = await send(upload.putSignedUrl, {
        method: 'PUT',
        // docs/work-order-api.md §4: the V1 signature covers Content-Type (and Content-MD5 and x-oss-*,
        // which are not sent): exactly the signed one, whatever the browser sent us.
        headers: {
          'Content-Type': contentTypeFor(fileName),
          ...(declared !== undefined && Number.isFinite(declared) ? { 'Content-Length': String(declared) } : {}),
        },
        body: counted,
        duplex: 'half',
        signal: AbortSignal.any([request.signal, stopUpstream.signal]),
      } as RequestInit);
    } catch (error) {
      if (exceeded) return tooLarge(maxBytes);
      if (request.signal.aborted)
        return json(400, { code: 'invalid-request', message: 'The client went away before the upload finished.' });
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return json(502, { code: 'storage-unreachable', message: `Storage could not be reached: ${reason}` });
    }
    if (exceeded) {
      await response.body?.cancel();
      return tooLarge(maxBytes);
    }
    if (!response.ok) return storageErrorAnswer(response);
    await response.body?.cancel();
    return json(200, { ObjectKey: upload.objectKey, ETag: response.headers.get('etag') });
  };
}
