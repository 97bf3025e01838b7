import { UploadError } from './UploadError.js';

/** docs/oss-protocol.md §6 "Attachment parameter": Add and QuestionReply take at most 3 attachments. */
export const MAX_TICKET_ATTACHMENTS = 3;

/**
 * The value of the ticket API's `attachments` parameter: the object keys, comma-separated (not a
 * JSON array, docs/oss-protocol.md §6). Throws `too-many-attachments` past 3, and refuses keys containing a comma,
 * which the parameter could not carry.
 */
export function toAttachmentsParam(paths: readonly string[]): string {
  if (paths.length > MAX_TICKET_ATTACHMENTS) {
    throw new UploadError(
      'too-many-attachments',
      `The ticket API takes at most ${MAX_TICKET_ATTACHMENTS} attachments, got ${paths.length}.`,
    );
  }
  for (const path of paths) {
    if (path === '' || path.includes(',')) {
      throw new UploadError('invalid-attachment-path', `"${path}" cannot be sent as an attachment path (empty, or contains a comma).`);
    }
  }
  return paths.join(',');
}

/**
 * The 2021-06-10 API's `FileNameList` (CreateTicket, ReplyTicket): the same comma-joined keys
 * (docs/work-order-api.md §6: the SDK sends it as one comma-joined field), with the same checks.
 */
export const toFileNameList: (paths: readonly string[]) => string = toAttachmentsParam;
