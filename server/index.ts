// Public `ticket-attachment-uploader/server` entry: the getOSSTempAuthor signer (node:crypto), the
// Work Order 2016-08-30 client and handler (Alibaba's @alicloud/pop-core) and the 2021-06-10 client and
// handler (@alicloud/workorder20210610), both SDKs optional peer dependencies imported on first use;
// never the emulators or anything that pulls in busboy. test/server/index.test.ts pins this list.
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
export { createWorkOrder2021Client } from './work-order/workOrder2021Client.js';
export type {
  WorkOrder2021Client,
  WorkOrder2021ClientOptions,
  WorkOrder2021CreateTicketInput,
  WorkOrder2021ReplyTicketInput,
  WorkOrder2021TicketDetails,
  WorkOrder2021TicketNote,
  WorkOrder2021UploadUrl,
} from './work-order/workOrder2021Client.js';
export { createAttachmentUploadUrlHandler, DEFAULT_ATTACHMENT_CONTENT_TYPE } from './work-order/attachmentUploadUrlHandler.js';
export type {
  AttachmentUploadUrlAnswer,
  AttachmentUploadUrlErrorAnswer,
  AttachmentUploadUrlHandlerOptions,
} from './work-order/attachmentUploadUrlHandler.js';
export { MAX_ATTACHMENT_FILE_NAME_LENGTH, validateAttachmentFileName } from './work-order/validateAttachmentFileName.js';
export { createAttachmentUploadRelayHandler, DEFAULT_RELAY_MAX_BYTES } from './work-order/attachmentUploadRelayHandler.js';
export type {
  AttachmentUploadRelayAnswer,
  AttachmentUploadRelayErrorAnswer,
  AttachmentUploadRelayHandlerOptions,
} from './work-order/attachmentUploadRelayHandler.js';
