/**
 * How a 2021-06-10 Work Order API call failed (the same kinds as the legacy client's error):
 * - `gateway`: the API gateway refused the call (`code` is its text Code, e.g. `SignatureDoesNotMatch`);
 * - `business`: the action answered HTTP 200 with `Success: false` (`code` is the number as text,
 *   `businessCode` the number);
 * - `timeout`: no answer within the read/connect timeout;
 * - `network`: the connection failed (refused, reset, DNS), or the SDK is not installed;
 * - `malformed-response`: an answer that is not the documented envelope (not JSON, a field of the wrong type).
 */
export type WorkOrder2021ErrorKind = 'gateway' | 'business' | 'timeout' | 'network' | 'malformed-response';

export interface WorkOrder2021ErrorDetails {
  kind: WorkOrder2021ErrorKind;
  /** The gateway's Code, the business Code as text, or `timeout` / `network-error` / `malformed-response`. */
  code: string;
  /** The action called (`GetAttachmentUploadUrl`, `CreateTicket`, ...). */
  action: string;
  /** Only for `business`: the number the service answered. */
  businessCode?: number;
  /** The RequestId Alibaba support asks for, when the answer carried one. */
  requestId?: string;
  /** The HTTP status, when an answer arrived. */
  httpStatus?: number;
  cause?: unknown;
}

/**
 * The one error the 2021-06-10 client throws (docs/work-order-api.md §1). Its fields are those of
 * the legacy client's `WorkOrderApiError`, so callers (and a later merge of the two) treat both alike.
 */
export class WorkOrder2021Error extends Error {
  override readonly name = 'WorkOrder2021Error';
  readonly kind: WorkOrder2021ErrorKind;
  readonly code: string;
  readonly action: string;
  readonly businessCode: number | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, details: WorkOrder2021ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.code = details.code;
    this.action = details.action;
    this.businessCode = details.businessCode;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
  }

  /** Worth trying again later: a timeout or a dropped connection. */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network';
  }
}
