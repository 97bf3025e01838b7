import { isAuthorizationErrorCode } from '../core/UploadError.js';
import type { UploadError, UploadErrorCode } from '../core/UploadError.js';
import { MAX_TICKET_ATTACHMENTS } from '../core/toAttachmentsParam.js';

export type UploaderLocale = 'en' | 'zh-CN';

/** Every string the component renders or announces; pass a partial object as `messages` to override any. */
export interface UploaderMessages {
  /** The drop zone's visible title and accessible name. */
  dropzoneLabel: string;
  /** How to add files (shown under the title, read as its description). */
  dropzoneTitle: string;
  /** Replaces `dropzoneTitle` while files are dragged over. */
  dropzoneActive: string;
  dropzoneHint: (limits: { maxFiles: number; maxFileSize: string; types: string | null }) => string;
  /** A wildcard type of `accept` in the hint, by its group: `image` for `image/*`. */
  typeGroup: (group: string) => string;
  /** Joins the accepted types of the hint (and the names of added files). */
  list: (items: readonly string[]) => string;
  /** Joins sentences: a space in English, nothing after Chinese full stops. */
  sentences: (parts: readonly string[]) => string;
  /** Between a refused file's name and its reason. */
  rejectionSeparator: string;
  inputLabel: string;
  listLabel: string;
  rejectionsTitle: string;
  dismiss: string;
  /** Visible button texts; the accessible names below add the file name. */
  retryText: string;
  cancelText: string;
  removeText: string;
  retry: (name: string) => string;
  cancel: (name: string) => string;
  remove: (name: string) => string;
  retryAuthorization: string;
  progressLabel: (name: string) => string;
  /** The offer on the row of an image over the limit (`shrinkImages: 'offer'`); its accessible name adds the file name. */
  shrinkText: (limit: string) => string;
  /** After the sizes of a shrunk image ("5.8 MB → 1.9 MB"): re-encoding dropped its metadata, GPS included. */
  locationRemoved: string;
  status: {
    queued: string;
    retrying: (attempt: number) => string;
    /** The device is offline: the file starts by itself once the connection returns. */
    waitingForConnection: string;
    authorizing: string;
    shrinking: string;
    uploading: (percent: number) => string;
    /** Every byte sent, waiting for storage to confirm. */
    confirming: string;
    done: string;
    failed: string;
    canceled: string;
    attached: string;
  };
  summary: (totals: { done: number; count: number; percent: number; failed: number; busy: boolean }) => string;
  announce: {
    added: (names: string[]) => string;
    rejected: (name: string, reason: string) => string;
    uploaded: (name: string) => string;
    failed: (name: string, reason: string) => string;
    removed: (name: string) => string;
    /** Said once when the connection drops while files still need it. */
    offline: string;
  };
  /** The alert's first sentence; the reason follows. */
  authorizationFailed: string;
  /** The backend answered the authorization request with an HTTP error (a 404 of a missing route, a 500). */
  authorizationHttpError: (status: number) => string;
  /** A row that failed for want of an authorization: short, the alert above gives the reason. */
  authorizationMissing: string;
  /** The backend's own words after a refusal (`success: false`). */
  serverMessage: (message: string) => string;
  /** Appended to size rejections: the file's size against the limit. */
  sizeDetail: (size: string, limit: string) => string;
  errors: Record<UploadErrorCode, string>;
}

/** Overrides for `messages`: any top-level string, and any single entry of `status`, `announce` or `errors`. */
export type UploaderMessagesOverrides = Partial<Omit<UploaderMessages, 'status' | 'announce' | 'errors'>> & {
  status?: Partial<UploaderMessages['status']>;
  announce?: Partial<UploaderMessages['announce']>;
  errors?: Partial<UploaderMessages['errors']>;
};

// Building an Intl.NumberFormat is costly, and a long list formats every row's size on each render.
const sizeFormats = new Map<UploaderLocale, Intl.NumberFormat>();

export function formatFileSize(bytes: number, locale: UploaderLocale = 'en'): string {
  let numberFormat = sizeFormats.get(locale);
  if (!numberFormat) {
    numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    sizeFormats.set(locale, numberFormat);
  }
  const format = (value: number, unit: string) => `${(numberFormat as Intl.NumberFormat).format(value)} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'KB');
  return format(bytes / 1024 / 1024, 'MB');
}

const en: UploaderMessages = {
  dropzoneLabel: 'Attach files',
  dropzoneTitle: 'Drag files here, paste, or click to browse',
  dropzoneActive: 'Drop the files to attach them',
  dropzoneHint: ({ maxFiles, maxFileSize, types }) =>
    `Up to ${maxFiles} file${maxFiles === 1 ? '' : 's'}, ${maxFileSize} each${types ? ` · ${types}` : ''}`,
  typeGroup: (group) => ({ image: 'images', video: 'videos', audio: 'audio', text: 'text files' })[group] ?? `${group} files`,
  list: (items) => items.join(', '),
  sentences: (parts) => parts.join(' '),
  rejectionSeparator: ' — ',
  inputLabel: 'Choose files to attach',
  listLabel: 'Attachments',
  rejectionsTitle: 'Not attached',
  dismiss: 'Dismiss',
  retryText: 'Retry',
  cancelText: 'Cancel',
  removeText: 'Remove',
  retry: (name) => `Retry ${name}`,
  cancel: (name) => `Cancel ${name}`,
  remove: (name) => `Remove ${name}`,
  retryAuthorization: 'Try again',
  progressLabel: (name) => `Uploading ${name}`,
  shrinkText: (limit) => `Shrink to fit (≤ ${limit})`,
  locationRemoved: 'location data removed',
  status: {
    queued: 'Waiting',
    retrying: (attempt) => `Retrying (attempt ${attempt})`,
    waitingForConnection: 'Waiting for connection',
    authorizing: 'Preparing upload',
    shrinking: 'Shrinking…',
    uploading: (percent) => `Uploading ${percent}%`,
    confirming: 'Saving…',
    done: 'Uploaded',
    failed: 'Failed',
    canceled: 'Canceled',
    attached: 'Attached',
  },
  summary: ({ done, count, percent, failed, busy }) =>
    `${done} of ${count} uploaded${busy ? ` · ${percent}%` : ''}${failed > 0 ? ` · ${failed} failed` : ''}`,
  announce: {
    added: (names) => `Added ${names.join(', ')}.`,
    rejected: (name, reason) => `${name} was not attached: ${reason}`,
    uploaded: (name) => `${name} uploaded.`,
    failed: (name, reason) => `${name} failed: ${reason}`,
    removed: (name) => `${name} removed.`,
    offline: 'You are offline. Uploads will continue when the connection is back.',
  },
  authorizationFailed: 'Uploads cannot start.',
  authorizationHttpError: (status) => `The server answered HTTP ${status} instead of an upload permission.`,
  authorizationMissing: 'No upload permission.',
  serverMessage: (message) => `(${message})`,
  sizeDetail: (size, limit) => `(${size}; limit ${limit})`,
  errors: {
    'authorization-request-failed': 'The server could not be reached for an upload permission. Check your connection and try again.',
    'authorization-timeout': 'The server took too long to grant upload permission.',
    'authorization-malformed': 'The server sent an unreadable upload permission.',
    'authorization-rejected': 'The server refused upload permission.',
    'authorization-missing-field': 'The server sent an incomplete upload permission.',
    'authorization-invalid-expire': 'The server sent an upload permission with an invalid expiry time.',
    'authorization-invalid-policy': 'The server sent an invalid upload policy.',
    'authorization-invalid-host': 'The server sent an unsafe upload address.',
    'authorization-dir-mismatch': 'The server sent an upload folder that its policy does not allow.',
    'authorization-expired': 'The upload permission had already expired.',
    'file-too-large': 'The file is larger than the size limit.',
    'file-too-small': 'The file is smaller than the minimum size.',
    'file-invalid-type': 'This file type is not accepted.',
    'too-many-files': 'Too many files: remove one to add another.',
    'image-not-decodable': 'This browser cannot read this image, so it cannot be made smaller. Save it as JPEG or PNG and try again.',
    'image-cannot-shrink': 'This image cannot be made small enough without ruining it. Crop it or save it at a lower resolution.',
    'policy-expired': 'The upload permission expired during the upload.',
    'policy-condition-failed': 'Storage refused the file: it does not meet the upload policy.',
    'signature-mismatch': 'Storage refused the upload signature.',
    'invalid-access-key': 'Storage does not recognise the upload credentials.',
    'entity-too-large': 'Storage refused the file: it is too large.',
    'entity-too-small': 'Storage refused the file: it is too small.',
    'access-denied': 'Storage denied access.',
    'oss-error': 'Storage could not save the file.',
    'network-error': 'The connection was lost.',
    timeout: 'The upload stalled and timed out.',
    canceled: 'The upload was canceled.',
    offline: 'There was no connection for too long. Check your connection and try again.',
    'too-many-attachments': `A ticket takes at most ${MAX_TICKET_ATTACHMENTS} attachments.`,
    'invalid-attachment-path': 'This attachment path cannot be sent.',
    'upload-url-request-failed': 'The server did not provide an upload address. Check your connection and try again.',
    'upload-url-timeout': 'The server took too long to provide an upload address.',
    'upload-url-malformed': 'The server sent an unreadable upload address.',
    'upload-url-rejected': 'The server refused to provide an upload address.',
    'upload-url-missing-field': 'The server sent an incomplete upload address.',
    'upload-url-invalid': 'The server sent an unusable upload address.',
    'upload-url-expired': 'The upload address expired before the upload finished.',
  },
};

const zhCN: UploaderMessages = {
  dropzoneLabel: '添加附件',
  dropzoneTitle: '将文件拖到此处，也可以粘贴或点击选择',
  dropzoneActive: '松开鼠标即可添加文件',
  dropzoneHint: ({ maxFiles, maxFileSize, types }) =>
    `最多 ${maxFiles} 个文件，每个不超过 ${maxFileSize}${types ? `；格式：${types}` : ''}`,
  typeGroup: (group) => ({ image: '图片', video: '视频', audio: '音频', text: '文本文件' })[group] ?? `${group} 文件`,
  list: (items) => items.join('、'),
  sentences: (parts) => parts.join(''),
  rejectionSeparator: '：',
  inputLabel: '选择要添加的附件',
  listLabel: '附件',
  rejectionsTitle: '未添加的文件',
  dismiss: '关闭',
  retryText: '重试',
  cancelText: '取消',
  removeText: '移除',
  retry: (name) => `重试 ${name}`,
  cancel: (name) => `取消 ${name}`,
  remove: (name) => `移除 ${name}`,
  retryAuthorization: '重试',
  progressLabel: (name) => `正在上传 ${name}`,
  shrinkText: (limit) => `压缩到 ${limit} 以内`,
  locationRemoved: '已移除位置信息',
  status: {
    queued: '等待中',
    retrying: (attempt) => `正在重试（第 ${attempt} 次）`,
    waitingForConnection: '等待网络连接',
    authorizing: '正在准备上传',
    shrinking: '正在压缩…',
    uploading: (percent) => `正在上传 ${percent}%`,
    confirming: '正在保存…',
    done: '已上传',
    failed: '上传失败',
    canceled: '已取消',
    attached: '已附加',
  },
  summary: ({ done, count, percent, failed, busy }) =>
    `已上传 ${done}/${count}${busy ? ` · ${percent}%` : ''}${failed > 0 ? ` · ${failed} 个失败` : ''}`,
  announce: {
    added: (names) => `已添加 ${names.join('、')}。`,
    rejected: (name, reason) => `${name} 未添加：${reason}`,
    uploaded: (name) => `${name} 已上传。`,
    failed: (name, reason) => `${name} 上传失败：${reason}`,
    removed: (name) => `已移除 ${name}。`,
    offline: '网络已断开，恢复连接后将自动继续上传。',
  },
  authorizationFailed: '无法开始上传。',
  authorizationHttpError: (status) => `服务器返回了 HTTP ${status}，而不是上传授权。`,
  authorizationMissing: '未获得上传授权。',
  serverMessage: (message) => `（${message}）`,
  sizeDetail: (size, limit) => `（${size}，上限 ${limit}）`,
  errors: {
    'authorization-request-failed': '无法连接服务器获取上传授权，请检查网络后重试。',
    'authorization-timeout': '获取上传授权超时。',
    'authorization-malformed': '服务器返回的上传授权无法识别。',
    'authorization-rejected': '服务器拒绝了上传授权。',
    'authorization-missing-field': '服务器返回的上传授权不完整。',
    'authorization-invalid-expire': '服务器返回的上传授权过期时间无效。',
    'authorization-invalid-policy': '服务器返回的上传策略无效。',
    'authorization-invalid-host': '服务器返回的上传地址不安全。',
    'authorization-dir-mismatch': '服务器返回的上传目录与上传策略不符。',
    'authorization-expired': '上传授权已过期。',
    'file-too-large': '文件超过大小限制。',
    'file-too-small': '文件小于最小限制。',
    'file-invalid-type': '不支持该文件类型。',
    'too-many-files': '文件数量已达上限，请先移除一个文件。',
    'image-not-decodable': '此浏览器无法读取该图片，因此无法压缩。请另存为 JPEG 或 PNG 后重试。',
    'image-cannot-shrink': '该图片无法在不损坏画质的情况下压缩到限制以内。请裁剪或以较低分辨率保存后重试。',
    'policy-expired': '上传过程中授权已过期。',
    'policy-condition-failed': '存储服务拒绝了该文件：不符合上传策略。',
    'signature-mismatch': '存储服务拒绝了上传签名。',
    'invalid-access-key': '存储服务无法识别上传凭证。',
    'entity-too-large': '存储服务拒绝了该文件：文件过大。',
    'entity-too-small': '存储服务拒绝了该文件：文件过小。',
    'access-denied': '存储服务拒绝访问。',
    'oss-error': '存储服务未能保存该文件。',
    'network-error': '网络连接已断开。',
    timeout: '上传长时间无进展，已超时。',
    canceled: '上传已取消。',
    offline: '网络长时间未连接，请检查网络后重试。',
    'too-many-attachments': `每个工单最多 ${MAX_TICKET_ATTACHMENTS} 个附件。`,
    'invalid-attachment-path': '该附件路径无法提交。',
    'upload-url-request-failed': '服务器未提供上传地址，请检查网络后重试。',
    'upload-url-timeout': '获取上传地址超时。',
    'upload-url-malformed': '服务器返回的上传地址无法识别。',
    'upload-url-rejected': '服务器拒绝提供上传地址。',
    'upload-url-missing-field': '服务器返回的上传地址不完整。',
    'upload-url-invalid': '服务器返回的上传地址无法使用。',
    'upload-url-expired': '上传地址在上传完成前已过期。',
  },
};

export const uploaderMessages: Record<UploaderLocale, UploaderMessages> = { en, 'zh-CN': zhCN };

/** The locale's messages with any overrides applied (nested `status`, `announce` and `errors` merge too). */
export function resolveMessages(locale: UploaderLocale = 'en', overrides?: UploaderMessagesOverrides): UploaderMessages {
  const base = uploaderMessages[locale] ?? en;
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    status: { ...base.status, ...overrides.status },
    announce: { ...base.announce, ...overrides.announce },
    errors: { ...base.errors, ...overrides.errors },
  };
}

/** Sizes for a size rejection; exact bytes when the rounded figures would look equal ("2 MB; limit 2 MB"). */
export function describeSizeAgainstLimit(size: number, limit: number, messages: UploaderMessages, locale: UploaderLocale = 'en'): string {
  let shownSize = formatFileSize(size, locale);
  let shownLimit = formatFileSize(limit, locale);
  if (shownSize === shownLimit) {
    const bytes = new Intl.NumberFormat(locale);
    shownSize = `${bytes.format(size)} B`;
    shownLimit = `${bytes.format(limit)} B`;
  }
  return messages.sizeDetail(shownSize, shownLimit);
}

/**
 * A sentence for the user: the locale's text for the code, plus the server's own words when the
 * backend refused the authorization (its message is the most useful thing to show).
 */
export function describeUploadError(error: UploadError, messages: UploaderMessages): string {
  // An HTTP answer is not a connection problem: say what came back (a missing route's 404, a 500).
  if ((error.code === 'authorization-request-failed' || error.code === 'upload-url-request-failed') && error.status !== undefined)
    return messages.authorizationHttpError(error.status);
  const text = messages.errors[error.code] ?? messages.errors['oss-error'];
  if ((error.code === 'authorization-rejected' || error.code === 'upload-url-rejected') && error.message)
    return messages.sentences([text, messages.serverMessage(error.message)]);
  return text;
}

/**
 * The reason shown on a file's row. A file that failed for want of an authorization says only that:
 * the alert above the list explains why once, instead of every row repeating it.
 */
export function describeRowError(error: UploadError, messages: UploaderMessages): string {
  // An upload URL that expired twice is this file's own failure, not a missing permission: say so on its row.
  return isAuthorizationErrorCode(error.code) && error.code !== 'upload-url-expired'
    ? messages.authorizationMissing
    : describeUploadError(error, messages);
}
