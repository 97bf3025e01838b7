import type { UploadError } from './UploadError.js';

interface FileUploadBase {
  /** Stable id of this entry (also the key's folder, so keys are unique per file). */
  id: string;
  file: File;
  /** Client time (ms) the file was added. */
  addedAt: number;
  /** An image over the size limit: it is shrunk to at most this many bytes before it can upload (issue 12). */
  shrinkTo?: number;
  /** Set once `file` is the shrunk copy: the size of the image the user picked. */
  originalSize?: number;
}

/** A file's lifecycle, a union on `status`; fields that only make sense in one state live on that variant. */
export type FileUpload =
  | (FileUploadBase & {
      status: 'queued';
      /** Set while waiting to retry automatically after a transient failure. */
      retry?: { attempt: number; error: UploadError };
      /** Set while the browser is offline: the file starts by itself once the connection returns. */
      waitingForConnection?: true;
    })
  /** Over the size limit, waiting for the user to accept the offer to shrink it (`shrinkImages: 'offer'`). */
  | (FileUploadBase & { status: 'shrinkOffered' })
  | (FileUploadBase & { status: 'shrinking' })
  | (FileUploadBase & { status: 'authorizing' })
  | (FileUploadBase & { status: 'uploading'; key: string; loaded: number; total: number })
  | (FileUploadBase & { status: 'done'; key: string; etag: string | null })
  | (FileUploadBase & { status: 'failed'; error: UploadError })
  | (FileUploadBase & { status: 'canceled' });

export type FileUploadStatus = FileUpload['status'];

export interface UploadState {
  /** Every file in the order it was added. */
  files: readonly FileUpload[];
}

export type UploadAction =
  | { type: 'filesAdded'; files: ReadonlyArray<{ id: string; file: File; addedAt: number; shrinkTo?: number }> }
  | { type: 'shrinkStarted'; id: string }
  | { type: 'shrinkSucceeded'; id: string; file: File }
  | { type: 'authorizationStarted'; id: string }
  | { type: 'uploadStarted'; id: string; key: string; total: number }
  | { type: 'uploadProgressed'; id: string; loaded: number; total: number }
  | { type: 'uploadSucceeded'; id: string; key: string; etag: string | null }
  | { type: 'retryScheduled'; id: string; attempt: number; error: UploadError }
  | { type: 'uploadFailed'; id: string; error: UploadError }
  | { type: 'uploadCanceled'; id: string }
  | { type: 'retryRequested'; id: string }
  | { type: 'fileRemoved'; id: string }
  /** The browser went offline: every file that needs work waits for the connection (uploads in flight were aborted). */
  | { type: 'connectionLost' }
  | { type: 'connectionRestored' };

export const initialUploadState: UploadState = { files: [] };

/**
 * Legal transitions (anything else returns the same state object, so late events are no-ops):
 *
 * | action               | from                               | to          |
 * |----------------------|------------------------------------|-------------|
 * | filesAdded           | (new)                              | queued, or shrinkOffered with `shrinkTo` |
 * | shrinkStarted        | shrinkOffered                      | shrinking   |
 * | shrinkSucceeded      | shrinking                          | queued (`file` is the shrunk copy, `originalSize` set, `shrinkTo` dropped) |
 * | authorizationStarted | queued, uploading (re-authorizing)  | authorizing |
 * | uploadStarted        | authorizing                        | uploading   |
 * | uploadProgressed     | uploading                          | uploading   |
 * | uploadSucceeded      | uploading                          | done        |
 * | retryScheduled       | authorizing, uploading             | queued      |
 * | uploadFailed         | queued, shrinking, authorizing, uploading | failed |
 * | uploadCanceled       | queued, shrinking, authorizing, uploading | canceled |
 * | retryRequested       | failed, canceled                   | queued, or shrinkOffered while `shrinkTo` is set |
 * | fileRemoved          | any                                | (removed)   |
 * | connectionLost       | queued, authorizing, uploading     | queued, waitingForConnection (every such file) |
 * | connectionRestored   | queued, waitingForConnection       | queued (every such file) |
 */
type FileAction = Exclude<UploadAction, { type: 'filesAdded' | 'fileRemoved' | 'connectionLost' | 'connectionRestored' }>;

const ALLOWED_FROM: { [T in FileAction['type']]: readonly FileUploadStatus[] } = {
  // From `uploading`: the transparent re-authorization after "Policy expired" starts the file over.
  authorizationStarted: ['queued', 'uploading'],
  uploadStarted: ['authorizing'],
  uploadProgressed: ['uploading'],
  uploadSucceeded: ['uploading'],
  retryScheduled: ['authorizing', 'uploading'],
  uploadFailed: ['queued', 'shrinking', 'authorizing', 'uploading'],
  uploadCanceled: ['queued', 'shrinking', 'authorizing', 'uploading'],
  shrinkStarted: ['shrinkOffered'],
  shrinkSucceeded: ['shrinking'],
  retryRequested: ['failed', 'canceled'],
};

function assertNever(value: never): never {
  throw new Error(`Unhandled upload action: ${JSON.stringify(value)}`);
}

function base({ id, file, addedAt, shrinkTo, originalSize }: FileUpload): FileUploadBase {
  return { id, file, addedAt, shrinkTo, originalSize };
}

function transition(upload: FileUpload, action: FileAction): FileUpload {
  switch (action.type) {
    case 'authorizationStarted':
      return { ...base(upload), status: 'authorizing' };
    case 'uploadStarted':
      return { ...base(upload), status: 'uploading', key: action.key, loaded: 0, total: action.total };
    case 'uploadProgressed': {
      if (upload.status !== 'uploading') return upload;
      // Progress never goes backwards within one attempt (browsers may repeat the last event).
      const loaded = Math.max(upload.loaded, Math.min(action.loaded, action.total));
      return loaded === upload.loaded && action.total === upload.total ? upload : { ...upload, loaded, total: action.total };
    }
    case 'uploadSucceeded':
      return { ...base(upload), status: 'done', key: action.key, etag: action.etag };
    case 'retryScheduled':
      return { ...base(upload), status: 'queued', retry: { attempt: action.attempt, error: action.error } };
    case 'uploadFailed':
      return { ...base(upload), status: 'failed', error: action.error };
    case 'uploadCanceled':
      return { ...base(upload), status: 'canceled' };
    case 'retryRequested':
      // A shrink that failed or was canceled is offered again: the picked image is still too large.
      return { ...base(upload), status: upload.shrinkTo === undefined ? 'queued' : 'shrinkOffered' };
    case 'shrinkStarted':
      return { ...base(upload), status: 'shrinking' };
    case 'shrinkSucceeded':
      return { id: upload.id, file: action.file, addedAt: upload.addedAt, originalSize: upload.file.size, status: 'queued' };
    default:
      return assertNever(action);
  }
}

export function uploadReducer(state: UploadState, action: UploadAction): UploadState {
  switch (action.type) {
    case 'filesAdded': {
      const known = new Set(state.files.map((upload) => upload.id));
      const added: FileUpload[] = [];
      for (const entry of action.files) {
        if (known.has(entry.id)) continue;
        known.add(entry.id);
        added.push({ ...entry, status: entry.shrinkTo === undefined ? 'queued' : 'shrinkOffered' });
      }
      return added.length === 0 ? state : { files: [...state.files, ...added] };
    }
    case 'fileRemoved': {
      const files = state.files.filter((upload) => upload.id !== action.id);
      return files.length === state.files.length ? state : { files };
    }
    case 'connectionLost':
    case 'connectionRestored': {
      const lost = action.type === 'connectionLost';
      let changed = false;
      const files = state.files.map((upload): FileUpload => {
        const waiting = upload.status === 'queued' && upload.waitingForConnection === true;
        const needsWork = upload.status === 'queued' || upload.status === 'authorizing' || upload.status === 'uploading';
        if (lost ? waiting || !needsWork : !waiting) return upload;
        changed = true;
        // An offline wait is not an attempt: a pending automatic retry's backoff is dropped with it.
        return lost ? { ...base(upload), status: 'queued', waitingForConnection: true } : { ...base(upload), status: 'queued' };
      });
      return changed ? { files } : state;
    }
    case 'authorizationStarted':
    case 'uploadStarted':
    case 'uploadProgressed':
    case 'uploadSucceeded':
    case 'retryScheduled':
    case 'uploadFailed':
    case 'uploadCanceled':
    case 'retryRequested':
    case 'shrinkStarted':
    case 'shrinkSucceeded': {
      const index = state.files.findIndex((upload) => upload.id === action.id);
      const current = state.files[index];
      if (!current || !ALLOWED_FROM[action.type].includes(current.status)) return state;
      const next = transition(current, action);
      if (next === current) return state;
      const files = state.files.slice();
      files[index] = next;
      return { files };
    }
    default:
      return assertNever(action);
  }
}
