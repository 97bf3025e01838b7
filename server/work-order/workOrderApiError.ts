import { WORK_ORDER_BUSINESS_ERRORS } from './legacyWorkOrderEnvelope.js';

/**
 * How a Work Order API call failed, in either API version (one error class for both clients: the
 * two generations fail in the same layers, so callers handle them alike):
 * - `gateway`: the API gateway refused the request (`code` is its `Code`, e.g. `SignatureDoesNotMatch`);
 * - `business`: the service answered `success: false` / `Success: false` (`businessCode` is the number;
 *   `code` is its name for the 2016-08-30 API, e.g. `ILLEGAL_PARAM` for -101, and the number as text
 *   for the 2021-06-10 API, whose codes have no published names);
 * - `timeout`: no answer within the client's timeout;
 * - `network`: the connection failed (refused, reset, DNS), or the optional SDK is not installed (2021 client);
 * - `malformed-response`: an answer that is neither JSON nor either envelope.
 */
export type WorkOrderApiErrorKind = 'gateway' | 'business' | 'timeout' | 'network' | 'malformed-response';

export interface WorkOrderApiErrorDetails {
  kind: WorkOrderApiErrorKind;
  /** The gateway's `Code`, the business error's name, or `timeout` / `network-error` / `malformed-response`. */
  code: string;
  /** The action called, as the client names it (`getOSSTempAuthor`, `add`, `QuestionReply`, `CreateTicket`, ...). */
  action: string;
  /** Only for `business`: the number the service answered. */
  businessCode?: number;
  /** The RequestId Alibaba support asks for, when the answer carried one. */
  requestId?: string;
  /** The HTTP status, when an answer arrived. */
  httpStatus?: number;
  cause?: unknown;
}

/** `ILLEGAL_PARAM` for -101, ... (docs/work-order-api.md §1); the number as text for a code the docs do not list. */
export function workOrderBusinessCodeName(code: number): string {
  const known = Object.entries(WORK_ORDER_BUSINESS_ERRORS).find(([, value]) => value === code);
  return known?.[0] ?? String(code);
}

/** Every failure of a Work Order API call, whatever layer it came from. */
export class WorkOrderApiError extends Error {
  override readonly name = 'WorkOrderApiError';
  readonly kind: WorkOrderApiErrorKind;
  readonly code: string;
  readonly action: string;
  readonly businessCode: number | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, details: WorkOrderApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.code = details.code;
    this.action = details.action;
    this.businessCode = details.businessCode;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
  }

  /** Worth trying again later: a busy service, a timeout or a dropped connection. */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.code === 'SYSTEM_BUSY';
  }
}
