export { TicketAttachmentUploader, type TicketAttachmentUploaderProps } from './components/TicketAttachmentUploader.js';
export {
  useTicketAttachmentUpload,
  type UseTicketAttachmentUploadOptions,
  type UseTicketAttachmentUploadResult,
} from './react/useTicketAttachmentUpload.js';
export { AttachmentRow, AttachedPathRow, type AttachmentRowProps, type AttachedPathRowProps } from './components/AttachmentRow.js';
export {
  uploaderMessages,
  resolveMessages,
  describeUploadError,
  formatFileSize,
  type UploaderLocale,
  type UploaderMessages,
  type UploaderMessagesOverrides,
} from './components/uploaderMessages.js';
export type { AuthorizationStatus } from './react/useAttachmentUploadState.js';
export {
  ossAuthorizationQueryOptions,
  attachmentQueryKeys,
  readOssAuthorization,
  authorizeFromQueryClient,
  DEFAULT_AUTHORIZATION_TIMEOUT_MS,
  type FetchAuthorization,
  type FetchAuthorizationResult,
  type OssAuthorizationQueryOptions,
} from './react/ossAuthorizationQuery.js';

export { UploadError, UploadErrorCode, isUploadError, isAuthorizationErrorCode, type UploadErrorOptions } from './core/UploadError.js';
export {
  parseOssAuthorization,
  type OssAuthorization,
  type RawOssAuthorization,
  type OssTempAuthorData,
  type OssTempAuthorEnvelope,
  type OssSignatureV4Fields,
  type ParseOssAuthorizationContext,
} from './core/parseOssAuthorization.js';
export { decodeOssPolicy, encodeOssPolicy, type OssPostPolicy, type OssPolicyDocument, type OssPolicyCondition } from './core/decodeOssPolicy.js';
export {
  isAuthorizationUsable,
  isAuthorizationExpiredOnArrival,
  getAuthorizationUsableUntil,
  getAuthorizationLifetime,
  getSafetyMargin,
  MAX_SAFETY_MARGIN_MS,
  ASSUMED_LIFETIME_MS,
} from './core/authorizationExpiry.js';
export { buildObjectKey, sanitizeFileName, joinKeyPrefix, MAX_OBJECT_KEY_BYTES } from './core/buildObjectKey.js';
export {
  validateFile,
  validateFiles,
  getEffectiveSizeRange,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_MAX_FILES,
  type FileLimits,
  type FileDescription,
  type FileRejection,
} from './core/validateFile.js';
export {
  postObject,
  buildPostObjectForm,
  buildContentDisposition,
  resolveUploadUrl,
  DEFAULT_STALL_TIMEOUT_MS,
  type PostObjectRequest,
  type PostObjectResult,
} from './core/postObject.js';
export { parseOssErrorResponse, isRetryableUploadError } from './core/parseOssErrorResponse.js';
export { createUploadQueue, type UploadQueue, type UploadQueueOptions, type AuthorizeRequest } from './core/createUploadQueue.js';
export type { FileUpload, FileUploadStatus, UploadState } from './core/uploadReducer.js';
export { selectIsBusy, selectPaths, selectTotals, selectFilePercent, isFileBusy, type UploadTotals } from './core/uploadSelectors.js';
export { toAttachmentsParam, MAX_TICKET_ATTACHMENTS } from './core/toAttachmentsParam.js';
export { isAcceptedType, toAcceptAttribute, type AcceptMap } from './core/AcceptMap.js';
