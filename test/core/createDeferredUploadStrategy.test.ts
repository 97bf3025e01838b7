import { describe, expect, it, vi } from 'vitest';
import { createDeferredUploadStrategy } from '../../src/core/createDeferredUploadStrategy';
import type { PrepareUploadRequest, UploadStrategy, UploadTarget } from '../../src/core/UploadStrategy';
import { makeFile } from '../../fixtures';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const target: UploadTarget = { key: 'k', send: () => Promise.resolve({ key: 'k', etag: null }), isExpiredRefusal: () => false };

function loadedStrategy(calls: string[]): UploadStrategy {
  return {
    prepareErrorCode: 'upload-url-request-failed',
    prepare: ({ id }) => {
      calls.push(`prepare ${id}`);
      return target;
    },
    prefetch: ({ id }) => calls.push(`prefetch ${id}`),
    release: (id) => calls.push(`release ${id}`),
  };
}

const request = (id: string): PrepareUploadRequest => ({
  id,
  file: makeFile(`${id}.pdf`),
  signal: new AbortController().signal,
  now: Date.now,
});

describe('createDeferredUploadStrategy', () => {
  it('loads once, makes prepare wait for the code, and replays prefetch and release in the order they came', async () => {
    const calls: string[] = [];
    const chunk = deferred<UploadStrategy>();
    const load = vi.fn(() => chunk.promise);
    const strategy = createDeferredUploadStrategy(load, 'upload-url-request-failed');
    expect(strategy.prepareErrorCode).toBe('upload-url-request-failed');

    const early = strategy.load();
    strategy.prefetch?.({ id: 'b', file: makeFile('b.pdf') });
    const prepared = strategy.prepare(request('a'));
    strategy.release?.('b');
    expect(strategy.load()).toBe(early);
    expect(load).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([]);

    chunk.resolve(loadedStrategy(calls));
    await expect(prepared).resolves.toBe(target);
    expect(calls).toEqual(['prefetch b', 'prepare a', 'release b']);

    // Once loaded, a target at hand comes back synchronously (the queue then sends in the same task).
    expect(strategy.prepare(request('c'))).toBe(target);
  });

  it('fails an attempt when the chunk does not load, and loads again for the next one', async () => {
    const calls: string[] = [];
    const load = vi
      .fn<() => Promise<UploadStrategy>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce(loadedStrategy(calls));
    const strategy = createDeferredUploadStrategy(load, 'upload-url-request-failed');

    await expect(strategy.prepare(request('a'))).rejects.toThrow('Failed to fetch dynamically imported module');
    await expect(strategy.prepare(request('a'))).resolves.toBe(target);
    expect(load).toHaveBeenCalledTimes(2);
    expect(calls).toEqual(['prepare a']);
  });
});
