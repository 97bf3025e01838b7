import { randomUUID } from 'node:crypto';

/**
 * The answers of the 2021-06-10 Work Order API (docs/work-order-api.md §1, §2): a success or
 * business-error envelope `{ Code, Message, RequestId, Success, Data }` with `Code` 0 on success,
 * and the gateway's own errors (signature, parameters) as `{ RequestId, HostId, Code, Message, Recommend }`.
 */

/** A gateway error: HTTP status, text Code and Message (§2 names the codes; wording per product is [U]). */
export interface WorkOrder2021GatewayError {
  status: number;
  code: string;
  message: string;
}

export const workOrder2021GatewayErrors = {
  incompleteSignature: (detail: string): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'IncompleteSignature',
    message: `The request signature does not conform to Aliyun standards. ${detail}`,
  }),
  // §2: the gateway prints the StringToSign it computed, so a client can compare.
  signatureDoesNotMatch: (stringToSign: string): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'SignatureDoesNotMatch',
    message: `Specified signature does not match our calculation. server string to sign is:${stringToSign}`,
  }),
  // [U] no public code for a body that does not hash to x-acs-content-sha256; reported as a mismatch.
  contentSha256Mismatch: (): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'SignatureDoesNotMatch',
    message: 'Specified x-acs-content-sha256 does not match the request body.',
  }),
  accessKeyNotFound: (): WorkOrder2021GatewayError => ({
    status: 404,
    code: 'InvalidAccessKeyId.NotFound',
    message: 'Specified access key is not found.',
  }),
  // [U] the STS codes follow the common error list.
  securityTokenMismatch: (): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    message: 'Specified SecurityToken mismatch with the AccessKey.',
  }),
  nonceUsed: (): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'SignatureNonceUsed',
    message: 'Specified signature nonce was used already.',
  }),
  timestampFormat: (): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'InvalidTimeStamp.Format',
    message: 'Specified time stamp or date value is not well formatted.',
  }),
  timestampExpired: (): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'InvalidTimeStamp.Expired',
    message: 'Specified time stamp or date value is expired.',
  }),
  unsupportedVersion: (version: string): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'InvalidVersion',
    message: `Specified parameter Version "${version}" is not valid.`,
  }),
  actionNotFound: (action: string): WorkOrder2021GatewayError => ({
    status: 404,
    code: 'InvalidAction.NotFound',
    message: `Specified api "${action}" is not found, please check your url and method.`,
  }),
  missingParameter: (name: string): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'MissingParameter',
    message: `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  }),
  invalidParameter: (name: string, why: string): WorkOrder2021GatewayError => ({
    status: 400,
    code: 'InvalidParameter',
    message: `The specified parameter "${name}" is not valid: ${why}`,
  }),
  bodyTooLarge: (): WorkOrder2021GatewayError => ({
    status: 413,
    code: 'RequestEntityTooLarge',
    message: 'The request body is too large.',
  }),
} as const;

/**
 * Business errors answer HTTP 200 with `Success: false` and a numeric `Code` (the SDK types `Code`
 * as a number, §6). [U] The service's own numbers are not published; these are the emulator's.
 */
export const WorkOrder2021BusinessCode = {
  InvalidFileName: 1001,
  TooManyAttachments: 1002,
  AttachmentNotIssued: 1003,
  AttachmentNotUploaded: 1004,
  TicketNotFound: 1005,
  InvalidSeverity: 1006,
} as const;

export type WorkOrder2021BusinessCode = (typeof WorkOrder2021BusinessCode)[keyof typeof WorkOrder2021BusinessCode];

export interface WorkOrder2021BusinessError {
  code: WorkOrder2021BusinessCode;
  message: string;
}

export function createWorkOrder2021RequestId(): string {
  return randomUUID().toUpperCase();
}

function json(status: number, body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
  });
}

export function gatewayErrorResponse(error: WorkOrder2021GatewayError, requestId: string, hostId: string): Response {
  return json(
    error.status,
    {
      RequestId: requestId,
      HostId: hostId,
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Workorder`,
    },
    requestId,
  );
}

export function successResponse(data: unknown, requestId: string): Response {
  return json(200, { Code: 0, Message: 'Success', RequestId: requestId, Success: true, Data: data }, requestId);
}

export function businessErrorResponse(error: WorkOrder2021BusinessError, requestId: string): Response {
  return json(200, { Code: error.code, Message: error.message, RequestId: requestId, Success: false }, requestId);
}
