import { isAcceptedType } from './AcceptMap.js';
import type { AcceptMap } from './AcceptMap.js';
import type { OssPostPolicy } from './decodeOssPolicy.js';
import { MAX_TICKET_ATTACHMENTS } from './toAttachmentsParam.js';
import { UploadError } from './UploadError.js';

/** docs/oss-protocol.md §6: getOSSTempAuthor allows 2 MB per attachment, i.e. 2 × 1024 × 1024 bytes (the sample policy's range max). */
export const DEFAULT_MAX_FILE_SIZE = 2_097_152;
/** The ticket API's limit (docs/oss-protocol.md §6 "Attachment parameter"): more files could not be attached to one ticket. */
export const DEFAULT_MAX_FILES = MAX_TICKET_ATTACHMENTS;

export interface FileLimits {
  /** Largest file in bytes. Default 2,097,152; the policy's own maximum wins when it is smaller. */
  maxFileSize?: number;
  /** Smallest file in bytes. Default 0; the policy's own minimum wins when it is larger. */
  minFileSize?: number;
  /** Accepted types; every type when absent. */
  accept?: AcceptMap;
  /** Most files in total. Default 3. */
  maxFiles?: number;
  /** The decoded policy, once known: its `content-length-range` is enforced by OSS, so the client enforces it first. */
  policy?: OssPostPolicy | null;
  /** An image over the maximum that can be shrunk (`isShrinkableImage`) passes: it is shrunk before it uploads. Default false. */
  shrinkImages?: boolean;
}

/**
 * Images that browsers decode (and so can shrink). Others (HEIC/HEIF, which Chromium and Firefox do not
 * decode; TIFF; SVG, which is not pixels; GIF, whose animation would be lost) are refused as before.
 */
export function isShrinkableImage(file: FileDescription): boolean {
  return /^image\/(jpeg|png|webp|avif|bmp)$/.test(file.type);
}

/** The part of a `File` validation looks at. */
export interface FileDescription {
  name: string;
  size: number;
  type: string;
}

/** A file that will not be sent, and why. */
export interface FileRejection<F extends FileDescription = File> {
  file: F;
  errors: UploadError[];
}

/** The size range that applies: the narrower of the caller's limits and the policy's range. */
export function getEffectiveSizeRange(limits: FileLimits): { min: number; max: number } {
  const range = limits.policy?.contentLengthRange;
  const max = Math.min(limits.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, range?.max ?? Number.POSITIVE_INFINITY);
  const min = Math.max(limits.minFileSize ?? 0, range?.min ?? 0);
  return { min, max };
}

/** The size and type problems of one file (count is checked over a batch by `validateFiles`). */
export function validateFile<F extends FileDescription>(file: F, limits: FileLimits = {}): FileRejection<F> | null {
  const errors: UploadError[] = [];
  const { min, max } = getEffectiveSizeRange(limits);
  if (file.size > max) {
    const shrinkable = limits.shrinkImages && isShrinkableImage(file);
    if (!shrinkable) {
      errors.push(new UploadError('file-too-large', `"${file.name}" is ${file.size} bytes; the limit is ${max}.`));
      // Shrinking is on, but not for this image type: the reason then says how to fix it (save as JPEG).
      if (limits.shrinkImages && file.type.startsWith('image/'))
        errors.push(new UploadError('image-not-decodable', `${file.type} cannot be shrunk here.`));
    }
  } else if (file.size < min) {
    errors.push(new UploadError('file-too-small', `"${file.name}" is ${file.size} bytes; the minimum is ${min}.`));
  }
  if (!isAcceptedType(file, limits.accept)) {
    errors.push(new UploadError('file-invalid-type', `"${file.name}" (${file.type || 'no type'}) is not accepted.`));
  }
  return errors.length > 0 ? { file, errors } : null;
}

/**
 * Splits a selection into files to upload and rejections. `existingCount` is how many files are
 * already in the list (uploaded, in flight, or failed and retryable): all of them count towards
 * `maxFiles`, so a retry can never push the form past the ticket API's limit.
 */
export function validateFiles<F extends FileDescription>(
  files: readonly F[],
  limits: FileLimits = {},
  existingCount = 0,
): { accepted: F[]; rejected: FileRejection<F>[] } {
  const maxFiles = limits.maxFiles ?? DEFAULT_MAX_FILES;
  const accepted: F[] = [];
  const rejected: FileRejection<F>[] = [];
  for (const file of files) {
    const rejection = validateFile(file, limits);
    if (rejection) {
      rejected.push(rejection);
    } else if (existingCount + accepted.length >= maxFiles) {
      rejected.push({
        file,
        errors: [new UploadError('too-many-files', `"${file.name}": at most ${maxFiles} files.`)],
      });
    } else {
      accepted.push(file);
    }
  }
  return { accepted, rejected };
}
