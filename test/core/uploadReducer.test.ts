import { describe, expect, it } from 'vitest';
import {
  initialUploadState,
  uploadReducer,
  type FileUpload,
  type FileUploadStatus,
  type UploadAction,
  type UploadState,
} from '../../src/core/uploadReducer';
import { UploadError } from '../../src/core/UploadError';
import { makeFile } from '../../fixtures';

const FILE = makeFile('report.pdf', 100, 'application/pdf');
const OTHER_FILE = makeFile('other.png', 50, 'image/png');
const ERROR = new UploadError('network-error', 'The connection to storage failed or was dropped.');
const NEW_ERROR = new UploadError('oss-error', 'Storage answered HTTP 500.', { status: 500 });
const base = { id: 'a', file: FILE, addedAt: 1_000 };
/** An image over the limit (issue 12): 100 bytes to shrink to at most 60, and its shrunk copy. */
const oversized = { ...base, shrinkTo: 60 };
const SHRUNK_FILE = makeFile('report.jpg', 40, 'image/jpeg');

/** One entry of id "a" in each status, with the fields that status carries. */
const IN: { [S in FileUploadStatus]: Extract<FileUpload, { status: S }> } = {
  queued: { ...base, status: 'queued' },
  shrinkOffered: { ...oversized, status: 'shrinkOffered' },
  shrinking: { ...oversized, status: 'shrinking' },
  authorizing: { ...base, status: 'authorizing' },
  uploading: { ...base, status: 'uploading', key: 'pop/a/report.pdf', loaded: 40, total: 120 },
  done: { ...base, status: 'done', key: 'pop/a/report.pdf', etag: '"e1"' },
  failed: { ...base, status: 'failed', error: ERROR },
  canceled: { ...base, status: 'canceled' },
};
const STATUSES = Object.keys(IN) as FileUploadStatus[];

const neighbour: FileUpload = Object.freeze({
  id: 'b',
  file: OTHER_FILE,
  addedAt: 900,
  status: 'uploading',
  key: 'pop/b/other.png',
  loaded: 1,
  total: 60,
});

/** A frozen state (any mutation by the reducer throws) with a neighbour before the entry under test. */
function stateWith(upload: FileUpload): UploadState {
  return Object.freeze({ files: Object.freeze([neighbour, Object.freeze({ ...upload })]) });
}

type TransitionAction = Exclude<UploadAction, { type: 'filesAdded' | 'fileRemoved' | 'connectionLost' | 'connectionRestored' }>;

const ACTIONS: { [T in TransitionAction['type']]: Extract<TransitionAction, { type: T }> } = {
  authorizationStarted: { type: 'authorizationStarted', id: 'a' },
  uploadStarted: { type: 'uploadStarted', id: 'a', key: 'pop2/a/report.pdf', total: 130 },
  uploadProgressed: { type: 'uploadProgressed', id: 'a', loaded: 80, total: 120 },
  uploadSucceeded: { type: 'uploadSucceeded', id: 'a', key: 'pop2/a/report.pdf', etag: '"e2"' },
  retryScheduled: { type: 'retryScheduled', id: 'a', attempt: 2, error: NEW_ERROR },
  uploadFailed: { type: 'uploadFailed', id: 'a', error: NEW_ERROR },
  uploadCanceled: { type: 'uploadCanceled', id: 'a' },
  retryRequested: { type: 'retryRequested', id: 'a' },
  shrinkStarted: { type: 'shrinkStarted', id: 'a' },
  shrinkSucceeded: { type: 'shrinkSucceeded', id: 'a', file: SHRUNK_FILE },
};

/** The table in src/core/uploadReducer.ts, with the exact entry each legal transition produces. */
const LEGAL: { [T in TransitionAction['type']]: Partial<Record<FileUploadStatus, FileUpload>> } = {
  authorizationStarted: {
    queued: { ...base, status: 'authorizing' },
    // The transparent re-authorization after "Policy expired" starts an uploading file over.
    uploading: { ...base, status: 'authorizing' },
  },
  uploadStarted: { authorizing: { ...base, status: 'uploading', key: 'pop2/a/report.pdf', loaded: 0, total: 130 } },
  uploadProgressed: { uploading: { ...base, status: 'uploading', key: 'pop/a/report.pdf', loaded: 80, total: 120 } },
  uploadSucceeded: { uploading: { ...base, status: 'done', key: 'pop2/a/report.pdf', etag: '"e2"' } },
  retryScheduled: {
    authorizing: { ...base, status: 'queued', retry: { attempt: 2, error: NEW_ERROR } },
    uploading: { ...base, status: 'queued', retry: { attempt: 2, error: NEW_ERROR } },
  },
  uploadFailed: {
    queued: { ...base, status: 'failed', error: NEW_ERROR },
    authorizing: { ...base, status: 'failed', error: NEW_ERROR },
    uploading: { ...base, status: 'failed', error: NEW_ERROR },
    // The shrinker's own failure (image-not-decodable, image-cannot-shrink); still offered again by a retry.
    shrinking: { ...oversized, status: 'failed', error: NEW_ERROR },
  },
  uploadCanceled: {
    queued: { ...base, status: 'canceled' },
    authorizing: { ...base, status: 'canceled' },
    uploading: { ...base, status: 'canceled' },
    shrinking: { ...oversized, status: 'canceled' },
  },
  retryRequested: {
    failed: { ...base, status: 'queued' },
    canceled: { ...base, status: 'queued' },
  },
  shrinkStarted: { shrinkOffered: { ...oversized, status: 'shrinking' } },
  shrinkSucceeded: { shrinking: { id: 'a', file: SHRUNK_FILE, addedAt: 1_000, originalSize: 100, status: 'queued' } },
};

const matrix = (Object.keys(ACTIONS) as Array<TransitionAction['type']>).flatMap((type) =>
  STATUSES.map((from) => ({ type, from, expected: LEGAL[type][from] })),
);
const legalRows = matrix.filter((row) => row.expected !== undefined);
const illegalRows = matrix.filter((row) => row.expected === undefined);

describe('uploadReducer: transitions', () => {
  it('covers the whole table: 19 legal transitions, 61 ignored ones', () => {
    expect([legalRows.length, illegalRows.length]).toEqual([19, 61]);
  });

  it.each(legalRows)('$type moves a $from file to $expected.status', ({ type, from, expected }) => {
    const state = stateWith(IN[from]);
    const next = uploadReducer(state, ACTIONS[type]);
    expect(next).not.toBe(state);
    expect(next.files).toEqual([neighbour, expected]);
    expect(next.files[0]).toBe(neighbour); // other entries are kept as they are
  });

  it.each(illegalRows)('ignores $type on a $from file (returns the same state object)', ({ type, from }) => {
    const state = stateWith(IN[from]);
    expect(uploadReducer(state, ACTIONS[type])).toBe(state);
  });

  it.each(Object.values(ACTIONS))('ignores $type for an unknown id', (action) => {
    const state = stateWith(IN.queued);
    expect(uploadReducer(state, { ...action, id: 'nope' })).toBe(state);
  });

  it('drops the retry marker when a retried file starts authorizing again', () => {
    const state = stateWith({ ...base, status: 'queued', retry: { attempt: 2, error: ERROR } });
    expect(uploadReducer(state, ACTIONS.authorizationStarted).files[1]).toEqual({ ...base, status: 'authorizing' });
  });

  it('clears the old error when a failed file is retried by hand', () => {
    const next = uploadReducer(stateWith(IN.failed), ACTIONS.retryRequested).files[1];
    expect(next).not.toHaveProperty('error');
    expect(next).not.toHaveProperty('retry');
  });
});

describe('uploadReducer: connection lost and restored', () => {
  const waiting: FileUpload = { ...base, status: 'queued', waitingForConnection: true };

  it.each<FileUploadStatus>(['queued', 'authorizing', 'uploading'])(
    'connectionLost makes a %s file wait for the connection, with no key, progress or retry kept',
    (from) => {
      const state = Object.freeze({ files: Object.freeze([Object.freeze({ ...IN[from] })]) });
      expect(uploadReducer(state, { type: 'connectionLost' }).files).toEqual([waiting]);
    },
  );

  it('connectionLost drops a pending automatic retry (an offline wait is not an attempt) and affects every busy file at once', () => {
    const state = stateWith({ ...base, status: 'queued', retry: { attempt: 2, error: ERROR } });
    expect(uploadReducer(state, { type: 'connectionLost' }).files).toEqual([
      { id: 'b', file: OTHER_FILE, addedAt: 900, status: 'queued', waitingForConnection: true },
      waiting,
    ]);
  });

  it.each<FileUploadStatus>(['done', 'failed', 'canceled', 'shrinkOffered', 'shrinking'])(
    'connectionLost leaves a %s file alone (same state object)',
    (from) => {
      const state = Object.freeze({ files: Object.freeze([Object.freeze({ ...IN[from] })]) });
      expect(uploadReducer(state, { type: 'connectionLost' })).toBe(state);
    },
  );

  it('connectionLost twice, or connectionRestored with nothing waiting, returns the same state object', () => {
    const state = Object.freeze({ files: Object.freeze([Object.freeze(waiting)]) });
    expect(uploadReducer(state, { type: 'connectionLost' })).toBe(state);
    const idle = stateWith(IN.done);
    expect(uploadReducer(idle, { type: 'connectionRestored' })).toBe(idle);
  });

  it('connectionRestored puts every waiting file back in the queue as a plain queued file', () => {
    const state = Object.freeze({ files: Object.freeze([Object.freeze(waiting), Object.freeze({ ...IN.failed, id: 'c' })]) });
    expect(uploadReducer(state, { type: 'connectionRestored' }).files).toEqual([IN.queued, { ...IN.failed, id: 'c' }]);
  });
});

describe('uploadReducer: late and repeated events', () => {
  it.each<[string, FileUploadStatus, UploadAction]>([
    ['progress after cancel', 'canceled', ACTIONS.uploadProgressed],
    ['progress after failure', 'failed', ACTIONS.uploadProgressed],
    ['progress after success', 'done', ACTIONS.uploadProgressed],
    ['success after failure', 'failed', ACTIONS.uploadSucceeded],
    ['success after cancel', 'canceled', ACTIONS.uploadSucceeded],
    ['failure after success', 'done', ACTIONS.uploadFailed],
    ['failure after cancel', 'canceled', ACTIONS.uploadFailed],
    ['cancel after success', 'done', ACTIONS.uploadCanceled],
    ['a second success', 'done', ACTIONS.uploadSucceeded],
    ['a late uploadStarted after cancel', 'canceled', ACTIONS.uploadStarted],
    ['a retry of a finished file', 'done', ACTIONS.retryRequested],
  ])('ignores %s', (_label, from, action) => {
    const state = stateWith(IN[from]);
    expect(uploadReducer(state, action)).toBe(state);
  });

  it.each([
    ['going backwards', 10, 120],
    ['repeating the last value', 40, 120],
  ])('ignores progress %s', (_label, loaded, total) => {
    const state = stateWith(IN.uploading);
    expect(uploadReducer(state, { type: 'uploadProgressed', id: 'a', loaded, total })).toBe(state);
  });

  it('clamps progress beyond the total', () => {
    const next = uploadReducer(stateWith(IN.uploading), { type: 'uploadProgressed', id: 'a', loaded: 500, total: 120 });
    expect(next.files[1]).toMatchObject({ loaded: 120, total: 120 });
  });

  it('takes a corrected total without moving progress backwards', () => {
    const next = uploadReducer(stateWith(IN.uploading), { type: 'uploadProgressed', id: 'a', loaded: 30, total: 150 });
    expect(next.files[1]).toMatchObject({ status: 'uploading', loaded: 40, total: 150 });
  });

  it('starts progress at zero again for a new attempt', () => {
    let state = stateWith(IN.uploading);
    state = uploadReducer(state, ACTIONS.retryScheduled);
    state = uploadReducer(state, ACTIONS.authorizationStarted);
    state = uploadReducer(state, ACTIONS.uploadStarted);
    expect(state.files[1]).toMatchObject({ status: 'uploading', loaded: 0, total: 130 });
    state = uploadReducer(state, { type: 'uploadProgressed', id: 'a', loaded: 10, total: 130 });
    expect(state.files[1]).toMatchObject({ loaded: 10 });
  });
});

describe('uploadReducer: adding and removing', () => {
  it('starts empty', () => {
    expect(initialUploadState).toEqual({ files: [] });
  });

  it('adds files as queued, in order, after the existing ones', () => {
    const state = stateWith(IN.done);
    const next = uploadReducer(state, {
      type: 'filesAdded',
      files: [
        { id: 'c', file: FILE, addedAt: 2_000 },
        { id: 'd', file: OTHER_FILE, addedAt: 2_000 },
      ],
    });
    expect(next.files.map((upload) => [upload.id, upload.status])).toEqual([
      ['b', 'uploading'],
      ['a', 'done'],
      ['c', 'queued'],
      ['d', 'queued'],
    ]);
    expect(next.files[2]).toEqual({ id: 'c', file: FILE, addedAt: 2_000, status: 'queued' });
  });

  it('ignores an added id that is already in the list', () => {
    const state = stateWith(IN.uploading);
    expect(uploadReducer(state, { type: 'filesAdded', files: [{ id: 'a', file: OTHER_FILE, addedAt: 5 }] })).toBe(state);
    const next = uploadReducer(state, {
      type: 'filesAdded',
      files: [
        { id: 'a', file: OTHER_FILE, addedAt: 5 },
        { id: 'e', file: FILE, addedAt: 5 },
      ],
    });
    expect(next.files.map((upload) => upload.id)).toEqual(['b', 'a', 'e']);
    expect(next.files[1]).toBe(state.files[1]);
  });

  it('ignores an empty addition', () => {
    const state = stateWith(IN.queued);
    expect(uploadReducer(state, { type: 'filesAdded', files: [] })).toBe(state);
  });

  it('adds an id repeated within one filesAdded only once', () => {
    const next = uploadReducer(initialUploadState, {
      type: 'filesAdded',
      files: [
        { id: 'x', file: FILE, addedAt: 1 },
        { id: 'x', file: OTHER_FILE, addedAt: 1 },
      ],
    });
    expect(next.files.map((upload) => upload.id)).toEqual(['x']);
  });

  it.each(STATUSES)('removes a %s file', (status) => {
    const next = uploadReducer(stateWith(IN[status]), { type: 'fileRemoved', id: 'a' });
    expect(next.files).toEqual([neighbour]);
  });

  it('ignores removing an unknown id', () => {
    const state = stateWith(IN.queued);
    expect(uploadReducer(state, { type: 'fileRemoved', id: 'nope' })).toBe(state);
  });
});

describe('uploadReducer: shrinking an image over the limit (issue 12)', () => {
  it('adds a file with `shrinkTo` as offered for shrinking, and one without as queued', () => {
    const next = uploadReducer(initialUploadState, {
      type: 'filesAdded',
      files: [
        { id: 'a', file: FILE, addedAt: 1_000, shrinkTo: 60 },
        { id: 'c', file: OTHER_FILE, addedAt: 1_000 },
      ],
    });
    expect(next.files).toEqual([IN.shrinkOffered, { id: 'c', file: OTHER_FILE, addedAt: 1_000, status: 'queued' }]);
  });

  it('uploads the shrunk copy: the original size stays on the entry to the end, the shrink target is gone', () => {
    let state = stateWith(IN.shrinkOffered);
    for (const action of [ACTIONS.shrinkStarted, ACTIONS.shrinkSucceeded, ACTIONS.authorizationStarted, ACTIONS.uploadStarted]) {
      state = uploadReducer(state, action);
    }
    state = uploadReducer(state, ACTIONS.uploadSucceeded);
    expect(state.files[1]).toMatchObject({ status: 'done', file: SHRUNK_FILE, originalSize: 100, key: 'pop2/a/report.pdf' });
    expect(state.files[1]?.shrinkTo).toBeUndefined();
  });

  it.each<FileUploadStatus>(['failed', 'canceled'])('offers a %s shrink again on retry (the picked image is still too large)', (from) => {
    const state = stateWith({ ...IN[from], shrinkTo: 60 });
    expect(uploadReducer(state, ACTIONS.retryRequested).files[1]).toEqual(IN.shrinkOffered);
  });

  it('retries a shrunk file that failed to upload as a plain upload of the shrunk copy', () => {
    const state = stateWith({ ...IN.failed, file: SHRUNK_FILE, originalSize: 100 });
    expect(uploadReducer(state, ACTIONS.retryRequested).files[1]).toEqual({
      ...base,
      file: SHRUNK_FILE,
      originalSize: 100,
      status: 'queued',
    });
  });

  it('keeps the original size when the connection drops and comes back', () => {
    let state = stateWith({ ...IN.queued, file: SHRUNK_FILE, originalSize: 100 });
    state = uploadReducer(state, { type: 'connectionLost' });
    state = uploadReducer(state, { type: 'connectionRestored' });
    expect(state.files[1]).toEqual({ ...base, file: SHRUNK_FILE, originalSize: 100, status: 'queued' });
  });
});
