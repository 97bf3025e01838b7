import { MutationObserver, mutationOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { parseAttachmentUploadUrl } from '../core/parseAttachmentUploadUrl.js';
import type { AttachmentUploadUrl, AttachmentUploadUrlData, AttachmentUploadUrlEnvelope } from '../core/parseAttachmentUploadUrl.js';
import type { UploadUrlRequest } from '../core/presignedPutStrategy.js';
import { describeBodyText } from '../core/parseOssErrorResponse.js';
import { isUploadError, UploadError } from '../core/UploadError.js';
import { attachmentQueryKeys, DEFAULT_AUTHORIZATION_TIMEOUT_MS, isResponseLike } from './ossAuthorizationQuery.js';

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
      explained ? message.trim() : `The upload URL request failed with HTTP ${result.status}.`,
      { status: result.status },
    );
  }
  if (json === undefined) {
    const snippet = describeBodyText(text).slice(0, 80);
    throw new UploadError('upload-url-malformed', `The upload URL answer is not JSON: "${snippet}".`, {
      status: result.status,
    });
  }
  return parseAttachmentUploadUrl(json, { receivedAt, serverDate: result.headers.get('Date'), defaultContentType });
}

async function fetchAttachmentUploadUrl(
  options: UploadUrlMutationOptions,
  { file, signal }: UploadUrlRequest,
): Promise<AttachmentUploadUrl> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUTHORIZATION_TIMEOUT_MS;
  const timedOut = () => new UploadError('upload-url-timeout', `No answer within ${timeoutMs} ms.`);
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timedOut());
    }, timeoutMs);
  });
  try {
    if (signal.aborted) throw signal.reason;
    const result = await Promise.race([options.fetchUploadUrl({ file, signal: controller.signal }), timeout]);
    return await Promise.race([readAttachmentUploadUrl(result, options.uploadContentType), timeout]);
  } catch (error) {
    if (signal.aborted) throw new UploadError('canceled', 'The upload was canceled.', { cause: error });
    if (isUploadError(error)) throw error;
    if (controller.signal.aborted) throw timedOut();
    throw new UploadError(
      'upload-url-request-failed',
      `The upload URL request failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forwardAbort);
  }
}

/** A timeout or a 5xx/429/network failure gets one more try; a refusal or a bad answer would come back the same. */
function shouldRetryUploadUrl(failureCount: number, error: unknown): boolean {
  if (failureCount >= 1 || !isUploadError(error)) return false;
  if (error.code === 'upload-url-timeout') return true;
  return error.code === 'upload-url-request-failed' && (error.status === undefined || error.status >= 500 || error.status === 429);
}

/**
 * react-query options for one GetAttachmentUploadUrl call. A mutation, not a query: each call
 * issues a new object key and a URL that must never be shared or served from a cache, so nothing
 * is deduplicated or kept (`gcTime: 0`); react-query still runs the retry and shows it in devtools.
 */
export function uploadUrlMutationOptions(options: UploadUrlMutationOptions) {
  return mutationOptions({
    mutationKey: attachmentQueryKeys.uploadUrl(),
    mutationFn: (request: UploadUrlRequest) => fetchAttachmentUploadUrl(options, request),
    retry: shouldRetryUploadUrl,
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
