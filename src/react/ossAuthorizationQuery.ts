import { queryOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { getAuthorizationUsableUntil, isAuthorizationUsable } from '../core/authorizationExpiry.js';
import type { AuthorizeRequest } from '../core/postPolicyStrategy.js';
import { parseOssAuthorization } from '../core/parseOssAuthorization.js';
import type { OssAuthorization, OssTempAuthorData, OssTempAuthorEnvelope } from '../core/parseOssAuthorization.js';
import { describeBodyText } from '../core/parseOssErrorResponse.js';
import { isUploadError, UploadError } from '../core/UploadError.js';
import type { UploadErrorCode } from '../core/UploadError.js';

/**
 * What `fetchAuthorization` may resolve to: the `Response` of your getOSSTempAuthor endpoint (read
 * for you; its `Date` header then corrects a wrong client clock), the parsed envelope, or bare `data`.
 */
export type FetchAuthorizationResult = Response | OssTempAuthorEnvelope | OssTempAuthorData;

/** Fetches a getOSSTempAuthor answer; `signal` aborts when the request times out. */
export type FetchAuthorization = (context: { signal: AbortSignal }) => Promise<FetchAuthorizationResult>;

/** Query keys of this library, from one factory. */
export const attachmentQueryKeys = {
  all: ['ticket-attachment-uploader'] as const,
  /** One cache entry per authorization source; uploaders with the same `authorizationKey` share it. */
  authorization: (authorizationKey = 'getOSSTempAuthor') => ['ticket-attachment-uploader', 'authorization', authorizationKey] as const,
  /** The mutation key of every presigned PUT URL request (one mutation per file, never cached). */
  uploadUrl: () => ['ticket-attachment-uploader', 'upload-url'] as const,
};

export interface OssAuthorizationQueryOptions {
  fetchAuthorization: FetchAuthorization;
  /** Cache key of the authorization source. Default `'getOSSTempAuthor'`. */
  authorizationKey?: string;
  /** An authorization request with no answer after this long fails with `authorization-timeout`. Default 15,000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_AUTHORIZATION_TIMEOUT_MS = 15_000;

export interface ResponseLike {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

// Duck-typed: a Response from another realm (an iframe, jsdom vs Node) fails `instanceof Response`.
export function isResponseLike(value: unknown): value is ResponseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ResponseLike).text === 'function' &&
    typeof (value as ResponseLike).status === 'number' &&
    typeof (value as ResponseLike).headers?.get === 'function'
  );
}

/** Turns whatever `fetchAuthorization` resolved to into a checked `OssAuthorization`. */
export async function readOssAuthorization(result: unknown, receivedAt = Date.now()): Promise<OssAuthorization> {
  if (!isResponseLike(result)) return parseOssAuthorization(result, { receivedAt });
  if (!result.ok) {
    throw new UploadError('authorization-request-failed', `The request failed with HTTP ${result.status}.`, {
      status: result.status,
    });
  }
  const serverDate = result.headers.get('Date');
  const text = await result.text();
  if (text.trim() === '') {
    throw new UploadError('authorization-malformed', 'The answer is empty.', { status: result.status });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const snippet = describeBodyText(text).slice(0, 80);
    throw new UploadError('authorization-malformed', `The answer is not JSON: "${snippet}".`, {
      status: result.status,
      cause,
    });
  }
  return parseOssAuthorization(json, { receivedAt, serverDate });
}

/** The codes of one kind of request: what a request with no answer in time fails with, and what any other failure does. */
export type RequestFailureCodes = readonly [timeout: UploadErrorCode, failed: UploadErrorCode];

/**
 * Runs the app's `request` and the `read` of its answer against one timer (shared by the authorization query and the
 * upload URL mutation): no answer within `timeoutMs` fails with the timeout code, anything thrown that is not an
 * `UploadError` with the failed code. The request's signal aborts on timeout and when the caller's `signal` does
 * (which rejects with `canceled`).
 */
export async function requestWithTimeout<R, T>(
  [timeoutCode, failedCode]: RequestFailureCodes,
  timeoutMs: number,
  request: (signal: AbortSignal) => Promise<R>,
  read: (result: R) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const timedOut = () => new UploadError(timeoutCode, `No answer within ${timeoutMs} ms.`);
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timedOut());
    }, timeoutMs);
  });
  try {
    if (signal?.aborted) throw signal.reason;
    const result = await Promise.race([request(controller.signal), timeout]);
    return await Promise.race([read(result), timeout]);
  } catch (error) {
    if (signal?.aborted) throw new UploadError('canceled', 'The upload was canceled.', { cause: error });
    if (isUploadError(error)) throw error;
    if (controller.signal.aborted) throw timedOut();
    throw new UploadError(failedCode, `The request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

/** A react-query `retry`: a timeout or a 5xx/429/network failure gets one more try; a refusal or a bad answer would come back the same. */
export function retryTransientFailure([timeoutCode, failedCode]: RequestFailureCodes) {
  return (failureCount: number, error: unknown): boolean => {
    if (failureCount >= 1 || !isUploadError(error)) return false;
    if (error.code === timeoutCode) return true;
    return error.code === failedCode && (error.status === undefined || error.status >= 500 || error.status === 429);
  };
}

const AUTHORIZATION_FAILURES: RequestFailureCodes = ['authorization-timeout', 'authorization-request-failed'];

/**
 * react-query options for the shared authorization: fresh until its expiry minus the safety
 * margin, so every file and every uploader on the page reuses one answer while it is usable.
 */
export function ossAuthorizationQueryOptions(options: OssAuthorizationQueryOptions) {
  return queryOptions({
    queryKey: attachmentQueryKeys.authorization(options.authorizationKey),
    // The query's own AbortSignal is deliberately not used: react-query aborts a fetch whose signal was read once its
    // last observer unmounts (StrictMode's double mount, a closed dialog), and a shared authorization is worth
    // finishing for the next uploader. The signal passed on only fires on timeout.
    queryFn: () =>
      requestWithTimeout(
        AUTHORIZATION_FAILURES,
        options.timeoutMs ?? DEFAULT_AUTHORIZATION_TIMEOUT_MS,
        (signal) => options.fetchAuthorization({ signal }),
        readOssAuthorization,
      ),
    staleTime: (query) => {
      const auth = query.state.data;
      return auth ? Math.max(0, getAuthorizationUsableUntil(auth) - Date.now()) : 0;
    },
    // A stale authorization is useless: drop it soon after nobody needs it.
    gcTime: 5 * 60_000,
    retry: retryTransientFailure(AUTHORIZATION_FAILURES),
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/**
 * The queue's `authorize`: the cached authorization while usable (returned as it is, so the file
 * starts in the same task), else one refetch shared by every file that asks at the same time
 * (react-query dedupes in-flight fetches of one key).
 */
export function authorizeFromQueryClient(
  queryClient: QueryClient,
  options: OssAuthorizationQueryOptions,
  request: Pick<AuthorizeRequest, 'rejected'>,
): OssAuthorization | Promise<OssAuthorization> {
  const query = ossAuthorizationQueryOptions(options);
  const cached = queryClient.getQueryData(query.queryKey);
  if (cached && cached !== request.rejected && isAuthorizationUsable(cached, Date.now())) return cached;
  // staleTime 0: the cached one is missing, stale or refused by OSS. A fetch already running for this
  // key (the mount prefetch, another file) is joined rather than repeated.
  return queryClient.fetchQuery({ ...query, staleTime: 0 });
}
