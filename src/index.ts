// The public browser entry. Everything here is documented in README "API"; the exact list is pinned
// by test/package/publicApi.test.ts, so adding or dropping an export is a deliberate change.
// Everything else in src/ is internal (tests import it from its own module).

// The component and the hook for a custom UI.
export { TicketAttachmentUploader, type TicketAttachmentUploaderProps } from './components/TicketAttachmentUploader.js';
export {
  useTicketAttachmentUpload,
  type UseTicketAttachmentUploadOptions,
  type UseTicketAttachmentUploadResult,
} from './react/useTicketAttachmentUpload.js';
export type {
  AuthorizationStatus,
  PostPolicyModeOptions,
  PresignedPutModeOptions,
  UploadRelayModeOptions,
} from './react/useAttachmentUploadState.js';

// Shrinking images over the size limit (`shrinkImages`, and `shrinkImage` to replace the shrinker).
export type { ShrinkImagesMode } from './react/useAttachmentUploadState.js';
export type { ShrinkImage, ShrinkImageOptions, ShrunkImage } from './core/ShrinkImage.js';

// What `fetchAuthorization` returns, and the shared react-query authorization.
export {
  ossAuthorizationQueryOptions,
  attachmentQueryKeys,
  type FetchAuthorization,
  type FetchAuthorizationResult,
  type OssAuthorizationQueryOptions,
} from './react/ossAuthorizationQuery.js';
export {
  parseOssAuthorization,
  type OssAuthorization,
  type OssTempAuthorData,
  type OssTempAuthorEnvelope,
} from './core/parseOssAuthorization.js';

// Presigned PUT mode: what `fetchUploadUrl` returns (GetAttachmentUploadUrl, Work Order API 2021-06-10).
export { type FetchUploadUrl, type FetchUploadUrlResult } from './react/uploadUrlMutation.js';
export {
  parseAttachmentUploadUrl,
  type AttachmentUploadUrl,
  type AttachmentUploadUrlData,
  type AttachmentUploadUrlEnvelope,
} from './core/parseAttachmentUploadUrl.js';

// Errors.
export { UploadError, UploadErrorCode, isUploadError } from './core/UploadError.js';

// What a custom UI renders: files, rejections, progress, texts.
export type { FileUpload, FileUploadStatus } from './core/uploadReducer.js';
export type { FileRejection } from './core/validateFile.js';
export type { AcceptMap } from './core/AcceptMap.js';
export { selectFilePercent, type UploadTotals } from './core/uploadSelectors.js';
export {
  uploaderMessages,
  resolveMessages,
  describeUploadError,
  formatFileSize,
  type UploaderLocale,
  type UploaderMessages,
  type UploaderMessagesOverrides,
} from './components/uploaderMessages.js';

// The transports behind the `send` prop (POST policy mode, presigned PUT mode, through a relay).
export { postObject, type PostObjectRequest, type PostObjectResult } from './core/postObject.js';
export { putObject, type PutObjectRequest, type PutObjectResult } from './core/putObject.js';
export { relayPutObject, type RelayPutObjectRequest } from './core/relayPutObject.js';

// The ticket API's `attachments` (2016-08-30) and `FileNameList` (2021-06-10) parameters.
export { toAttachmentsParam, toFileNameList, MAX_TICKET_ATTACHMENTS } from './core/toAttachmentsParam.js';
