import type { FileUpload, UploadState } from './uploadReducer.js';

/**
 * Statuses in which a file still needs work: a form should not submit while any file is in one. That includes an
 * image waiting for the user to accept the offer to shrink it: submitting then would silently leave it out.
 */
export function isFileBusy(upload: FileUpload): boolean {
  return upload.status !== 'done' && upload.status !== 'failed' && upload.status !== 'canceled';
}

export function selectIsBusy(state: UploadState): boolean {
  return state.files.some(isFileBusy);
}

/** True while the device is offline and some file waits for the connection to come back. */
export function selectIsWaitingForConnection(state: UploadState): boolean {
  return state.files.some((upload) => upload.status === 'queued' && upload.waitingForConnection === true);
}

/** Object keys of the stored files, in the order the files were added: what the form's `attachments` gets. */
export function selectPaths(state: UploadState): string[] {
  const paths: string[] = [];
  for (const upload of state.files) if (upload.status === 'done') paths.push(upload.key);
  return paths;
}

export interface UploadTotals {
  count: number;
  queued: number;
  uploading: number;
  done: number;
  failed: number;
  canceled: number;
  /** Bytes sent of the files that are done, uploading or waiting (not failed or canceled). */
  loaded: number;
  total: number;
  /** 0–100, rounded down; 100 only when every counted byte is sent. */
  percent: number;
}

export function selectTotals(state: UploadState): UploadTotals {
  const totals: UploadTotals = { count: 0, queued: 0, uploading: 0, done: 0, failed: 0, canceled: 0, loaded: 0, total: 0, percent: 0 };
  for (const upload of state.files) {
    totals.count += 1;
    switch (upload.status) {
      case 'shrinkOffered':
      case 'queued':
      case 'shrinking':
      case 'authorizing':
        totals.queued += 1;
        totals.total += upload.file.size;
        break;
      case 'uploading':
        totals.uploading += 1;
        // The multipart body is a little larger than the file; scale to the file's own size.
        totals.loaded += upload.total > 0 ? Math.round((upload.loaded / upload.total) * upload.file.size) : 0;
        totals.total += upload.file.size;
        break;
      case 'done':
        totals.done += 1;
        totals.loaded += upload.file.size;
        totals.total += upload.file.size;
        break;
      case 'failed':
        totals.failed += 1;
        break;
      case 'canceled':
        totals.canceled += 1;
        break;
    }
  }
  totals.percent = totals.total === 0 ? (totals.done > 0 ? 100 : 0) : Math.floor((totals.loaded / totals.total) * 100);
  return totals;
}

/** Upload progress of one file, 0–100 (the multipart body's bytes, as the browser reports them). */
export function selectFilePercent(upload: FileUpload): number {
  switch (upload.status) {
    case 'uploading':
      return upload.total > 0 ? Math.min(100, Math.floor((upload.loaded / upload.total) * 100)) : 0;
    case 'done':
      return 100;
    default:
      return 0;
  }
}
