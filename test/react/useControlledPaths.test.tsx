import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { FileUpload } from '../../src/core/uploadReducer';
import { selectPaths } from '../../src/core/uploadSelectors';
import { useControlledPaths, type ControlledPathsOptions } from '../../src/react/useControlledPaths';

// The queue side is a plain list here: the hook only reads the snapshot and removes entries.
function fakeQueue(initial: FileUpload[]) {
  let files = initial;
  return {
    getSnapshot: () => ({ files }),
    remove: vi.fn((id: string) => {
      const removed = files.find((upload) => upload.id === id);
      files = files.filter((upload) => upload.id !== id);
      return removed;
    }),
    ids: () => files.map((upload) => upload.id),
    uploadedPaths: () => selectPaths({ files }),
  };
}

const file = new File(['x'], 'x.txt', { type: 'text/plain' });
const done = (id: string): FileUpload => ({ id, file, addedAt: 0, status: 'done', key: `dir/${id}/x.txt`, etag: null });
const uploading = (id: string): FileUpload => ({ id, file, addedAt: 0, status: 'uploading', key: `dir/${id}/x.txt`, loaded: 1, total: 2 });

type Props = Omit<ControlledPathsOptions, 'queue'>;

function renderControlled(queue: ReturnType<typeof fakeQueue>, initialProps: Props) {
  return renderHook((props: Props) => useControlledPaths({ ...props, queue }), { initialProps });
}

describe('useControlledPaths', () => {
  it('shows value (or defaultValue) as existing keys, puts uploads after them, and emits nothing on mount', () => {
    const onChange = vi.fn();
    const queue = fakeQueue([done('u1')]);
    const { result } = renderControlled(queue, { value: ['draft/a.pdf'], defaultValue: ['ignored.pdf'], onChange, uploadedPaths: [] });
    expect(result.current.existingPaths).toEqual(['draft/a.pdf']);
    expect(result.current.paths).toEqual(['draft/a.pdf']);
    expect(onChange).not.toHaveBeenCalled();

    const uncontrolled = renderControlled(fakeQueue([]), {
      value: undefined,
      defaultValue: ['draft/b.pdf'],
      onChange,
      uploadedPaths: ['dir/u1/x.txt'],
    });
    expect(uncontrolled.result.current.paths).toEqual(['draft/b.pdf', 'dir/u1/x.txt']);
    expect(onChange).toHaveBeenCalledWith(['draft/b.pdf', 'dir/u1/x.txt']);
  });

  it('emits each new list once, and keeps the same array while its content is the same', () => {
    const onChange = vi.fn();
    const queue = fakeQueue([]);
    const { result, rerender } = renderControlled(queue, { value: undefined, defaultValue: undefined, onChange, uploadedPaths: [] });
    rerender({ value: undefined, defaultValue: undefined, onChange, uploadedPaths: ['k1'] });
    const first = result.current.paths;
    rerender({ value: undefined, defaultValue: undefined, onChange, uploadedPaths: ['k1'] });
    expect(result.current.paths).toBe(first);
    expect(onChange.mock.calls).toEqual([[['k1']]]);
  });

  it('takes a parent echoing older emissions for echoes, not for a reset that would drop fresh uploads', () => {
    const onChange = vi.fn();
    const queue = fakeQueue([done('u1'), done('u2')]);
    const base = { defaultValue: undefined, onChange };
    const { result, rerender } = renderControlled(queue, { ...base, value: [], uploadedPaths: [] });
    // Two uploads finish before the parent re-renders with the first emission.
    rerender({ ...base, value: [], uploadedPaths: ['dir/u1/x.txt'] });
    rerender({ ...base, value: [], uploadedPaths: ['dir/u1/x.txt', 'dir/u2/x.txt'] });
    rerender({ ...base, value: ['dir/u1/x.txt'], uploadedPaths: ['dir/u1/x.txt', 'dir/u2/x.txt'] });
    rerender({ ...base, value: ['dir/u1/x.txt', 'dir/u2/x.txt'], uploadedPaths: ['dir/u1/x.txt', 'dir/u2/x.txt'] });
    expect(queue.remove).not.toHaveBeenCalled();
    expect(result.current.paths).toEqual(['dir/u1/x.txt', 'dir/u2/x.txt']);
    expect(result.current.existingPaths).toEqual([]);
  });

  it('lets a value set from outside win: a reset to [] drops every upload, done or in flight', () => {
    const onChange = vi.fn();
    const queue = fakeQueue([done('u1'), uploading('u2')]);
    const base = { defaultValue: undefined, onChange };
    const { result, rerender } = renderControlled(queue, {
      ...base,
      value: ['draft/a.pdf', 'dir/u1/x.txt'],
      uploadedPaths: queue.uploadedPaths(),
    });
    rerender({ ...base, value: [], uploadedPaths: queue.uploadedPaths() });
    expect(queue.ids()).toEqual([]);
    expect(result.current.existingPaths).toEqual([]);
  });

  it('keeps the uploads a loaded draft lists, drops the other finished ones, and shows the rest as existing', () => {
    const onChange = vi.fn();
    const queue = fakeQueue([done('u1'), done('u2'), uploading('u3')]);
    const base = { defaultValue: undefined, onChange };
    const { result, rerender } = renderControlled(queue, { ...base, value: undefined, uploadedPaths: queue.uploadedPaths() });
    rerender({ ...base, value: ['draft/old.pdf', 'dir/u2/x.txt'], uploadedPaths: queue.uploadedPaths() });
    // u3 is still uploading: a non-empty value does not cancel work in progress.
    expect(queue.ids()).toEqual(['u2', 'u3']);
    expect(result.current.existingPaths).toEqual(['draft/old.pdf']);
  });

  it('removes one existing key with removeExistingPath and emits the shorter list', () => {
    const onChange = vi.fn();
    const { result } = renderControlled(fakeQueue([]), { value: undefined, defaultValue: ['a', 'b'], onChange, uploadedPaths: [] });
    act(() => result.current.removeExistingPath('a'));
    expect(result.current.existingPaths).toEqual(['b']);
    expect(onChange).toHaveBeenLastCalledWith(['b']);
  });
});
