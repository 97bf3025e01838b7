import { noStoreJsonResponse } from './noStoreJsonResponse.js';
import { WorkOrderApiError } from './workOrderApiError.js';
import type { WorkOrderClient } from './workOrderClient.js';
import type { WebRequestHandler } from './toNodeHandler.js';

export interface GetOssTempAuthorHandlerOptions {
  /** Usually {@link createWorkOrderClient}'s; only `getOSSTempAuthor` is used. */
  client: Pick<WorkOrderClient, 'getOSSTempAuthor'>;
  /**
   * Called first with the incoming request; `false` answers 429 without calling the Work Order
   * API. Identify the user from the request (session cookie, auth header) and count there.
   */
  rateLimit?: (request: Request) => boolean | Promise<boolean>;
  /** Sees every failure with all its details, for your server log. The browser gets a summary. */
  onError?: (error: unknown, request: Request) => void;
  /** Clock of the `Date` header. Default: `() => new Date()`. */
  now?: () => Date;
}

/** The body of every non-200 answer. */
export interface GetOssTempAuthorErrorBody {
  error: { code: string; message: string; requestId: string | null };
}

/** What the browser learns of a failure: the code and RequestId, in words of our own (never the upstream's text). */
const UPSTREAM_MESSAGES: Record<WorkOrderApiError['kind'], string> = {
  gateway: "The Work Order API refused the request; check the server's AccessKey and clock.",
  business: 'The Work Order API could not issue an upload authorization.',
  timeout: 'The Work Order API did not answer in time.',
  network: 'The Work Order API could not be reached.',
  'malformed-response': 'The Work Order API answered something unexpected.',
};

/**
 * `GET /api/getOSSTempAuthor` for the browser uploader: calls the Work Order API with the server's
 * AccessKey and answers its envelope untouched. The answer is never cached (each one holds a fresh
 * dir and a short-lived policy) and carries a `Date` header the uploader uses to correct a wrong
 * client clock. Failures answer `{ error: { code, message, requestId } }`: 504 when the Work Order
 * API timed out, 502 for anything else it did, 500 for a failure here. No secret or stack trace
 * ever leaves the server.
 *
 * A web-standard handler: export it as `GET` from a Next.js route handler, or wrap it with
 * {@link toNodeHandler} for `node:http` and Express.
 */
export function createGetOssTempAuthorHandler(options: GetOssTempAuthorHandlerOptions): WebRequestHandler {
  const now = options.now ?? (() => new Date());
  const json = (status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response =>
    noStoreJsonResponse(status, body, { Date: now().toUTCString(), ...extraHeaders });
  const failure = (status: number, code: string, message: string, requestId?: string, extraHeaders?: Record<string, string>): Response =>
    json(status, { error: { code, message, requestId: requestId ?? null } } satisfies GetOssTempAuthorErrorBody, extraHeaders);

  return async (request) => {
    if (request.method !== 'GET') return failure(405, 'method-not-allowed', 'Use GET.', undefined, { Allow: 'GET' });
    try {
      if (options.rateLimit !== undefined && !(await options.rateLimit(request))) {
        return failure(429, 'rate-limited', 'Too many authorization requests; try again shortly.');
      }
      return json(200, await options.client.getOSSTempAuthor());
    } catch (error) {
      try {
        options.onError?.(error, request);
      } catch {
        // A failing logger must not turn the answer into a crash.
      }
      if (error instanceof WorkOrderApiError) {
        return failure(error.kind === 'timeout' ? 504 : 502, error.code, UPSTREAM_MESSAGES[error.kind], error.requestId);
      }
      return failure(500, 'internal-error', 'The authorization could not be issued.');
    }
  };
}
