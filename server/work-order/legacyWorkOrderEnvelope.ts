/** docs/work-order-api.md §1: the legacy generation's API version. */
export const LEGACY_WORK_ORDER_API_VERSION = '2016-08-30';

/**
 * The `data` of a getOSSTempAuthor answer (docs/work-order-api.md §1): a POST policy for the
 * attachment bucket. Further fields (V4 form fields, an STS token) travel along untouched.
 */
export interface WorkOrderOssAuthorization {
  accessId: string;
  policy: string;
  signature: string;
  dir: string;
  host: string;
  /** Unix seconds; the docs' example sends a string. */
  expire: string | number;
}

/** Business error codes of the legacy API (docs/work-order-api.md §1). */
export const WORK_ORDER_BUSINESS_ERRORS = {
  ILLEGAL_AUTH: -121,
  ILLEGAL_PARAM: -101,
  ILLEGAL_PARAM_EMPTY: -104,
  SYSTEM_BUSY: -153,
} as const;

export type WorkOrderBusinessErrorName = keyof typeof WORK_ORDER_BUSINESS_ERRORS;

/**
 * A successful answer in the service's own envelope: lower-case names, unlike the gateway's errors
 * (docs/work-order-api.md §1). The docs' example writes `code` as the string "200" and its table as
 * a number, and shows `success` both as a boolean and as a string, so a reader accepts either.
 */
export interface WorkOrderSuccessEnvelope<TData> {
  success: true | 'true';
  code: number | string;
  message: string;
  data: TData;
}

/** A business error: HTTP 200 with `success: false` and a negative `code` (docs/work-order-api.md §1). */
export interface WorkOrderFailureEnvelope {
  success: false | 'false';
  code: number | string;
  message: string;
}

export type LegacyWorkOrderEnvelope<TData> = WorkOrderSuccessEnvelope<TData> | WorkOrderFailureEnvelope;
