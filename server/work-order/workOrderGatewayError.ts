/**
 * The errors the RPC gateway answers before a request reaches the Work Order service, with their
 * HTTP statuses, and the JSON body they come in (docs/work-order-api.md §2).
 */

/** Gateway error codes, each with its HTTP status. */
export const WORK_ORDER_GATEWAY_ERROR_STATUS = {
  MissingParameter: 400,
  InvalidParameter: 400,
  // docs/work-order-api.md §2: the one gateway error that is a 404, not a 400.
  'InvalidAccessKeyId.NotFound': 404,
  SignatureDoesNotMatch: 400,
  SignatureNonceUsed: 400,
  'InvalidTimeStamp.Expired': 400,
  // Not in the docs' list: the codes and statuses below are what Alibaba's other RPC products
  // answer for the same faults, assumed here (the Work Order gateway's exact ones are unconfirmed).
  'InvalidTimeStamp.Format': 400,
  'InvalidSecurityToken.MismatchWithAccessKey': 400,
  InvalidVersion: 400,
  'InvalidAction.NotFound': 404,
  UnsupportedHTTPMethod: 405,
  RequestTooLarge: 413,
  InternalError: 500,
} as const;

export type WorkOrderGatewayErrorCode = keyof typeof WORK_ORDER_GATEWAY_ERROR_STATUS;

/** The gateway's error body: capitalised names, unlike the service's own envelope (docs/work-order-api.md §2). */
export interface WorkOrderGatewayErrorBody {
  RequestId: string;
  HostId: string;
  Code: WorkOrderGatewayErrorCode;
  Message: string;
  Recommend: string;
}

export interface WorkOrderGatewayErrorContext {
  requestId: string;
  hostId: string;
}

export function buildWorkOrderGatewayErrorBody(
  code: WorkOrderGatewayErrorCode,
  message: string,
  { requestId, hostId }: WorkOrderGatewayErrorContext,
): WorkOrderGatewayErrorBody {
  // The real Recommend is a link to Alibaba's troubleshooting page for this code and request.
  const recommend = `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Workorder&requestId=${encodeURIComponent(requestId)}`;
  return { RequestId: requestId, HostId: hostId, Code: code, Message: message, Recommend: recommend };
}

/** The MissingParameter wording Alibaba's RPC gateways use. */
export function missingParameterMessage(name: string): string {
  return `The input parameter "${name}" that is mandatory for processing this request is not supplied.`;
}
