// Public `ticket-attachment-uploader/server` entry: the getOSSTempAuthor signer (node:crypto), and the
// Work Order client and handler (Alibaba's @alicloud/pop-core, an optional peer dependency imported on
// first use); never the emulators or anything that pulls in busboy. test/server/index.test.ts pins this list.
export { buildGetOssTempAuthorEnvelope, createOssTempAuthorization } from './signer/ossPostPolicySigner.js';
export type {
  CreateOssTempAuthorizationOptions,
  GetOssTempAuthorEnvelope,
  OssSignatureVersion,
  OssTempAuthorization,
  OssTempAuthorizationV1,
  OssTempAuthorizationV4,
  PostPolicyCondition,
  PostPolicyDocument,
} from './signer/ossPostPolicySigner.js';
export { createWorkOrderClient } from './work-order/workOrderClient.js';
export type { AddTicketParams, QuestionReplyParams, WorkOrderClient, WorkOrderClientOptions } from './work-order/workOrderClient.js';
export { WorkOrderApiError } from './work-order/workOrderApiError.js';
export type { WorkOrderApiErrorDetails, WorkOrderApiErrorKind } from './work-order/workOrderApiError.js';
export { LEGACY_WORK_ORDER_API_VERSION, WORK_ORDER_BUSINESS_ERRORS } from './work-order/legacyWorkOrderEnvelope.js';
export type {
  LegacyWorkOrderEnvelope,
  WorkOrderBusinessErrorName,
  WorkOrderFailureEnvelope,
  WorkOrderOssAuthorization,
  WorkOrderSuccessEnvelope,
} from './work-order/legacyWorkOrderEnvelope.js';
export { createGetOssTempAuthorHandler } from './work-order/getOssTempAuthorHandler.js';
export type { GetOssTempAuthorErrorBody, GetOssTempAuthorHandlerOptions } from './work-order/getOssTempAuthorHandler.js';
export { toNodeHandler } from './work-order/toNodeHandler.js';
export type { NodeRequestHandler, ToNodeHandlerOptions, WebRequestHandler } from './work-order/toNodeHandler.js';
