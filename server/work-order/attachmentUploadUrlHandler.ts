import type { Result } from '../result.js';
import { validateAttachmentFileName } from './validateAttachmentFileName.js';
import type { WorkOrder2021Client } from './workOrder2021Client.js';
import { noStoreJsonResponse } from './noStoreJsonResponse.js';
import { WorkOrderApiError } from './workOrderApiError.js';
import { workOrderApiFailureResponse } from './workOrderApiFailureResponse.js';

/**
 * The Content-Type `PutSignedUrl` is assumed to be signed for: the one the service's curl example
 * sends (docs/work-order-api.md §4). Not documented [U]; configure it if the service signs another.
 */
export const DEFAULT_ATTACHMENT_CONTENT_TYPE = 'application/octet-stream';

/** What `POST /api/attachment-upload-url` answers: the browser PUTs the file to `PutSignedUrl` with exactly `ContentType`. */
export interface AttachmentUploadUrlAnswer {
  ObjectKey: string;
  PutSignedUrl: string;
  ContentType: string;
}

/** An error answer: a kebab-case code, a readable message and, for upstream failures, what the API said. */
export interface AttachmentUploadUrlErrorAnswer {
  code: 'method-not-allowed' | 'invalid-request' | 'invalid-file-name' | 'upstream-error' | 'upstream-timeout';
  message: string;
  upstreamCode?: string;
  requestId?: string;
}

export interface AttachmentUploadUrlHandlerOptions {
  /** The Work Order API 2021-06-10 client (only getAttachmentUploadUrl is used). */
  client: Pick<WorkOrder2021Client, 'getAttachmentUploadUrl'>;
  /** The Content-Type PutSignedUrl is signed for, fixed or per file name. Default: {@link DEFAULT_ATTACHMENT_CONTENT_TYPE}. */
  contentType?: string | ((fileName: string) => string);
}

/** The JSON body is one small object; anything bigger is not a file name request. */
const MAX_BODY_BYTES = 16 * 1024;

/** Typed by what this handler answers. */
const json = (status: number, body: AttachmentUploadUrlAnswer | AttachmentUploadUrlErrorAnswer, extraHeaders?: Record<string, string>) =>
  noStoreJsonResponse(status, body, extraHeaders);

async function readJson(request: Request): Promise<Result<unknown, string>> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return { ok: false, error: 'The request body is too large.' };
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, error: 'The request body is too large.' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'The request body must be JSON: {"fileName": "..."}.' };
  }
}

/**
 * `POST /api/attachment-upload-url` with `{"fileName": "a.png"}`: asks the Work Order API for a
 * presigned PUT (GetAttachmentUploadUrl, docs/work-order-api.md §1) and answers
 * `{ObjectKey, PutSignedUrl, ContentType}`. 400 for a bad name, 502 when the API refuses or
 * answers nonsense, 504 when it does not answer in time.
 */
export function createAttachmentUploadUrlHandler(options: AttachmentUploadUrlHandlerOptions): (request: Request) => Promise<Response> {
  const contentTypeFor = (fileName: string): string => {
    const configured = options.contentType ?? DEFAULT_ATTACHMENT_CONTENT_TYPE;
    return typeof configured === 'function' ? configured(fileName) : configured;
  };

  return async (request) => {
    if (request.method !== 'POST') {
      return json(405, { code: 'method-not-allowed', message: 'Use POST.' }, { Allow: 'POST' });
    }
    const body = await readJson(request);
    if (!body.ok) return json(400, { code: 'invalid-request', message: body.error });
    const fileName = typeof body.value === 'object' && body.value !== null ? (body.value as { fileName?: unknown }).fileName : undefined;
    const invalid = validateAttachmentFileName(fileName);
    if (invalid !== undefined || typeof fileName !== 'string') {
      return json(400, { code: 'invalid-file-name', message: invalid ?? 'fileName must be a string.' });
    }
    try {
      const answer = await options.client.getAttachmentUploadUrl(fileName);
      return json(200, { ObjectKey: answer.objectKey, PutSignedUrl: answer.putSignedUrl, ContentType: contentTypeFor(fileName) });
    } catch (error) {
      if (!(error instanceof WorkOrderApiError)) throw error;
      return workOrderApiFailureResponse(error);
    }
  };
}
