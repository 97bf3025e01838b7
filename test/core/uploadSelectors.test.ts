import { describe, expect, it } from 'vitest';
import type { FileUpload, UploadState } from '../../src/core/uploadReducer';
import { isFileBusy, selectFilePercent, selectIsBusy, selectPaths, selectTotals } from '../../src/core/uploadSelectors';
import { UploadError } from '../../src/core/UploadError';
import { makeFile } from '../../fixtures';

const error = new UploadError('network-error', 'dropped');
const entry = (id: string, size: number) => ({ id, file: makeFile(`${id}.bin`, size), addedAt: 0 });

const queued: FileUpload = { ...entry('q', 100), status: 'queued' };
const authorizing: FileUpload = { ...entry('a', 100), status: 'authorizing' };
const uploading: FileUpload = { ...entry('u', 200), status: 'uploading', key: 'p/u/u.bin', loaded: 150, total: 300 };
const done: FileUpload = { ...entry('d', 100), status: 'done', key: 'p/d/d.bin', etag: null };
const failed: FileUpload = { ...entry('f', 1_000), status: 'failed', error };
const canceled: FileUpload = { ...entry('c', 1_000), status: 'canceled' };
/** Issue 12: an image waiting for the user's "Shrink to fit" needs the user, not the queue; one being shrunk keeps the form busy. */
const shrinkOffered: FileUpload = { ...entry('o', 5_000), status: 'shrinkOffered', shrinkTo: 1_000 };
const shrinking: FileUpload = { ...entry('s', 5_000), status: 'shrinking', shrinkTo: 1_000 };

describe('uploadSelectors', () => {
  it.each([
    [queued, true],
    [authorizing, true],
    [uploading, true],
    [done, false],
    [failed, false],
    [canceled, false],
    [shrinkOffered, true],
    [shrinking, true],
  ])('isFileBusy($status) is %s', (upload, busy) => {
    expect(isFileBusy(upload)).toBe(busy);
    expect(selectIsBusy({ files: [done, upload] })).toBe(busy);
  });

  it('lists the keys of done files in the order they were added', () => {
    const second: FileUpload = { ...entry('d2', 5), status: 'done', key: 'p/d2/d2.bin', etag: '"x"' };
    expect(selectPaths({ files: [second, failed, uploading, done] })).toEqual(['p/d2/d2.bin', 'p/d/d.bin']);
  });

  it('sums bytes of done, uploading and waiting files, scaling the multipart progress to the file size', () => {
    const state: UploadState = { files: [queued, authorizing, uploading, done, failed, canceled] };
    expect(selectTotals(state)).toEqual({
      count: 6,
      queued: 2,
      uploading: 1,
      done: 1,
      failed: 1,
      canceled: 1,
      loaded: 100 + 100, // half of the 200-byte file, plus the done one
      total: 100 + 100 + 200 + 100,
      percent: 40,
    });
  });

  it.each<[string, UploadState, number]>([
    ['nothing', { files: [] }, 0],
    ['only done files', { files: [done] }, 100],
    ['a done empty file', { files: [{ ...entry('e', 0), status: 'done', key: 'p/e/e.bin', etag: null }] }, 100],
    ['only failed files', { files: [failed] }, 0],
    // The offered image still needs work: the batch is not "100 %" while it waits for the user.
    ['a done file and an image offered for shrinking', { files: [done, shrinkOffered] }, 1],
    [
      '99.9 percent of a 2000-byte file sent (rounded down, never 100 early)',
      { files: [{ ...uploading, file: makeFile('u.bin', 2_000), loaded: 2_997, total: 3_000 }] },
      99,
    ],
  ])('reports the total percent for %s', (_label, state, percent) => {
    expect(selectTotals(state).percent).toBe(percent);
  });

  it.each<[string, FileUpload, number]>([
    ['an uploading file', uploading, 50],
    ['an uploading file with an unknown total', { ...uploading, loaded: 0, total: 0 }, 0],
    ['an uploading file past its total', { ...uploading, loaded: 400, total: 300 }, 100],
    ['a done file', done, 100],
    ['a queued file', queued, 0],
    ['a failed file', failed, 0],
  ])('gives the file percent for %s', (_label, upload, percent) => {
    expect(selectFilePercent(upload)).toBe(percent);
  });
});
