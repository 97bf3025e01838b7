export { TicketAttachmentUploader, type TicketAttachmentUploaderProps } from './components/TicketAttachmentUploader';
export {
  useTicketAttachmentUpload,
  toAcceptAttribute,
  type UseTicketAttachmentUploadOptions,
  type UseTicketAttachmentUploadResult,
} from './components/useTicketAttachmentUpload';
export { AttachmentRow, AttachedPathRow, type AttachmentRowProps, type AttachedPathRowProps } from './components/AttachmentRow';
export {
  uploaderMessages,
  resolveMessages,
  describeUploadError,
  formatFileSize,
  type UploaderLocale,
  type UploaderMessages,
  type UploaderMessagesOverrides,
} from './components/uploaderMessages';
export { useAttachmentUploads, type UseAttachmentUploadsOptions, type UseAttachmentUploadsResult, type AuthorizationStatus } from './react/useAttachmentUploads';
export {
  ossAuthorizationQueryOptions,
  attachmentQueryKeys,
  readOssAuthorization,
  authorizeFromQueryClient,
  DEFAULT_AUTHORIZATION_TIMEOUT_MS,
  type FetchAuthorization,
  type OssAuthorizationQueryOptions,
} from './react/ossAuthorizationQuery';

export { UploadError, UploadErrorCode, isUploadError, isAuthorizationErrorCode, type UploadErrorOptions } from './core/UploadError';
export {
  parseOssAuthorization,
  type OssAuthorization,
  type RawOssAuthorization,
  type OssSignatureV4Fields,
  type ParseOssAuthorizationContext,
} from './core/parseOssAuthorization';
export { decodeOssPolicy, encodeOssPolicy, type OssPostPolicy, type OssPolicyDocument, type OssPolicyCondition } from './core/decodeOssPolicy';
export {
  isAuthorizationUsable,
  isAuthorizationExpiredOnArrival,
  getAuthorizationUsableUntil,
  getAuthorizationLifetime,
  getSafetyMargin,
  MAX_SAFETY_MARGIN_MS,
  ASSUMED_LIFETIME_MS,
} from './core/authorizationExpiry';
export { buildObjectKey, sanitizeFileName, joinKeyPrefix, MAX_OBJECT_KEY_BYTES } from './core/buildObjectKey';
export {
  validateFile,
  validateFiles,
  isAcceptedType,
  getEffectiveSizeRange,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_MAX_FILES,
  type AcceptMap,
  type FileLimits,
  type FileDescription,
  type FileRejection,
} from './core/validateFile';
export {
  postObject,
  buildPostObjectForm,
  buildContentDisposition,
  resolveUploadUrl,
  DEFAULT_STALL_TIMEOUT_MS,
  type PostObjectRequest,
  type PostObjectResult,
} from './core/postObject';
export { parseOssErrorResponse, isRetryableUploadError } from './core/parseOssErrorResponse';
export { createUploadQueue, type UploadQueue, type UploadQueueOptions, type AuthorizeRequest } from './core/createUploadQueue';
export type { FileUpload, FileUploadStatus, UploadState } from './core/uploadReducer';
export { selectIsBusy, selectPaths, selectTotals, selectFilePercent, isFileBusy, type UploadTotals } from './core/uploadSelectors';
export { toAttachmentsParam, MAX_TICKET_ATTACHMENTS } from './core/toAttachmentsParam';
