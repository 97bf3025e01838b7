import type { UploadError, UploadErrorCode } from './UploadError.js';
import type { FileLimits } from './validateFile.js';

export interface UploadTargetSendRequest {
  signal: AbortSignal;
  stallTimeoutMs?: number;
  onProgress: (loaded: number, total: number) => void;
}

/** Where one attempt of one file goes, and how it gets there. */
export interface UploadTarget {
  /** The object key the file is stored under: what the form gets. */
  key: string;
  send(request: UploadTargetSendRequest): Promise<{ key: string; etag: string | null }>;
  /** True when storage refused this target only because it lapsed: worth one fresh target and one more send, transparently. */
  isExpiredRefusal(error: UploadError): boolean;
}

export interface PrepareUploadRequest {
  /** The queue's id of the entry (unique, also usable as a key folder). */
  id: string;
  file: File;
  /** Aborted when the file is canceled or removed. */
  signal: AbortSignal;
  /** The target storage just refused as expired: get a fresh one, never this one (asked at most once per attempt). */
  replacing?: UploadTarget;
  /** The caller's size limits, to check again once the destination's own limits are known. */
  limits?: Pick<FileLimits, 'maxFileSize' | 'minFileSize'>;
  /** Client clock. */
  now: () => number;
}

/**
 * The "get a target, then send" step of the upload queue, the one thing the two upload modes do
 * differently: a POST policy shared by every file (`createPostPolicyStrategy`) or a presigned URL
 * per file (`createPresignedPutStrategy`). Everything else (order, retries, cancel) is the queue's.
 */
export interface UploadStrategy {
  /**
   * Gets what one attempt needs, right before the file starts; throws or rejects with an UploadError
   * that says why not. Returns the target itself (not a promise) when everything is at hand (a cached
   * authorization, a prefetched URL): the queue then sends in the same task, before React renders.
   */
  prepare(request: PrepareUploadRequest): UploadTarget | Promise<UploadTarget>;
  /** Code given to anything `prepare` throws that is not an UploadError. */
  readonly prepareErrorCode: UploadErrorCode;
  /** This queued file starts next: fetch ahead what it will need, so that round trip overlaps the current upload. */
  prefetch?(entry: { id: string; file: File }): void;
  /** The file is done, failed, canceled or removed: abort and drop anything held for it. */
  release?(id: string): void;
}
