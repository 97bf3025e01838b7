import { MutationObserver, mutationOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { parseAttachmentUploadUrl } from '../core/parseAttachmentUploadUrl.js';
import type { AttachmentUploadUrl, AttachmentUploadUrlData, AttachmentUploadUrlEnvelope } from '../core/parseAttachmentUploadUrl.js';
import type { UploadUrlRequest } from '../core/presignedPutStrategy.js';
import { describeBodyText } from '../core/parseOssErrorResponse.js';
import { UploadError } from '../core/UploadError.js';
import {
  attachmentQueryKeys,
  DEFAULT_AUTHORIZATION_TIMEOUT_MS,
  isResponseLike,
  requestWithTimeout,
  retryTransientFailure,
} from './ossAuthorizationQuery.js';
import type { RequestFailureCodes } from './ossAuthorizationQuery.js';

/**
 * What `fetchUploadUrl` may resolve to: the `Response` of your endpoint (read for you; its `Date`
 * header then corrects a wrong client clock), the GetAttachmentUploadUrl envelope, or bare `Data`
 * (which is also the shape `POST /api/attachment-upload-url` of `ticket-attachment-uploader/server` answers).
 */
export type FetchUploadUrlResult = Response | AttachmentUploadUrlEnvelope | AttachmentUploadUrlData;

/** Asks your backend for one file's presigned PUT URL; `signal` aborts when the file is canceled or the request times out. */
export type FetchUploadUrl = (context: { file: File; signal: AbortSignal }) => Promise<FetchUploadUrlResult>;

export interface UploadUrlMutationOptions {
  fetchUploadUrl: FetchUploadUrl;
  /** A request with no answer after this long fails with `upload-url-timeout`. Default 15,000 ms. */
  timeoutMs?: number;
  /** Content-Type to send when the answer does not say which one its URL was signed for. Default `application/octet-stream`. */
  uploadContentType?: string;
}

/** Turns whatever `fetchUploadUrl` resolved to into a checked `AttachmentUploadUrl`. */
export async function readAttachmentUploadUrl(result: unknown, defaultContentType?: string): Promise<AttachmentUploadUrl> {
  const receivedAt = Date.now();
  if (!isResponseLike(result)) return parseAttachmentUploadUrl(result, { receivedAt, defaultContentType });
  const text = await result.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!result.ok) {
    // A 4xx that explains itself (`{ Success: false, Message }`) keeps the service's words.
    const message = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).Message : undefined;
    const explained = result.status < 500 && typeof message === 'string' && message.trim() !== '';
    throw new UploadError(
      explained ? 'upload-url-rejected' : 'upload-url-request-failed',
      explained ? message.trim() : `The request failed with HTTP ${result.status}.`,
      { status: result.status },
    );
  }
  if (json === undefined) {
    const snippet = describeBodyText(text).slice(0, 80);
    throw new UploadError('upload-url-malformed', `The answer is not JSON: "${snippet}".`, {
      status: result.status,
    });
  }
  return parseAttachmentUploadUrl(json, { receivedAt, serverDate: result.headers.get('Date'), defaultContentType });
}

const UPLOAD_URL_FAILURES: RequestFailureCodes = ['upload-url-timeout', 'upload-url-request-failed'];

/**
 * react-query options for one GetAttachmentUploadUrl call. A mutation, not a query: each call
 * issues a new object key and a URL that must never be shared or served from a cache, so nothing
 * is deduplicated or kept (`gcTime: 0`); react-query still runs the retry and shows it in devtools.
 */
export function uploadUrlMutationOptions(options: UploadUrlMutationOptions) {
  return mutationOptions({
    mutationKey: attachmentQueryKeys.uploadUrl(),
    mutationFn: ({ file, signal }: UploadUrlRequest) =>
      requestWithTimeout(
        UPLOAD_URL_FAILURES,
        options.timeoutMs ?? DEFAULT_AUTHORIZATION_TIMEOUT_MS,
        (requestSignal) => options.fetchUploadUrl({ file, signal: requestSignal }),
        (result) => readAttachmentUploadUrl(result, options.uploadContentType),
        signal,
      ),
    retry: retryTransientFailure(UPLOAD_URL_FAILURES),
    gcTime: 0,
  });
}

/** The presigned PUT strategy's `requestUploadUrl`: one mutation per call, dropped from the cache once settled. */
export function requestUploadUrlFromQueryClient(
  queryClient: QueryClient,
  options: UploadUrlMutationOptions,
  request: UploadUrlRequest,
): Promise<AttachmentUploadUrl> {
  const observer = new MutationObserver(queryClient, uploadUrlMutationOptions(options));
  return observer.mutate(request).finally(() => observer.reset());
}
